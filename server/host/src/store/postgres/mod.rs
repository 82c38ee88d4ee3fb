//! The PostgreSQL backend: accounts and their passkeys (`ACCOUNT_STORE=postgres://…`),
//! shared by several instances. Opening here, the account queries in [`accounts`], the
//! passkey queries in [`passkeys`].

mod accounts;
mod passkeys;

use super::schema::{migrate_postgres, POSTGRES_ACCOUNTS};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};
use std::time::Duration;

/// How long start-up waits for PostgreSQL to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A PostgreSQL account store.
pub struct PostgresAccounts {
    pub(in crate::store) pool: PgPool,
}

impl PostgresAccounts {
    /// Connects (giving up after 5 s) and migrates on a connection of its own, without a
    /// statement timeout (instances starting together take turns: sqlx's migrator holds an
    /// advisory lock, and a migration may take long). Then every connection of the pool has
    /// PostgreSQL's `statement_timeout` set to `timeout`, and a request waits at most
    /// `timeout` for a free connection: a stuck database (a held lock, a long query) is a
    /// `StoreError::Unavailable` within about twice `timeout`, never a request held open.
    pub async fn open(url: &str, timeout: Duration) -> Result<Self, String> {
        let cannot_connect =
            |e: &dyn std::fmt::Display| format!("cannot connect to PostgreSQL: {e}");
        let options: PgConnectOptions = url.parse().map_err(|e| cannot_connect(&e))?;
        let mut migrating =
            tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options))
                .await
                .map_err(|_| cannot_connect(&"no answer within 5 s"))?
                .map_err(|e| cannot_connect(&e))?;
        migrate_postgres(&mut migrating, &POSTGRES_ACCOUNTS)
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
