//! Number locks (one owner per pending upstream request) in the session database.

use crate::store::errors::sqlite as store_error;
use app_core::auth::server::store::locks::{LockOutcome, LockStore};
use app_core::auth::server::StoreError;
use async_trait::async_trait;
use tower_sessions_sqlx_store::sqlx::{self, SqlitePool};

/// Locks in a SQLite table next to the sessions.
#[derive(Clone, Debug)]
pub struct SqliteLocks {
    pool: SqlitePool,
}

impl SqliteLocks {
    /// The store on `pool`, whose tables the session database's migration created.
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl LockStore for SqliteLocks {
    async fn acquire(
        &self,
        key: &str,
        owner: &str,
        expires_at: u64,
        now: u64,
    ) -> Result<LockOutcome, StoreError> {
        let (expires_at, now) = (expires_at as i64, now as i64);
        // The usual case first, in one statement: nobody holds the number. `RETURNING`
        // says whether a row was written (SQLite's change count is not reset by a statement
        // that changes nothing, so `rows_affected` could report an earlier statement's).
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO number_locks (key, owner, expires_at) VALUES (?, ?, ?)
             ON CONFLICT (key) DO NOTHING RETURNING 1",
        )
        .bind(key)
        .bind(owner)
        .bind(expires_at)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        if inserted.is_some() {
            return Ok(LockOutcome::Acquired);
        }
        // Only this owner ever writes its own token, so extending our own lock needs no
        // read-then-write atomicity; taking an expired one is a single conditional update.
        let extended: Option<i64> = sqlx::query_scalar(
            "UPDATE number_locks SET expires_at = ? WHERE key = ? AND owner = ? AND expires_at > ?
             RETURNING 1",
        )
        .bind(expires_at)
        .bind(key)
        .bind(owner)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        if extended.is_some() {
            return Ok(LockOutcome::AlreadyOurs);
        }
        let taken: Option<i64> = sqlx::query_scalar(
            "UPDATE number_locks SET owner = ?, expires_at = ? WHERE key = ? AND expires_at <= ?
             RETURNING 1",
        )
        .bind(owner)
        .bind(expires_at)
        .bind(key)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        if taken.is_some() {
            return Ok(LockOutcome::Acquired);
        }
        let held: Option<i64> =
            sqlx::query_scalar("SELECT expires_at FROM number_locks WHERE key = ?")
                .bind(key)
                .fetch_optional(&self.pool)
                .await
                .map_err(store_error)?;
        // Released in between: still report busy, briefly, rather than race again.
        let until = held.unwrap_or(now + 1).max(now + 1);
        Ok(LockOutcome::HeldUntil(u64::try_from(until).unwrap_or(0)))
    }

    async fn release(&self, key: &str, owner: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM number_locks WHERE key = ? AND owner = ?")
            .bind(key)
            .bind(owner)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(store_error)
    }
}
