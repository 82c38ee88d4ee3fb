//! One conformance suite per store port, each a story run unchanged against every backend
//! that implements the port: memory, SQLite and Redis for the session database's ports
//! ([`locks`], [`counters`], [`blocks`], [`session_index`]), memory, SQLite and PostgreSQL for
//! [`accounts`]. Redis and PostgreSQL are private servers of the test's own
//! (`super::test_servers`). Each backend's test also checks what only it can get wrong
//! (Redis key expiry, SQLite's purge column, unreadable rows).

mod accounts;
mod blocks;
mod counters;
mod locks;
mod session_index;

use super::{AnyStore, Stores};
use crate::config::SessionStoreConfig;
use std::path::PathBuf;

/// Unix seconds by the wall clock: the stories use real times because the SQLite stores
/// purge rows whose expiry has passed by the wall clock.
fn wall_now() -> u64 {
    app_core::clock::unix_seconds(std::time::SystemTime::now())
}

/// A temporary folder for a SQLite database, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    /// A new, not yet created, folder named after `what`.
    fn new(what: &str) -> Self {
        Self(std::env::temp_dir().join(format!("passwordless-{what}-{}", uuid::Uuid::new_v4())))
    }

    /// `name` inside the folder.
    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The in-memory session database's stores.
async fn memory_stores() -> Stores {
    AnyStore::open(&SessionStoreConfig::Memory)
        .await
        .expect("memory stores")
}

/// A SQLite session database's stores, in a folder of their own (removed when the answer's
/// folder is dropped).
async fn sqlite_stores(what: &str) -> (Stores, TempDir) {
    let dir = TempDir::new(what);
    let stores = AnyStore::open(&SessionStoreConfig::Sqlite(dir.join("sessions.db")))
        .await
        .expect("sqlite stores");
    (stores, dir)
}
