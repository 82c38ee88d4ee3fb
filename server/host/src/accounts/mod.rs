//! The account stores behind `ACCOUNT_STORE`: SQLite (default, one file beside the sessions)
//! and PostgreSQL (shared by several instances), both through sqlx with their migrations run
//! at start-up; in memory for tests.

mod postgres;
mod postgres_passkeys;
mod sqlite;
mod sqlite_passkeys;
#[cfg(test)]
mod tests;

pub use postgres::PostgresAccounts;
pub use sqlite::SqliteAccounts;

use crate::config::AccountStoreConfig;
use app_core::auth::server::accounts::{Account, AccountStore, MemoryAccounts};
use std::sync::Arc;

/// Opens the configured store and brings its tables up to date. The error says what failed
/// without any password.
pub async fn open(config: &AccountStoreConfig) -> Result<Arc<dyn AccountStore>, String> {
    Ok(match config {
        AccountStoreConfig::Memory => Arc::new(MemoryAccounts::default()),
        AccountStoreConfig::Sqlite(path) => Arc::new(SqliteAccounts::open(path).await?),
        AccountStoreConfig::Postgres { url, timeout } => {
            Arc::new(PostgresAccounts::open(url, *timeout).await?)
        }
    })
}

/// An account row's columns as both databases answer them.
type Row = (String, String, i64, i64);

fn account((id, phone, created_at, last_sign_in_at): Row) -> Account {
    Account {
        id,
        phone,
        created_at: u64::try_from(created_at).unwrap_or_default(),
        last_sign_in_at: u64::try_from(last_sign_in_at).unwrap_or_default(),
    }
}

/// Unix seconds as the databases store them.
fn seconds(now: u64) -> i64 {
    i64::try_from(now).unwrap_or(i64::MAX)
}
