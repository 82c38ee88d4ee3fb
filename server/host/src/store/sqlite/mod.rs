//! The SQLite backend: one file for the sessions and everything kept beside them
//! (`SESSION_STORE=sqlite://PATH`, the default), and one for the accounts and their passkeys
//! (`ACCOUNT_STORE=sqlite://PATH`). Both are opened by [`connect`] and brought up to date by
//! their migrations (`super::schema`); expired rows are purged in the background.

mod accounts;
pub(super) mod blocks;
pub(super) mod counters;
pub(super) mod locks;
mod passkeys;
mod purge;
pub(super) mod session_index;
pub(super) mod sessions;

pub use accounts::SqliteAccounts;

use super::schema::{migrate_sqlite, SQLITE_SESSIONS};
use super::Stores;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tower_sessions::ExpiredDeletion;
use tower_sessions_sqlx_store::SqliteStore;

/// How often expired sessions are purged.
const PURGE_EVERY: Duration = Duration::from_secs(600);

/// The tables beside the sessions whose rows carry an `expires_at` to purge by.
const EXPIRING_TABLES: [&str; 4] = [
    "rate_counters",
    "number_locks",
    "guard_blocks",
    "account_sessions",
];

/// Opens `path` (creating it and its folder if missing) in WAL mode, with a 5 s busy
/// timeout and up to four connections; `tune` adds the store's own settings.
pub(super) async fn connect(
    path: &Path,
    tune: impl FnOnce(SqliteConnectOptions) -> SqliteConnectOptions,
) -> Result<SqlitePool, String> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(5));
    SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(tune(options))
        .await
        .map_err(|e| format!("cannot open {}: {e}", path.display()))
}

/// Opens the session database at `path`, brings its tables up to date and starts the
/// background purges of expired sessions and rows.
pub(super) async fn open(path: &Path) -> Result<Stores, String> {
    // NORMAL sync under WAL: readers never block the writer and a commit costs no fsync
    // (durability up to the last checkpoint is enough for sessions). A checkpoint does
    // fsync: one every 10 000 pages (40 MB of WAL, truncated back to 64 MB at most) instead
    // of SQLite's 1 000 buys about 10 % more login flows per second under load (`make bench`).
    let pool = connect(path, |options| {
        options
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
            .pragma("wal_autocheckpoint", "10000")
            .pragma("journal_size_limit", "67108864")
    })
    .await?;
    migrate_sqlite(&pool, &SQLITE_SESSIONS)
        .await
        .map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
    for table in EXPIRING_TABLES {
        purge::spawn_expiry_purge(pool.clone(), table);
    }
    let store = SqliteStore::new(pool.clone());
    let purger = store.clone();
    tokio::spawn(async move {
        if let Err(error) = purger.continuously_delete_expired(PURGE_EVERY).await {
            tracing::error!(%error, "expired-session purge stopped");
        }
    });
    Ok(Stores {
        sessions: super::AnyStore::Sqlite(sessions::SqliteSessions::new(store, pool.clone())),
        counters: Arc::new(counters::SqliteCounters::new(pool.clone())),
        locks: Arc::new(locks::SqliteLocks::new(pool.clone())),
        blocks: Arc::new(blocks::SqliteBlocks::new(pool.clone())),
        index: Arc::new(session_index::SqliteSessionIndex::new(pool)),
    })
}
