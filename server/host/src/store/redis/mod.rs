//! The Redis backend (`SESSION_STORE=redis://…` or `rediss://…`), shared by several
//! instances: sessions through `tower-sessions-redis-store`, and beside them the counters,
//! locks, blocks and session index, each kept in keys that Redis expires itself and changed
//! only by atomic scripts. Eviction must never drop them before a session ([`eviction`]).

pub(super) mod blocks;
mod connection;
pub(super) mod counters;
pub mod eviction;
pub(super) mod locks;
pub(super) mod session_index;

pub(super) use connection::ping;

use super::{AnyStore, Stores};
use crate::config::RedisSettings;
use std::sync::Arc;
use tower_sessions_redis_store::RedisStore;

/// Connects to the configured Redis (see [`connection::connect`]), warns at start-up when
/// its eviction policy risks the counters and locks, and opens every store on one pool.
pub(super) async fn open(settings: &RedisSettings) -> Result<Stores, String> {
    let pool = connection::connect(&settings.url, settings.ca_file.as_deref()).await?;
    if let Some(warning) = eviction::check(&pool).await {
        tracing::warn!(%warning, "Redis eviction policy");
    }
    Ok(Stores {
        sessions: AnyStore::Redis(RedisStore::new(pool.clone()), pool.clone()),
        counters: Arc::new(counters::RedisCounters::new(pool.clone())),
        locks: Arc::new(locks::RedisLocks::new(pool.clone())),
        blocks: Arc::new(blocks::RedisBlocks::new(pool.clone())),
        index: Arc::new(session_index::RedisSessionIndex::new(pool)),
    })
}
