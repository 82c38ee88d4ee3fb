//! The fraud guard's blocks in Redis: one hash, a field per scope holding
//! `SINCE|UNTIL|STRIKES|SENDS|VERIFIED`, changed only by atomic scripts. A field stays after its
//! block ends (a repeat within the longest block's time is longer) until the scope's next
//! block overwrites it; the hash holds only scopes blocked at some time, a short list. Each
//! block pushes the hash's expiry to its end plus the longest block (never earlier; relative,
//! so a clock skew cannot delete it early), so Redis deletes the hash once none of its
//! blocks can count as a repeat any more.

use super::connection::eval;
use app_core::auth::server::store::blocks::{Block, BlockStore, BlockTerms, Placed};
use app_core::auth::server::StoreError;
use async_trait::async_trait;
use fred::prelude::Pool;
use fred::types::Value;

/// The hash of blocks.
const BLOCKS_KEY: &str = "passwordless:guard:blocks";

/// Blocks shared by every instance on the same Redis.
#[derive(Clone, Debug)]
pub struct RedisBlocks {
    pool: Pool,
}

impl RedisBlocks {
    /// Blocks on `pool`.
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }
}

/// ARGV: scope, now, first length, max, base, sends, verified. Answers the block as it now
/// is and 1 when this call placed it, else 0. A placed block keeps the hash for at least
/// its length plus `max` seconds.
const PLACE: &str = "local now = tonumber(ARGV[2]) \
    local max = tonumber(ARGV[4]) \
    local cur = redis.call('HGET', KEYS[1], ARGV[1]) \
    local strikes, length = 1, tonumber(ARGV[3]) \
    if cur then \
      local f = {} \
      for v in string.gmatch(cur, '[^|]+') do f[#f + 1] = tonumber(v) end \
      if f[2] > now then return {f[1], f[2], f[3], f[4], f[5], 0} end \
      if f[2] + max > now then \
        strikes = f[3] + 1 \
        length = math.min(max, tonumber(ARGV[5]) * math.pow(2, math.min(f[3], 32))) \
      end \
    end \
    local ends = now + length \
    redis.call('HSET', KEYS[1], ARGV[1], \
      string.format('%d|%d|%d|%d|%d', now, ends, strikes, ARGV[6], ARGV[7])) \
    local keep = length + max \
    local left = redis.call('TTL', KEYS[1]) \
    if left < 0 or left < keep then redis.call('EXPIRE', KEYS[1], keep) end \
    return {now, ends, strikes, tonumber(ARGV[6]), tonumber(ARGV[7]), 1}";

/// ARGV: scopes. Their values, `false` where none.
const SOME: &str = "return redis.call('HMGET', KEYS[1], unpack(ARGV))";

/// Every field as a flat list of scope, value pairs.
const LIST: &str = "return redis.call('HGETALL', KEYS[1])";

/// ARGV: scope. Deletes the field, answering its value (or false).
const LIFT: &str = "local cur = redis.call('HGET', KEYS[1], ARGV[1]) \
    redis.call('HDEL', KEYS[1], ARGV[1]) \
    return cur";

fn seconds(value: u64) -> Value {
    Value::from(i64::try_from(value).unwrap_or(i64::MAX))
}

fn number(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Reads a stored `SINCE|UNTIL|STRIKES|SENDS|VERIFIED`.
fn parse(scope: &str, value: &str) -> Option<Block> {
    let fields: Vec<u64> = value
        .split('|')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let small = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    match fields[..] {
        [since, until, strikes, sends, verified] => Some(Block {
            scope: scope.to_owned(),
            since,
            until,
            strikes: small(strikes),
            sends: small(sends),
            verified: small(verified),
        }),
        _ => None,
    }
}

impl RedisBlocks {
    async fn all(&self) -> Result<Vec<Block>, StoreError> {
        let flat: Vec<String> = eval(&self.pool, LIST, BLOCKS_KEY, Vec::new()).await?;
        Ok(flat
            .chunks(2)
            .filter_map(|pair| match pair {
                [scope, value] => parse(scope, value),
                _ => None,
            })
            .collect())
    }
}

#[async_trait]
impl BlockStore for RedisBlocks {
    async fn place(
        &self,
        scope: &str,
        counts: (u32, u32),
        now: u64,
        terms: BlockTerms,
    ) -> Result<Placed, StoreError> {
        let args = vec![
            Value::from(scope),
            seconds(now),
            seconds(terms.length(1)),
            seconds(terms.max),
            seconds(terms.base),
            Value::from(i64::from(counts.0)),
            Value::from(i64::from(counts.1)),
        ];
        let answer: Vec<i64> = eval(&self.pool, PLACE, BLOCKS_KEY, args).await?;
        let [since, until, strikes, sends, verified, new] = answer[..] else {
            return Err(StoreError::corrupt(
                "redis",
                format!("unexpected block reply {answer:?}"),
            ));
        };
        let small = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        Ok(Placed {
            block: Block {
                scope: scope.to_owned(),
                since: number(since),
                until: number(until),
                strikes: small(strikes),
                sends: small(sends),
                verified: small(verified),
            },
            new: new == 1,
        })
    }

    async fn active(&self, scopes: &[String], now: u64) -> Result<Vec<Block>, StoreError> {
        if scopes.is_empty() {
            return Ok(Vec::new());
        }
        let args = scopes.iter().map(|s| Value::from(s.as_str())).collect();
        let values: Vec<Option<String>> = eval(&self.pool, SOME, BLOCKS_KEY, args).await?;
        Ok(scopes
            .iter()
            .zip(values)
            .filter_map(|(scope, value)| parse(scope, &value?))
            .filter(|b| b.until > now)
            .collect())
    }

    async fn list(&self, now: u64) -> Result<Vec<Block>, StoreError> {
        let mut blocks: Vec<Block> = self
            .all()
            .await?
            .into_iter()
            .filter(|b| b.until > now)
            .collect();
        blocks.sort_by(|a, b| a.scope.cmp(&b.scope));
        Ok(blocks)
    }

    async fn lift(&self, scope: &str, now: u64) -> Result<bool, StoreError> {
        let value: Option<String> =
            eval(&self.pool, LIFT, BLOCKS_KEY, vec![Value::from(scope)]).await?;
        Ok(value
            .and_then(|v| parse(scope, &v))
            .is_some_and(|b| b.until > now))
    }
}
