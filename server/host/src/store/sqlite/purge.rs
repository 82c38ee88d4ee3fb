//! Background deletion of expired rows from the SQLite tables that live beside the sessions.

use std::time::{Duration, SystemTime};
use tower_sessions_sqlx_store::sqlx::{self, SqlitePool};

/// How often rows that can no longer matter are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(600);

/// Deletes the rows of `table` whose `expires_at` (unix seconds) has passed, now and every
/// ten minutes, for as long as the process runs; a failure is logged and retried next time.
/// `table` is one of our own constant names, never input.
pub fn spawn_expiry_purge(pool: SqlitePool, table: &'static str) {
    let statement = format!("DELETE FROM {table} WHERE expires_at < ?");
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(PURGE_EVERY);
        loop {
            tick.tick().await;
            let now = app_core::clock::unix_seconds(SystemTime::now()) as i64;
            if let Err(error) = sqlx::query(&statement).bind(now).execute(&pool).await {
                tracing::warn!(%error, table, "expired row purge failed");
            }
        }
    });
}
