//! Accounts in PostgreSQL (`ACCOUNT_STORE=postgres://…`), shared by several instances.

use super::postgres_passkeys::{self as passkeys, account_uuid};
use super::{account, seconds, Row};
use crate::store_errors::postgres as store_error;
use app_core::auth::server::accounts::{
    new_account_id, Account, AccountStore, PasskeyOwner, StoredPasskey,
};
use app_core::auth::server::StoreError;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};
use std::time::Duration;

static MIGRATIONS: Migrator = sqlx::migrate!("migrations/accounts/postgres");

/// How long start-up waits for PostgreSQL to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A PostgreSQL account store.
pub struct PostgresAccounts {
    pub(super) pool: PgPool,
}

impl PostgresAccounts {
    /// Connects (giving up after 5 s) and migrates on a connection of its own, without a
    /// statement timeout (instances starting together take turns: sqlx's migrator holds an
    /// advisory lock, and a migration may take long). Then every connection of the pool has
    /// PostgreSQL's `statement_timeout` set to `timeout`, and a request waits at most
    /// `timeout` for a free connection: a stuck database (a held lock, a long query) is a
    /// [`StoreError::Unavailable`] within about twice `timeout`, never a request held open.
    pub async fn open(url: &str, timeout: Duration) -> Result<Self, String> {
        let cannot_connect =
            |e: &dyn std::fmt::Display| format!("cannot connect to PostgreSQL: {e}");
        let options: PgConnectOptions = url.parse().map_err(|e| cannot_connect(&e))?;
        let mut migrating =
            tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options))
                .await
                .map_err(|_| cannot_connect(&"no answer within 5 s"))?
                .map_err(|e| cannot_connect(&e))?;
        MIGRATIONS
            .run(&mut migrating)
            .await
            .map_err(|e| format!("cannot migrate PostgreSQL: {e}"))?;
        let _ = migrating.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(timeout)
            .connect_with(with_statement_timeout(options, timeout))
            .await
            .map_err(|e| cannot_connect(&e))?;
        Ok(Self { pool })
    }
}

/// `options` with `statement_timeout` set for the session (sent at connection start-up, so
/// it costs no round trip and holds for every statement, in or out of a transaction).
fn with_statement_timeout(options: PgConnectOptions, timeout: Duration) -> PgConnectOptions {
    options.options([("statement_timeout", format!("{}ms", timeout.as_millis()))])
}

#[async_trait::async_trait]
impl AccountStore for PostgresAccounts {
    async fn record_sign_in(&self, phone: &str, now: u64) -> Result<Account, StoreError> {
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
        .map_err(store_error)?;
        Ok(account(row))
    }

    async fn find(&self, phone: &str) -> Result<Option<Account>, StoreError> {
        let row: Option<Row> = sqlx::query_as(
            "SELECT id::text, phone, created_at, last_sign_in_at FROM accounts WHERE phone = $1",
        )
        .bind(phone)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(row.map(account))
    }

    async fn add_passkey(&self, passkey: &StoredPasskey) -> Result<bool, StoreError> {
        passkeys::add(&self.pool, passkey).await
    }

    async fn passkeys(&self, account_id: &str) -> Result<Vec<StoredPasskey>, StoreError> {
        passkeys::list(&self.pool, account_id).await
    }

    async fn find_passkey(&self, credential_id: &str) -> Result<Option<PasskeyOwner>, StoreError> {
        passkeys::find(&self.pool, credential_id).await
    }

    async fn record_passkey_use(
        &self,
        credential_id: &str,
        credential: &str,
        now: u64,
    ) -> Result<bool, StoreError> {
        passkeys::record_use(&self.pool, credential_id, credential, now).await
    }

    async fn remove_passkey(
        &self,
        account_id: &str,
        credential_id: &str,
    ) -> Result<bool, StoreError> {
        passkeys::remove(&self.pool, account_id, credential_id).await
    }

    async fn record_sign_in_by_id(
        &self,
        account_id: &str,
        now: u64,
    ) -> Result<Option<Account>, StoreError> {
        let Some(account_id) = account_uuid(account_id) else {
            return Ok(None);
        };
        let row: Option<Row> = sqlx::query_as(
            "UPDATE accounts SET last_sign_in_at = GREATEST(last_sign_in_at, $2) \
             WHERE id = $1::uuid RETURNING id::text, phone, created_at, last_sign_in_at",
        )
        .bind(account_id)
        .bind(seconds(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(row.map(account))
    }
}
