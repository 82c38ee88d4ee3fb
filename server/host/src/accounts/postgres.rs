//! Accounts in PostgreSQL (`ACCOUNT_STORE=postgres://…`), shared by several instances.

use super::{account, seconds, Row};
use app_core::auth::server::accounts::{new_account_id, Account, AccountStore};
use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::time::Duration;

static MIGRATIONS: Migrator = sqlx::migrate!("migrations/accounts/postgres");

/// A PostgreSQL account store.
pub struct PostgresAccounts {
    pool: PgPool,
}

impl PostgresAccounts {
    /// Connects (giving up after 5 s) and migrates; instances starting together take turns
    /// (sqlx's migrator holds an advisory lock).
    pub async fn open(url: &str) -> Result<Self, String> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
        MIGRATIONS
            .run(&pool)
            .await
            .map_err(|e| format!("cannot migrate PostgreSQL: {e}"))?;
        Ok(Self { pool })
    }
}

#[async_trait::async_trait]
impl AccountStore for PostgresAccounts {
    async fn record_sign_in(&self, phone: &str, now: u64) -> Result<Account, String> {
        let row: Row = sqlx::query_as(
            "INSERT INTO accounts (id, phone, created_at, last_sign_in_at) \
             VALUES ($1::uuid, $2, $3, $3) \
             ON CONFLICT (phone) DO UPDATE SET last_sign_in_at = \
             GREATEST(accounts.last_sign_in_at, EXCLUDED.last_sign_in_at) \
             RETURNING id::text, phone, created_at, last_sign_in_at",
        )
        .bind(new_account_id())
        .bind(phone)
        .bind(seconds(now))
        .fetch_one(&self.pool)
        .await
        .map_err(|e| e.to_string())?;
        Ok(account(row))
    }

    async fn find(&self, phone: &str) -> Result<Option<Account>, String> {
        let row: Option<Row> = sqlx::query_as(
            "SELECT id::text, phone, created_at, last_sign_in_at FROM accounts WHERE phone = $1",
        )
        .bind(phone)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| e.to_string())?;
        Ok(row.map(account))
    }
}
