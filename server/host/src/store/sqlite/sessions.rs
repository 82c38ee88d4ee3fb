//! Sessions in SQLite: `tower-sessions-sqlx-store`'s table and encoding, with a new session
//! created in one statement. The library wraps each create in a transaction (`BEGIN`,
//! `INSERT`, `COMMIT`: three round trips to SQLite's worker thread); a single `INSERT` is
//! atomic by itself, and an id collision (128 random bits) is retried with a new id.

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::{session_store, SessionStore};
use tower_sessions_sqlx_store::sqlx::{self, SqlitePool};
use tower_sessions_sqlx_store::SqliteStore;

/// Sessions in the `tower_sessions` table of `pool`.
#[derive(Clone, Debug)]
pub struct SqliteSessions {
    store: SqliteStore,
    pool: SqlitePool,
}

impl SqliteSessions {
    /// Sessions on `pool`, in the table `store` created (`SqliteStore::migrate`).
    pub fn new(store: SqliteStore, pool: SqlitePool) -> Self {
        Self { store, pool }
    }

    /// `Ok` when the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), String> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Inserts `record` unless its id exists; `Ok(false)` on an id collision.
    async fn try_insert(&self, record: &Record) -> session_store::Result<bool> {
        let data =
            rmp_serde::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let inserted = sqlx::query(
            "INSERT OR ABORT INTO tower_sessions (id, data, expiry_date) VALUES (?, ?, ?)",
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(record.expiry_date)
        .execute(&self.pool)
        .await;
        match inserted {
            Ok(_) => Ok(true),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
            Err(e) => Err(session_store::Error::Backend(e.to_string())),
        }
    }
}

#[async_trait]
impl SessionStore for SqliteSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        while !self.try_insert(record).await? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.store.save(record).await
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        self.store.load(id).await
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store.delete(id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SessionStoreConfig;
    use crate::store::AnyStore;
    use std::collections::HashMap;
    use time::OffsetDateTime;

    #[tokio::test]
    async fn a_created_session_loads_back_and_a_taken_id_gets_a_new_one() {
        let dir = std::env::temp_dir().join(format!("passwordless-sessions-{}", Id::default()));
        let stores = AnyStore::open(&SessionStoreConfig::Sqlite(dir.join("s.db")))
            .await
            .expect("sqlite store");
        let sessions = stores.sessions;
        let mut record = Record {
            id: Id::default(),
            data: HashMap::from([("k".to_owned(), serde_json::json!("v"))]),
            expiry_date: OffsetDateTime::now_utc() + time::Duration::hours(1),
        };
        sessions.create(&mut record).await.expect("created");
        let loaded = sessions.load(&record.id).await.expect("loaded");
        assert_eq!(loaded.map(|r| r.data), Some(record.data.clone()));
        let taken = record.id;
        let mut again = record.clone();
        sessions.create(&mut again).await.expect("created");
        assert_ne!(
            again.id, taken,
            "a colliding id is replaced, never overwritten"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
