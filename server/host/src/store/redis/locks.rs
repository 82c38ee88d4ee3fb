//! Number locks (one owner per pending upstream request) in Redis: one key per number whose
//! value is `OWNER|EXPIRES_AT`, changed only by atomic scripts, deleted by Redis at expiry.

use super::connection::eval;
use app_core::auth::server::store::locks::{LockOutcome, LockStore};
use app_core::auth::server::StoreError;
use async_trait::async_trait;
use fred::prelude::Pool;
use fred::types::Value;

/// Prefix of lock keys, so an operator can tell them from session keys.
const LOCK_PREFIX: &str = "passwordless:";

/// Locks shared by every instance on the same Redis.
#[derive(Clone, Debug)]
pub struct RedisLocks {
    pool: Pool,
}

impl RedisLocks {
    /// Locks on `pool`.
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }
}

/// ARGV: owner, expires_at, now. Answers -1 (already ours, extended), 0 (taken) or the
/// other owner's expiry. Expiry is compared with the app's clock (`now`); `EXAT` only lets
/// Redis forget the key.
const ACQUIRE: &str = "local cur = redis.call('GET', KEYS[1]) \
    if cur then \
      local sep = string.find(cur, '|', 1, true) \
      local holder = string.sub(cur, 1, sep - 1) \
      local exp = tonumber(string.sub(cur, sep + 1)) \
      if exp > tonumber(ARGV[3]) then \
        if holder ~= ARGV[1] then return exp end \
        redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EXAT', ARGV[2]) \
        return -1 \
      end \
    end \
    redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EXAT', ARGV[2]) \
    return 0";

/// ARGV: owner. Deletes the key only if that owner holds it.
const RELEASE: &str = "local cur = redis.call('GET', KEYS[1]) \
    if cur and string.sub(cur, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '|' then \
      redis.call('DEL', KEYS[1]) \
    end \
    return 0";

#[async_trait]
impl LockStore for RedisLocks {
    async fn acquire(
        &self,
        key: &str,
        owner: &str,
        expires_at: u64,
        now: u64,
    ) -> Result<LockOutcome, StoreError> {
        let args = vec![
            Value::from(owner),
            Value::from(i64::try_from(expires_at).unwrap_or(i64::MAX)),
            Value::from(i64::try_from(now).unwrap_or(i64::MAX)),
        ];
        let answer: i64 = eval(&self.pool, ACQUIRE, &format!("{LOCK_PREFIX}{key}"), args).await?;
        Ok(match answer {
            -1 => LockOutcome::AlreadyOurs,
            0 => LockOutcome::Acquired,
            until => LockOutcome::HeldUntil(u64::try_from(until).unwrap_or(0)),
        })
    }

    async fn release(&self, key: &str, owner: &str) -> Result<(), StoreError> {
        eval::<i64>(
            &self.pool,
            RELEASE,
            &format!("{LOCK_PREFIX}{key}"),
            vec![Value::from(owner)],
        )
        .await
        .map(|_| ())
    }
}
