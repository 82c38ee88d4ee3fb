//! The one way the SQL backends manage their tables: sqlx migrations (`server/host/migrations/`),
//! embedded in the binary and run at start-up. Three sets: the SQLite session database
//! (sessions, counters, locks, blocks, session index), and the account store on SQLite or on
//! PostgreSQL. A migration once released is never edited; a change is a new file.

use sqlx::migrate::{MigrateError, Migrator};
use sqlx::{PgConnection, SqlitePool};
use std::time::Duration;

/// The session database's tables (`SESSION_STORE=sqlite://…`). Missing versions are ignored
/// (as in [`SQLITE_ACCOUNTS`]): the account store may share the file, and each set then sees
/// the other's versions applied.
pub(super) static SQLITE_SESSIONS: Migrator = Migrator {
    ignore_missing: true,
    ..sqlx::migrate!("migrations/sessions/sqlite")
};

/// The account store's tables on SQLite (`ACCOUNT_STORE=sqlite://…`); see [`SQLITE_SESSIONS`]
/// for the missing versions.
pub(super) static SQLITE_ACCOUNTS: Migrator = Migrator {
    ignore_missing: true,
    ..sqlx::migrate!("migrations/accounts/sqlite")
};

/// The account store's tables on PostgreSQL (`ACCOUNT_STORE=postgres://…`).
pub(super) static POSTGRES_ACCOUNTS: Migrator = sqlx::migrate!("migrations/accounts/postgres");

/// Brings a SQLite database up to `migrator`. SQLite has no lock for migrations across
/// processes: when several instances share the file and start together, one applies a
/// migration while another fails on it; that one tries again (three times, waiting longer
/// each time) and finds it applied.
pub(super) async fn migrate_sqlite(
    pool: &SqlitePool,
    migrator: &Migrator,
) -> Result<(), MigrateError> {
    let mut attempt = 0;
    loop {
        match migrator.run(pool).await {
            Err(_) if attempt < 3 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
            }
            result => return result,
        }
    }
}

/// Brings a PostgreSQL database up to `migrator` on `connection`, a connection of its own
/// without a statement timeout: instances starting together take turns (sqlx's migrator
/// holds an advisory lock), and a migration may take long.
pub(super) async fn migrate_postgres(
    connection: &mut PgConnection,
    migrator: &Migrator,
) -> Result<(), MigrateError> {
    migrator.run(connection).await
}
