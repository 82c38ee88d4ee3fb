//! Each account's signed-in sessions in Redis: one hash per account,
//! `passwordless:sessions:{account}`, a field per session handle whose value is the session
//! as serde's JSON. Scripts only compare and copy those values, never decode or re-encode
//! them, so every rule (expiry, when a request is worth recording) stays in
//! `DeviceSession`. Adding a session moves the hash's expiry (`EXPIREAT`) to its sign-in plus
//! the longest a session lasts, if later, so Redis forgets an account's hash once its newest
//! session is over; expired fields are deleted when `seen` or `list` meets them.

use super::connection::eval;
use app_core::auth::server::store::session_index::{DeviceSession, SessionIndex};
use app_core::auth::server::StoreError;
use async_trait::async_trait;
use fred::prelude::Pool;
use fred::types::Value;

/// Prefix of the per-account hashes, so an operator can tell them from session keys.
const INDEX_PREFIX: &str = "passwordless:sessions:";

/// Fields per `HDEL` (Lua's `unpack` takes a few thousand at most).
const END_BATCH: usize = 500;

/// Times `seen` re-reads an entry that another request changed between its read and write.
const SEEN_ATTEMPTS: usize = 3;

/// The session index shared by every instance on the same Redis.
#[derive(Clone, Debug)]
pub struct RedisSessionIndex {
    pool: Pool,
}

impl RedisSessionIndex {
    /// The index on `pool`.
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }
}

/// ARGV: handle, JSON, unix second until which the hash must stay. Writes the field and
/// pushes the hash's expiry to that second unless it already lasts longer (`PTTL` against
/// Redis's `TIME`, so any Redis from 5 on; `EXPIREAT … GT` would need 7).
const ADD: &str = "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) \
    local keep = tonumber(ARGV[3]) \
    local pttl = redis.call('PTTL', KEYS[1]) \
    local t = redis.call('TIME') \
    local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) \
    if pttl < 0 or now_ms + pttl < keep * 1000 then \
      redis.call('EXPIREAT', KEYS[1], keep) \
    end \
    return 0";

/// ARGV: handle. The field's value, or nil.
const GET: &str = "return redis.call('HGET', KEYS[1], ARGV[1])";

/// ARGV: handle, the value read, its replacement (empty: delete). Answers 0 when the field
/// is gone (ended: never written again), 1 when replaced, 2 when it holds another value
/// (changed by another request since it was read; nothing written).
const SWAP: &str = "local cur = redis.call('HGET', KEYS[1], ARGV[1]) \
    if not cur then return 0 end \
    if cur ~= ARGV[2] then return 2 end \
    if ARGV[3] == '' then \
      redis.call('HDEL', KEYS[1], ARGV[1]) \
    else \
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) \
    end \
    return 1";

/// Every field as a flat list of handle, value pairs.
const ALL: &str = "return redis.call('HGETALL', KEYS[1])";

/// ARGV: pairs of handle and the value read. Deletes each field still holding that value.
const FORGET: &str = "for i = 1, #ARGV, 2 do \
      if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then \
        redis.call('HDEL', KEYS[1], ARGV[i]) \
      end \
    end \
    return 0";

/// ARGV: handles. Deletes them, answering how many were there (Redis runs one script at a
/// time, so of two ends of one handle only the first counts it).
const END: &str = "return redis.call('HDEL', KEYS[1], unpack(ARGV))";

fn key(account: &str) -> String {
    format!("{INDEX_PREFIX}{account}")
}

fn seconds(value: u64) -> Value {
    Value::from(i64::try_from(value).unwrap_or(i64::MAX))
}

/// The latest second `session` can be over, however often it is seen.
fn latest_end(session: &DeviceSession) -> u64 {
    session.ends_at_latest()
}

fn decode(raw: &str) -> Result<DeviceSession, StoreError> {
    serde_json::from_str(raw)
        .map_err(|e| StoreError::corrupt("redis", format!("session index entry: {e}")))
}

fn encode(session: &DeviceSession) -> Result<String, StoreError> {
    serde_json::to_string(session)
        .map_err(|e| StoreError::corrupt("redis", format!("session index entry: {e}")))
}

impl RedisSessionIndex {
    /// Replaces `handle`'s value `read` with `new` (empty: deletes it); see [`SWAP`].
    async fn swap(
        &self,
        key: &str,
        handle: &str,
        read: &str,
        new: &str,
    ) -> Result<i64, StoreError> {
        let args = vec![Value::from(handle), Value::from(read), Value::from(new)];
        eval(&self.pool, SWAP, key, args).await
    }
}

#[async_trait]
impl SessionIndex for RedisSessionIndex {
    async fn add(&self, account: &str, session: &DeviceSession) -> Result<(), StoreError> {
        let keep = latest_end(session);
        let args = vec![
            Value::from(session.handle.as_str()),
            Value::from(encode(session)?),
            seconds(keep),
        ];
        eval::<i64>(&self.pool, ADD, &key(account), args)
            .await
            .map(|_| ())
    }

    async fn seen(
        &self,
        account: &str,
        handle: &str,
        now: u64,
        network: &str,
    ) -> Result<bool, StoreError> {
        // Read, decide with `DeviceSession`'s rules, then write only if the field still
        // holds what was read: a request worth no write costs one read, and an entry ended
        // meanwhile is never written back.
        let key = key(account);
        for _ in 0..SEEN_ATTEMPTS {
            let read: Option<String> =
                eval(&self.pool, GET, &key, vec![Value::from(handle)]).await?;
            let Some(read) = read else {
                return Ok(false);
            };
            let entry = decode(&read)?;
            if !entry.is_live(now) {
                self.swap(&key, handle, &read, "").await?;
                return Ok(false);
            }
            if !entry.worth_recording(now, network) {
                return Ok(true);
            }
            let mut recorded = entry;
            recorded.last_seen_at = recorded.last_seen_at.max(now);
            network.clone_into(&mut recorded.network);
            match self.swap(&key, handle, &read, &encode(&recorded)?).await? {
                0 => return Ok(false),
                1 => return Ok(true),
                _ => {} // Another request wrote it meanwhile: read it again.
            }
        }
        // Still listed, just busy: this request goes unrecorded, like one within the
        // resolution.
        Ok(true)
    }

    async fn list(&self, account: &str, now: u64) -> Result<Vec<DeviceSession>, StoreError> {
        let key = key(account);
        let flat: Vec<String> = eval(&self.pool, ALL, &key, Vec::new()).await?;
        let mut live = Vec::new();
        let mut expired = Vec::new();
        for pair in flat.chunks(2) {
            let [handle, value] = pair else {
                return Err(StoreError::corrupt("redis", "odd HGETALL reply"));
            };
            let entry = decode(value)?;
            if entry.is_live(now) {
                live.push(entry);
            } else {
                expired.push(Value::from(handle.as_str()));
                expired.push(Value::from(value.as_str()));
            }
        }
        if !expired.is_empty() {
            eval::<i64>(&self.pool, FORGET, &key, expired).await?;
        }
        live.sort_by(|a, b| (a.signed_in_at, &a.handle).cmp(&(b.signed_in_at, &b.handle)));
        Ok(live)
    }

    async fn end(&self, account: &str, handles: &[String]) -> Result<usize, StoreError> {
        let key = key(account);
        let mut ended = 0;
        for batch in handles.chunks(END_BATCH) {
            let args = batch.iter().map(|h| Value::from(h.as_str())).collect();
            let count: i64 = eval(&self.pool, END, &key, args).await?;
            ended += usize::try_from(count).unwrap_or(0);
        }
        Ok(ended)
    }
}
