//! The session store chosen by `SESSION_STORE`: SQLite (default), Redis (shared by several
//! instances) or memory.

mod memory_sessions;
mod redis;
mod redis_blocks;
pub mod redis_eviction;
mod redis_locks;
mod redis_session_index;
mod sqlite_blocks;
mod sqlite_counters;
mod sqlite_locks;
mod sqlite_purge;
mod sqlite_session_index;
mod sqlite_sessions;

#[cfg(test)]
mod block_tests;
#[cfg(test)]
mod counter_tests;
#[cfg(test)]
mod lock_tests;
#[cfg(test)]
mod session_index_tests;
#[cfg(test)]
mod test_redis;

use crate::config::SessionStoreConfig;
use app_core::auth::server::guard::{BlockStore, MemoryBlocks};
use app_core::auth::server::number_lock::{LockStore, MemoryLocks};
use app_core::auth::server::rate_limit::{CounterStore, MemoryCounters};
use app_core::auth::server::sessions::{MemorySessionIndex, SessionIndex};
use async_trait::async_trait;
use memory_sessions::MemorySessions;
use sqlite_counters::SqliteCounters;
use sqlite_locks::SqliteLocks;
use std::sync::Arc;
use std::time::Duration;
use tower_sessions::{
    session::{Id, Record},
    session_store, ExpiredDeletion, SessionStore,
};
use tower_sessions_redis_store::{fred::prelude::Pool as RedisPool, RedisStore};
use tower_sessions_sqlx_store::{
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqliteStore,
};

/// Either store behind one type, so the router is the same whichever is configured.
#[derive(Debug, Clone)]
pub enum AnyStore {
    /// In-process; lost on restart; expired sessions forgotten.
    Memory(MemorySessions),
    /// A SQLite file; survives restarts.
    Sqlite(sqlite_sessions::SqliteSessions),
    /// Redis, shared by every instance pointed at it; keys expire with their sessions.
    Redis(RedisStore<RedisPool>, RedisPool),
}

/// How often expired sessions are purged from SQLite.
const PURGE_EVERY: Duration = Duration::from_secs(600);

/// The session store and the rate-limit counters kept beside it.
pub struct Stores {
    /// Sessions.
    pub sessions: AnyStore,
    /// Rate-limit counters in the same database.
    pub counters: Arc<dyn CounterStore>,
    /// Number locks (one owner per pending code) in the same database.
    pub locks: Arc<dyn LockStore>,
    /// The fraud guard's blocks in the same database.
    pub blocks: Arc<dyn BlockStore>,
    /// Each account's signed-in sessions in the same database.
    pub index: Arc<dyn SessionIndex>,
}

impl AnyStore {
    /// Opens (creating if missing) the configured store and, for SQLite, its tables and
    /// background tasks that delete expired sessions and counters.
    pub async fn open(config: &SessionStoreConfig) -> Result<Stores, String> {
        match config {
            SessionStoreConfig::Memory => Ok(Stores {
                sessions: Self::Memory(MemorySessions::default()),
                counters: Arc::new(MemoryCounters::default()),
                locks: Arc::new(MemoryLocks::default()),
                blocks: Arc::new(MemoryBlocks::default()),
                index: Arc::new(MemorySessionIndex::default()),
            }),
            SessionStoreConfig::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                }
                // WAL with NORMAL sync: readers never block the writer and a commit costs no
                // fsync (durability up to the last checkpoint is enough for sessions). A
                // checkpoint does fsync: one every 10 000 pages (40 MB of WAL, truncated
                // back to 64 MB at most) instead of SQLite's 1 000 buys about 10 % more
                // login flows per second under load (`make bench`).
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .pragma("wal_autocheckpoint", "10000")
                    .pragma("journal_size_limit", "67108864")
                    .busy_timeout(std::time::Duration::from_secs(5));
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(options)
                    .await
                    .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
                let counters = SqliteCounters::open(pool.clone())
                    .await
                    .map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
                let locks = SqliteLocks::open(pool.clone())
                    .await
                    .map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
                let blocks = sqlite_blocks::SqliteBlocks::open(pool.clone())
                    .await
                    .map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
                let index = sqlite_session_index::SqliteSessionIndex::open(pool.clone())
                    .await
                    .map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
                let store = SqliteStore::new(pool.clone());
                store
                    .migrate()
                    .await
                    .map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
                let purger = store.clone();
                tokio::spawn(async move {
                    if let Err(error) = purger.continuously_delete_expired(PURGE_EVERY).await {
                        tracing::error!(%error, "expired-session purge stopped");
                    }
                });
                Ok(Stores {
                    sessions: Self::Sqlite(sqlite_sessions::SqliteSessions::new(store, pool)),
                    counters: Arc::new(counters),
                    locks: Arc::new(locks),
                    blocks: Arc::new(blocks),
                    index: Arc::new(index),
                })
            }
            SessionStoreConfig::Redis(settings) => {
                let pool = redis::connect(&settings.url, settings.ca_file.as_deref()).await?;
                if let Some(warning) = redis_eviction::check(&pool).await {
                    tracing::warn!(%warning, "Redis eviction policy");
                }
                Ok(Stores {
                    sessions: Self::Redis(RedisStore::new(pool.clone()), pool.clone()),
                    counters: Arc::new(redis::RedisCounters::new(pool.clone())),
                    locks: Arc::new(redis_locks::RedisLocks::new(pool.clone())),
                    blocks: Arc::new(redis_blocks::RedisBlocks::new(pool.clone())),
                    index: Arc::new(redis_session_index::RedisSessionIndex::new(pool)),
                })
            }
        }
    }
}

impl AnyStore {
    /// What the store's eviction policy risks (Redis only: see [`redis_eviction`]), as the
    /// warning start-up logs; `None` when counters and locks cannot be evicted.
    pub async fn eviction_warning(&self) -> Option<String> {
        match self {
            Self::Redis(_, pool) => redis_eviction::check(pool).await,
            Self::Memory(_) | Self::Sqlite(_) => None,
        }
    }

    /// `Ok` when the store answers a trivial query.
    pub async fn ping(&self) -> Result<(), String> {
        match self {
            Self::Memory(_) => Ok(()),
            Self::Sqlite(s) => s.ping().await,
            Self::Redis(_, pool) => redis::ping(pool).await,
        }
    }
}

#[async_trait]
impl SessionStore for AnyStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Self::Memory(s) => s.create(record).await,
            Self::Sqlite(s) => s.create(record).await,
            Self::Redis(s, _) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Self::Memory(s) => s.save(record).await,
            Self::Sqlite(s) => s.save(record).await,
            Self::Redis(s, _) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Self::Memory(s) => s.load(id).await,
            Self::Sqlite(s) => s.load(id).await,
            Self::Redis(s, _) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Self::Memory(s) => s.delete(id).await,
            Self::Sqlite(s) => s.delete(id).await,
            Self::Redis(s, _) => s.delete(id).await,
        }
    }
}
