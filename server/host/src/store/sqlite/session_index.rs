//! Each account's signed-in sessions in the session database: one row per session, keyed by
//! account and handle, with its expiry (`DeviceSession::expires_at`) kept in `expires_at` so
//! the background purge deletes it once it is over.

use crate::store::errors::sqlite as store_error;
use app_core::auth::server::store::session_index::{DeviceSession, SessionIndex, SignInFactor};
use app_core::auth::server::StoreError;
use async_trait::async_trait;
use tower_sessions_sqlx_store::sqlx::{self, Row, SqlitePool};

/// Handles ended per `DELETE` (well under SQLite's limit on bound parameters).
const END_BATCH: usize = 500;

const COLUMNS: &str = "handle, signed_in_at, last_seen_at, device, network, factor";

/// The session index in a SQLite table next to the sessions.
#[derive(Clone, Debug)]
pub struct SqliteSessionIndex {
    pool: SqlitePool,
}

impl SqliteSessionIndex {
    /// The store on `pool`, whose tables the session database's migration created.
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }
}

fn seconds(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn session_of(row: &sqlx::sqlite::SqliteRow) -> Result<DeviceSession, StoreError> {
    let number = |name: &str| -> Result<u64, StoreError> {
        let value: i64 = row.try_get(name).map_err(store_error)?;
        Ok(u64::try_from(value).unwrap_or(0))
    };
    let factor: String = row.try_get("factor").map_err(store_error)?;
    let factor: SignInFactor = serde_json::from_str(&factor)
        .map_err(|e| StoreError::corrupt("sqlite", format!("session factor: {e}")))?;
    Ok(DeviceSession {
        handle: row.try_get("handle").map_err(store_error)?,
        signed_in_at: number("signed_in_at")?,
        last_seen_at: number("last_seen_at")?,
        device: row.try_get("device").map_err(store_error)?,
        network: row.try_get("network").map_err(store_error)?,
        factor,
    })
}

#[async_trait]
impl SessionIndex for SqliteSessionIndex {
    async fn add(&self, account: &str, session: &DeviceSession) -> Result<(), StoreError> {
        let factor = serde_json::to_string(&session.factor)
            .map_err(|e| StoreError::corrupt("sqlite", format!("session factor: {e}")))?;
        sqlx::query(
            "INSERT INTO account_sessions
                (account, handle, signed_in_at, last_seen_at, device, network, factor, expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (account, handle) DO UPDATE SET
                signed_in_at = excluded.signed_in_at,
                last_seen_at = excluded.last_seen_at,
                device = excluded.device,
                network = excluded.network,
                factor = excluded.factor,
                expires_at = excluded.expires_at",
        )
        .bind(account)
        .bind(&session.handle)
        .bind(seconds(session.signed_in_at))
        .bind(seconds(session.last_seen_at))
        .bind(&session.device)
        .bind(&session.network)
        .bind(factor)
        .bind(seconds(session.expires_at()))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(store_error)
    }

    async fn seen(
        &self,
        account: &str,
        handle: &str,
        now: u64,
        network: &str,
    ) -> Result<bool, StoreError> {
        // A read decides (with `DeviceSession`'s own rules) whether anything is worth
        // writing, so a busy session costs no write; the write is conditional on the row
        // still being there and live, so a session ended meanwhile is never listed again.
        let statement =
            format!("SELECT {COLUMNS} FROM account_sessions WHERE account = ? AND handle = ?");
        let row = sqlx::query(&statement)
            .bind(account)
            .bind(handle)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        let Some(row) = row else {
            return Ok(false);
        };
        let entry = session_of(&row)?;
        if !entry.is_live(now) {
            sqlx::query(
                "DELETE FROM account_sessions WHERE account = ? AND handle = ? AND expires_at <= ?",
            )
            .bind(account)
            .bind(handle)
            .bind(seconds(now))
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
            return Ok(false);
        }
        if !entry.worth_recording(now, network) {
            return Ok(true);
        }
        let mut recorded = entry;
        recorded.last_seen_at = recorded.last_seen_at.max(now);
        network.clone_into(&mut recorded.network);
        // `RETURNING` says whether the row was still there (see `locks.rs`).
        let updated: Option<i64> = sqlx::query_scalar(
            "UPDATE account_sessions SET
                last_seen_at = MAX(last_seen_at, ?),
                network = ?,
                expires_at = MAX(expires_at, ?)
             WHERE account = ? AND handle = ? AND expires_at > ?
             RETURNING 1",
        )
        .bind(seconds(recorded.last_seen_at))
        .bind(network)
        .bind(seconds(recorded.expires_at()))
        .bind(account)
        .bind(handle)
        .bind(seconds(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(updated.is_some())
    }

    async fn list(&self, account: &str, now: u64) -> Result<Vec<DeviceSession>, StoreError> {
        let statement = format!(
            "SELECT {COLUMNS} FROM account_sessions WHERE account = ? AND expires_at > ?
             ORDER BY signed_in_at, handle"
        );
        let rows = sqlx::query(&statement)
            .bind(account)
            .bind(seconds(now))
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        rows.iter().map(session_of).collect()
    }

    async fn end(&self, account: &str, handles: &[String]) -> Result<usize, StoreError> {
        let mut ended = 0;
        for batch in handles.chunks(END_BATCH) {
            let marks = vec!["?"; batch.len()].join(",");
            // One row back per row deleted: of two ends of one handle, only the first
            // deletes it (SQLite runs one writer at a time).
            let statement = format!(
                "DELETE FROM account_sessions WHERE account = ? AND handle IN ({marks})
                 RETURNING handle"
            );
            let mut query = sqlx::query(&statement).bind(account);
            for handle in batch {
                query = query.bind(handle);
            }
            ended += query
                .fetch_all(&self.pool)
                .await
                .map_err(store_error)?
                .len();
        }
        Ok(ended)
    }
}
