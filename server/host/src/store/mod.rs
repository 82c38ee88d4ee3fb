//! Where the login keeps its state, grouped by backend. `SESSION_STORE` picks the session
//! store and, in the same database, the counters, number locks, guard blocks and session
//! index ([`AnyStore::open`]): memory, SQLite ([`sqlite`], the default) or Redis ([`redis`],
//! shared by several instances). `ACCOUNT_STORE` picks the account store ([`open_accounts`]):
//! memory, SQLite or PostgreSQL ([`postgres`]). The ports and their memory doubles live in
//! `app_core::auth::server::store`; what the backends share is here: error mapping
//! ([`errors`]), the schema migrations of the SQL backends ([`schema`]), the SQL row mapping
//! ([`sql`]) and the answer when a store is down ([`outage`]). One conformance suite per
//! port runs against every backend (`conformance`, tests only).

#[cfg(test)]
mod conformance;
mod errors;
mod memory_sessions;
pub(crate) mod outage;
pub mod postgres;
pub mod redis;
mod schema;
mod sql;
pub mod sqlite;
#[cfg(any(test, feature = "test-support"))]
pub mod test_servers;

use memory_sessions::MemorySessions;
pub use postgres::PostgresAccounts;
pub use sqlite::SqliteAccounts;

use crate::config::{AccountStoreConfig, SessionStoreConfig};
use app_core::auth::server::store::accounts::{AccountStore, MemoryAccounts};
use app_core::auth::server::store::blocks::{BlockStore, MemoryBlocks};
use app_core::auth::server::store::counters::{CounterStore, MemoryCounters};
use app_core::auth::server::store::locks::{LockStore, MemoryLocks};
use app_core::auth::server::store::session_index::{MemorySessionIndex, SessionIndex};
use async_trait::async_trait;
use std::sync::Arc;
use tower_sessions::session::{Id, Record};
use tower_sessions::{session_store, SessionStore};
use tower_sessions_redis_store::{fred::prelude::Pool as RedisPool, RedisStore};

/// Either session store behind one type, so the router is the same whichever is configured.
#[derive(Debug, Clone)]
pub enum AnyStore {
    /// In-process; lost on restart; expired sessions forgotten.
    Memory(MemorySessions),
    /// A SQLite file; survives restarts.
    Sqlite(sqlite::sessions::SqliteSessions),
    /// Redis, shared by every instance pointed at it; keys expire with their sessions.
    Redis(RedisStore<RedisPool>, RedisPool),
}

/// The session store and the stores kept beside it, in the same database.
pub struct Stores {
    /// Sessions.
    pub sessions: AnyStore,
    /// Rate-limit and guard counters.
    pub counters: Arc<dyn CounterStore>,
    /// Number locks (one owner per pending code).
    pub locks: Arc<dyn LockStore>,
    /// The fraud guard's blocks.
    pub blocks: Arc<dyn BlockStore>,
    /// Each account's signed-in sessions.
    pub index: Arc<dyn SessionIndex>,
}

impl AnyStore {
    /// Opens (creating if missing) the configured store and every store beside it; for
    /// SQLite also its tables and the background tasks that delete expired rows.
    pub async fn open(config: &SessionStoreConfig) -> Result<Stores, String> {
        match config {
            SessionStoreConfig::Memory => Ok(Stores {
                sessions: Self::Memory(MemorySessions::default()),
                counters: Arc::new(MemoryCounters::default()),
                locks: Arc::new(MemoryLocks::default()),
                blocks: Arc::new(MemoryBlocks::default()),
                index: Arc::new(MemorySessionIndex::default()),
            }),
            SessionStoreConfig::Sqlite(path) => sqlite::open(path).await,
            SessionStoreConfig::Redis(settings) => redis::open(settings).await,
        }
    }
}

/// Opens the configured account store and brings its tables up to date. The error says
/// what failed without any password.
pub async fn open_accounts(config: &AccountStoreConfig) -> Result<Arc<dyn AccountStore>, String> {
    Ok(match config {
        AccountStoreConfig::Memory => Arc::new(MemoryAccounts::default()),
        AccountStoreConfig::Sqlite(path) => Arc::new(SqliteAccounts::open(path).await?),
        AccountStoreConfig::Postgres { url, timeout } => {
            Arc::new(PostgresAccounts::open(url, *timeout).await?)
        }
    })
}

impl AnyStore {
    /// What the store's eviction policy risks (Redis only: see [`redis::eviction`]), as the
    /// warning start-up logs; `None` when counters and locks cannot be evicted.
    pub async fn eviction_warning(&self) -> Option<String> {
        match self {
            Self::Redis(_, pool) => redis::eviction::check(pool).await,
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
