//! The fraud guard's blocks in the session database: one row per scope, kept while the
//! block is in force and remembered for the longest block after it ends (so a repeat is
//! longer), then purged.

use crate::store::errors::sqlite as store_error;
use app_core::auth::server::store::blocks::{Block, BlockStore, BlockTerms, Placed};
use app_core::auth::server::StoreError;
use async_trait::async_trait;
use tower_sessions_sqlx_store::sqlx::{self, Row, SqlitePool};

/// Blocks in a SQLite table next to the sessions.
#[derive(Clone, Debug)]
pub struct SqliteBlocks {
    pool: SqlitePool,
}

impl SqliteBlocks {
    /// The store on `pool`, whose tables the session database's migration created.
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }
}

/// One statement: a new row, or (in the `DO UPDATE`, where bare names are the old row's
/// values) the old block kept while in force, else a new one whose strikes and length follow
/// the remembered last block. `RETURNING` gives the row as it now is; the token tells whether
/// this call wrote it.
const PLACE: &str = "INSERT INTO guard_blocks
        (scope, blocked_from, blocked_until, strikes, sends, verified, token, expires_at)
    VALUES (?1, ?2, ?2 + ?3, 1, ?5, ?6, ?7, ?2 + ?3 + ?4)
    ON CONFLICT (scope) DO UPDATE SET
        blocked_from = CASE WHEN blocked_until > ?2 THEN blocked_from ELSE ?2 END,
        strikes = CASE WHEN blocked_until > ?2 THEN strikes
            WHEN blocked_until + ?4 > ?2 THEN strikes + 1 ELSE 1 END,
        blocked_until = CASE WHEN blocked_until > ?2 THEN blocked_until
            WHEN blocked_until + ?4 > ?2 THEN ?2 + MIN(?4, ?8 * (1 << MIN(strikes, 32)))
            ELSE ?2 + ?3 END,
        expires_at = CASE WHEN blocked_until > ?2 THEN expires_at
            WHEN blocked_until + ?4 > ?2 THEN ?2 + MIN(?4, ?8 * (1 << MIN(strikes, 32))) + ?4
            ELSE ?2 + ?3 + ?4 END,
        sends = CASE WHEN blocked_until > ?2 THEN sends ELSE ?5 END,
        verified = CASE WHEN blocked_until > ?2 THEN verified ELSE ?6 END,
        token = CASE WHEN blocked_until > ?2 THEN token ELSE ?7 END
    RETURNING scope, blocked_from, blocked_until, strikes, sends, verified, token";

const COLUMNS: &str = "scope, blocked_from, blocked_until, strikes, sends, verified";

fn block_of(row: &sqlx::sqlite::SqliteRow) -> Result<Block, sqlx::Error> {
    let number = |name: &str| -> Result<u64, sqlx::Error> {
        Ok(u64::try_from(row.try_get::<i64, _>(name)?).unwrap_or(0))
    };
    Ok(Block {
        scope: row.try_get("scope")?,
        since: number("blocked_from")?,
        until: number("blocked_until")?,
        strikes: u32::try_from(number("strikes")?).unwrap_or(u32::MAX),
        sends: u32::try_from(number("sends")?).unwrap_or(u32::MAX),
        verified: u32::try_from(number("verified")?).unwrap_or(u32::MAX),
    })
}

fn seconds(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[async_trait]
impl BlockStore for SqliteBlocks {
    async fn place(
        &self,
        scope: &str,
        counts: (u32, u32),
        now: u64,
        terms: BlockTerms,
    ) -> Result<Placed, StoreError> {
        let token = uuid::Uuid::new_v4().to_string();
        let row = sqlx::query(PLACE)
            .bind(scope)
            .bind(seconds(now))
            .bind(seconds(terms.length(1)))
            .bind(seconds(terms.max))
            .bind(i64::from(counts.0))
            .bind(i64::from(counts.1))
            .bind(&token)
            .bind(seconds(terms.base))
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        let written: String = row.try_get("token").map_err(store_error)?;
        Ok(Placed {
            block: block_of(&row).map_err(store_error)?,
            new: written == token,
        })
    }

    async fn active(&self, scopes: &[String], now: u64) -> Result<Vec<Block>, StoreError> {
        if scopes.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; scopes.len()].join(",");
        let statement = format!(
            "SELECT {COLUMNS} FROM guard_blocks WHERE blocked_until > ? AND scope IN ({marks})"
        );
        let mut query = sqlx::query(&statement).bind(seconds(now));
        for scope in scopes {
            query = query.bind(scope);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(store_error)?;
        rows.iter()
            .map(|r| block_of(r).map_err(store_error))
            .collect()
    }

    async fn list(&self, now: u64) -> Result<Vec<Block>, StoreError> {
        let statement =
            format!("SELECT {COLUMNS} FROM guard_blocks WHERE blocked_until > ? ORDER BY scope");
        let rows = sqlx::query(&statement)
            .bind(seconds(now))
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        rows.iter()
            .map(|r| block_of(r).map_err(store_error))
            .collect()
    }

    async fn lift(&self, scope: &str, now: u64) -> Result<bool, StoreError> {
        let until: Option<i64> =
            sqlx::query_scalar("DELETE FROM guard_blocks WHERE scope = ? RETURNING blocked_until")
                .bind(scope)
                .fetch_optional(&self.pool)
                .await
                .map_err(store_error)?;
        Ok(until.is_some_and(|until| until > seconds(now)))
    }
}
