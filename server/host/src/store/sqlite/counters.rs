//! Rate-limit counters in the session database, so every instance sharing the store shares
//! the counts.

use crate::store::errors::sqlite as store_error;
use app_core::auth::server::store::counters::{CounterChange, CounterStore};
use app_core::auth::server::StoreError;
use async_trait::async_trait;
use std::collections::HashMap;
use tower_sessions_sqlx_store::sqlx::{self, SqlitePool};

/// Counters in a SQLite table next to the sessions.
#[derive(Clone, Debug)]
pub struct SqliteCounters {
    pool: SqlitePool,
}

impl SqliteCounters {
    /// The store on `pool`, whose tables the session database's migration created.
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl CounterStore for SqliteCounters {
    async fn get(&self, key: &str, window_start: u64) -> Result<u32, StoreError> {
        let count: Option<i64> = sqlx::query_scalar(
            "SELECT count FROM rate_counters WHERE key = ? AND window_start = ?",
        )
        .bind(key)
        .bind(window_start as i64)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(count.map_or(0, |c| u32::try_from(c).unwrap_or(u32::MAX)))
    }

    async fn add(
        &self,
        key: &str,
        window_start: u64,
        delta: i32,
        expires_at: u64,
    ) -> Result<u32, StoreError> {
        // One statement: SQLite serialises writers, so each caller gets its own new count.
        let count: i64 = sqlx::query_scalar(
            "INSERT INTO rate_counters (key, window_start, count, expires_at) VALUES (?, ?, MAX(?, 0), ?)
             ON CONFLICT (key, window_start) DO UPDATE
                SET count = MAX(rate_counters.count + ?, 0),
                    expires_at = MAX(rate_counters.expires_at, excluded.expires_at)
             RETURNING count",
        )
        .bind(key)
        .bind(window_start as i64)
        .bind(delta)
        .bind(expires_at as i64)
        .bind(delta)
        .fetch_one(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    async fn get_many(&self, windows: &[(String, u64)]) -> Result<Vec<u32>, StoreError> {
        if windows.is_empty() {
            return Ok(Vec::new());
        }
        let pairs = vec!["(?, ?)"; windows.len()].join(", ");
        let sql = format!(
            "SELECT key, window_start, count FROM rate_counters
             WHERE (key, window_start) IN (VALUES {pairs})"
        );
        let mut query = sqlx::query_as::<_, (String, i64, i64)>(&sql);
        for (key, window_start) in windows {
            query = query.bind(key).bind(*window_start as i64);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(store_error)?;
        let found: HashMap<(String, i64), i64> =
            rows.into_iter().map(|(k, w, c)| ((k, w), c)).collect();
        Ok(windows
            .iter()
            .map(|(key, start)| {
                let count = found.get(&(key.clone(), *start as i64)).copied();
                count.map_or(0, |c| u32::try_from(c).unwrap_or(u32::MAX))
            })
            .collect())
    }

    async fn add_many(&self, changes: &[CounterChange]) -> Result<Vec<u32>, StoreError> {
        if changes.is_empty() {
            return Ok(Vec::new());
        }
        // One statement for every counter: one write transaction, one round trip. The
        // change is `excluded.count` for a new row and `delta` (kept in a CTE) for an old one.
        let rows = vec!["(?, ?, ?, ?)"; changes.len()].join(", ");
        let sql = format!(
            "WITH changes (key, window_start, delta, expires_at) AS (VALUES {rows})
             INSERT INTO rate_counters (key, window_start, count, expires_at)
                SELECT key, window_start, MAX(delta, 0), expires_at FROM changes WHERE true
             ON CONFLICT (key, window_start) DO UPDATE
                SET count = MAX(rate_counters.count + (SELECT delta FROM changes
                        WHERE changes.key = excluded.key
                          AND changes.window_start = excluded.window_start), 0),
                    expires_at = MAX(rate_counters.expires_at, excluded.expires_at)
             RETURNING key, window_start, count"
        );
        let mut query = sqlx::query_as::<_, (String, i64, i64)>(&sql);
        for change in changes {
            query = query
                .bind(&change.key)
                .bind(change.window_start as i64)
                .bind(change.delta)
                .bind(change.expires_at as i64);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(store_error)?;
        let counts: HashMap<(String, i64), i64> =
            rows.into_iter().map(|(k, w, c)| ((k, w), c)).collect();
        changes
            .iter()
            .map(|c| {
                counts
                    .get(&(c.key.clone(), c.window_start as i64))
                    .map(|count| u32::try_from(*count).unwrap_or(u32::MAX))
                    .ok_or_else(|| {
                        StoreError::corrupt("sqlite", "a counter change returned no row")
                    })
            })
            .collect()
    }

    async fn delete(&self, key: &str, window_start: u64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM rate_counters WHERE key = ? AND window_start = ?")
            .bind(key)
            .bind(window_start as i64)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(store_error)
    }
}
