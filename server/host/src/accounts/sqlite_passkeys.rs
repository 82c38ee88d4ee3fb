//! The passkey queries of the SQLite account store, and the passkey rows both databases answer.

use super::{account, seconds};
use crate::store_errors::sqlite as store_error;
use app_core::auth::server::accounts::{PasskeyOwner, StoredPasskey};
use app_core::auth::server::StoreError;
use sqlx::SqlitePool;

/// A passkey row's columns as both databases answer them.
pub(super) type PasskeyRow = (String, String, String, String, i64, Option<i64>);

/// A passkey row followed by its account's row.
pub(super) type OwnerRow = (
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    String,
    String,
    i64,
    i64,
);

/// The passkey of a row.
pub(super) fn passkey(
    (credential_id, account_id, name, credential, created_at, last_used_at): PasskeyRow,
) -> StoredPasskey {
    StoredPasskey {
        credential_id,
        account_id,
        name,
        credential,
        created_at: u64::try_from(created_at).unwrap_or_default(),
        last_used_at: last_used_at.map(|at| u64::try_from(at).unwrap_or_default()),
    }
}

/// The passkey and account of a joined row.
pub(super) fn owner(row: OwnerRow) -> PasskeyOwner {
    let (credential_id, account_id, name, credential, created, used, id, phone, since, last) = row;
    PasskeyOwner {
        passkey: passkey((credential_id, account_id, name, credential, created, used)),
        account: account((id, phone, since, last)),
    }
}

/// Whether an insert added its row. A foreign key violation means the account is missing
/// (deleted between the check and the insert), which is an answer, not a store failure;
/// any other failure goes through `store_error` (the backend's classification).
pub(super) fn inserted(
    result: Result<u64, sqlx::Error>,
    store_error: fn(sqlx::Error) -> StoreError,
) -> Result<bool, StoreError> {
    match result {
        Ok(rows) => Ok(rows == 1),
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Ok(false),
        Err(e) => Err(store_error(e)),
    }
}

/// See `AccountStore::add_passkey`. The account check and the insert are one statement, so
/// an unknown account writes nothing; a taken credential id writes nothing either.
pub(super) async fn add(pool: &SqlitePool, passkey: &StoredPasskey) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "INSERT INTO passkeys \
         (credential_id, account_id, name, credential, created_at, last_used_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?2) \
         ON CONFLICT (credential_id) DO NOTHING",
    )
    .bind(&passkey.credential_id)
    .bind(&passkey.account_id)
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
    pool: &SqlitePool,
    account_id: &str,
) -> Result<Vec<StoredPasskey>, StoreError> {
    let rows: Vec<PasskeyRow> = sqlx::query_as(
        "SELECT credential_id, account_id, name, credential, created_at, last_used_at \
         FROM passkeys WHERE account_id = ?1 ORDER BY created_at, credential_id",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await
    .map_err(store_error)?;
    Ok(rows.into_iter().map(passkey).collect())
}

/// See `AccountStore::find_passkey`.
pub(super) async fn find(
    pool: &SqlitePool,
    credential_id: &str,
) -> Result<Option<PasskeyOwner>, StoreError> {
    let row: Option<OwnerRow> = sqlx::query_as(
        "SELECT p.credential_id, p.account_id, p.name, p.credential, p.created_at, \
         p.last_used_at, a.id, a.phone, a.created_at, a.last_sign_in_at \
         FROM passkeys p JOIN accounts a ON a.id = p.account_id WHERE p.credential_id = ?1",
    )
    .bind(credential_id)
    .fetch_optional(pool)
    .await
    .map_err(store_error)?;
    Ok(row.map(owner))
}

/// See `AccountStore::record_passkey_use`.
pub(super) async fn record_use(
    pool: &SqlitePool,
    credential_id: &str,
    credential: &str,
    now: u64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE passkeys SET credential = ?2, last_used_at = max(coalesce(last_used_at, 0), ?3) \
         WHERE credential_id = ?1",
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
    pool: &SqlitePool,
    account_id: &str,
    credential_id: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM passkeys WHERE account_id = ?1 AND credential_id = ?2")
        .bind(account_id)
        .bind(credential_id)
        .execute(pool)
        .await
        .map_err(store_error)?;
    Ok(done.rows_affected() > 0)
}
