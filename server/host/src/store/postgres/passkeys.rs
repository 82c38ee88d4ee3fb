//! The passkey queries of the PostgreSQL account store.

use crate::store::errors::postgres as store_error;
use crate::store::sql::{inserted, owner, passkey, seconds, OwnerRow, PasskeyRow};
use app_core::auth::server::store::accounts::{PasskeyOwner, StoredPasskey};
use app_core::auth::server::StoreError;
use sqlx::PgPool;

/// `id` if it is an account id as PostgreSQL writes one (a lowercase, hyphenated UUID).
/// Any other text names no account, as it would in SQLite or in memory, where ids are compared
/// as text; and casting it to `uuid` in a query would fail the query.
pub(super) fn account_uuid(id: &str) -> Option<&str> {
    let parsed = uuid::Uuid::parse_str(id).ok()?;
    (parsed.to_string() == id).then_some(id)
}

/// See `AccountStore::add_passkey`. The account check and the insert are one statement, so
/// an unknown account writes nothing; a taken credential id writes nothing either.
pub(super) async fn add(pool: &PgPool, passkey: &StoredPasskey) -> Result<bool, StoreError> {
    let Some(account_id) = account_uuid(&passkey.account_id) else {
        return Ok(false);
    };
    let result = sqlx::query(
        "INSERT INTO passkeys \
         (credential_id, account_id, name, credential, created_at, last_used_at) \
         SELECT $1, $2::uuid, $3, $4, $5, $6 \
         WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $2::uuid) \
         ON CONFLICT (credential_id) DO NOTHING",
    )
    .bind(&passkey.credential_id)
    .bind(account_id)
    .bind(&passkey.name)
    .bind(&passkey.credential)
    .bind(seconds(passkey.created_at))
    .bind(passkey.last_used_at.map(seconds))
    .execute(pool)
    .await
    .map(|done| done.rows_affected());
    inserted(result, store_error)
}

/// See `AccountStore::passkeys`.
pub(super) async fn list(
    pool: &PgPool,
    account_id: &str,
) -> Result<Vec<StoredPasskey>, StoreError> {
    let Some(account_id) = account_uuid(account_id) else {
        return Ok(Vec::new());
    };
    let rows: Vec<PasskeyRow> = sqlx::query_as(
        "SELECT credential_id, account_id::text, name, credential, created_at, last_used_at \
         FROM passkeys WHERE account_id = $1::uuid ORDER BY created_at, credential_id",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await
    .map_err(store_error)?;
    Ok(rows.into_iter().map(passkey).collect())
}

/// See `AccountStore::find_passkey`.
pub(super) async fn find(
    pool: &PgPool,
    credential_id: &str,
) -> Result<Option<PasskeyOwner>, StoreError> {
    let row: Option<OwnerRow> = sqlx::query_as(
        "SELECT p.credential_id, p.account_id::text, p.name, p.credential, p.created_at, \
         p.last_used_at, a.id::text, a.phone, a.created_at, a.last_sign_in_at \
         FROM passkeys p JOIN accounts a ON a.id = p.account_id WHERE p.credential_id = $1",
    )
    .bind(credential_id)
    .fetch_optional(pool)
    .await
    .map_err(store_error)?;
    Ok(row.map(owner))
}

/// See `AccountStore::record_passkey_use`.
pub(super) async fn record_use(
    pool: &PgPool,
    credential_id: &str,
    credential: &str,
    now: u64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE passkeys SET credential = $2, \
         last_used_at = GREATEST(COALESCE(last_used_at, 0), $3) WHERE credential_id = $1",
    )
    .bind(credential_id)
    .bind(credential)
    .bind(seconds(now))
    .execute(pool)
    .await
    .map_err(store_error)?;
    Ok(done.rows_affected() > 0)
}

/// See `AccountStore::remove_passkey`.
pub(super) async fn remove(
    pool: &PgPool,
    account_id: &str,
    credential_id: &str,
) -> Result<bool, StoreError> {
    let Some(account_id) = account_uuid(account_id) else {
        return Ok(false);
    };
    let done =
        sqlx::query("DELETE FROM passkeys WHERE account_id = $1::uuid AND credential_id = $2")
            .bind(account_id)
            .bind(credential_id)
            .execute(pool)
            .await
            .map_err(store_error)?;
    Ok(done.rows_affected() > 0)
}
