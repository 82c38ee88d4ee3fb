//! Rate-limit counters in Redis: one key per counter and window, changed by one atomic
//! script (`INCRBY` + `EXPIREAT`) and deleted by Redis once the window can no longer matter.

use super::connection::eval;
use crate::store::errors::redis as store_error;
use app_core::auth::server::store::counters::{CounterChange, CounterStore};
use app_core::auth::server::StoreError;
use async_trait::async_trait;
use fred::prelude::{ClientLike, KeysInterface, Pool};
use fred::types::{ClusterHash, CustomCommand, Value};

/// Prefix of counter keys, so an operator can tell them from session keys.
const COUNTER_PREFIX: &str = "passwordless:limit:";

/// Rate-limit counters shared by every instance on the same Redis. Each window is one key
/// that Redis deletes itself when the window can no longer matter.
#[derive(Clone, Debug)]
pub struct RedisCounters {
    pool: Pool,
}

impl RedisCounters {
    /// Counters on `pool`.
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }
}

fn counter_key(key: &str, window_start: u64) -> String {
    format!("{COUNTER_PREFIX}{key}:{window_start}")
}

#[async_trait]
impl CounterStore for RedisCounters {
    async fn get(&self, key: &str, window_start: u64) -> Result<u32, StoreError> {
        self.pool
            .get::<Option<u32>, _>(counter_key(key, window_start))
            .await
            .map(Option::unwrap_or_default)
            .map_err(store_error)
    }

    async fn add(
        &self,
        key: &str,
        window_start: u64,
        delta: i32,
        expires_at: u64,
    ) -> Result<u32, StoreError> {
        let key = counter_key(key, window_start);
        let expires_at = i64::try_from(expires_at).unwrap_or(i64::MAX);
        // One script: Redis runs it atomically, so each caller gets its own new count and a
        // counter never exists without its expiry.
        let count: i64 = eval(
            &self.pool,
            ADD_SCRIPT,
            &key,
            vec![Value::from(i64::from(delta)), Value::from(expires_at)],
        )
        .await?;
        Ok(u32::try_from(count.max(0)).unwrap_or(u32::MAX))
    }

    async fn get_many(&self, windows: &[(String, u64)]) -> Result<Vec<u32>, StoreError> {
        if windows.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = windows.iter().map(|(k, w)| counter_key(k, *w)).collect();
        let counts: Vec<Option<u32>> = self.pool.mget(keys).await.map_err(store_error)?;
        Ok(counts.into_iter().map(Option::unwrap_or_default).collect())
    }

    async fn add_many(&self, changes: &[CounterChange]) -> Result<Vec<u32>, StoreError> {
        if changes.is_empty() {
            return Ok(Vec::new());
        }
        // One script for every counter: one round trip, all changed atomically.
        let mut args = vec![
            Value::from(ADD_MANY_SCRIPT),
            Value::from(i64::try_from(changes.len()).unwrap_or(i64::MAX)),
        ];
        args.extend(
            changes
                .iter()
                .map(|c| Value::from(counter_key(&c.key, c.window_start))),
        );
        for change in changes {
            args.push(Value::from(i64::from(change.delta)));
            args.push(Value::from(
                i64::try_from(change.expires_at).unwrap_or(i64::MAX),
            ));
        }
        let counts: Vec<i64> = self
            .pool
            .custom(
                CustomCommand::new_static("EVAL", ClusterHash::Random, false),
                args,
            )
            .await
            .map_err(store_error)?;
        Ok(counts
            .into_iter()
            .map(|c| u32::try_from(c.max(0)).unwrap_or(u32::MAX))
            .collect())
    }

    async fn delete(&self, key: &str, window_start: u64) -> Result<(), StoreError> {
        self.pool
            .del::<Value, _>(counter_key(key, window_start))
            .await
            .map(|_| ())
            .map_err(store_error)
    }
}

/// `INCRBY` then `EXPIREAT` (the same instant for every change of one window), answering
/// the new count, never below zero.
const ADD_SCRIPT: &str = "local c = redis.call('INCRBY', KEYS[1], ARGV[1]) \
    if c < 0 then redis.call('SET', KEYS[1], 0) c = 0 end \
    redis.call('EXPIREAT', KEYS[1], ARGV[2]) \
    return c";

/// [`ADD_SCRIPT`] for every key: `ARGV` holds a delta and an expiry per key, in order.
const ADD_MANY_SCRIPT: &str = "local out = {} \
    for i, key in ipairs(KEYS) do \
      local c = redis.call('INCRBY', key, ARGV[2 * i - 1]) \
      if c < 0 then redis.call('SET', key, 0) c = 0 end \
      redis.call('EXPIREAT', key, ARGV[2 * i]) \
      out[i] = c \
    end \
    return out";
