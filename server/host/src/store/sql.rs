//! What the two SQL backends (SQLite and PostgreSQL) share: rows read back as the ports'
//! types, seconds written as the databases store them, and inserts answered the same way.
//! Both select the same columns in the same order, so one mapping serves both.

use app_core::auth::server::store::accounts::{Account, PasskeyOwner, StoredPasskey};
use app_core::auth::server::StoreError;

/// An account row: id, phone, created at, last sign-in.
pub(super) type AccountRow = (String, String, i64, i64);

/// A passkey row: credential id, account id, name, credential, created at, last used at.
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

/// Unix seconds as the databases store them (a signed 64-bit integer, saturating).
pub(super) fn seconds(now: u64) -> i64 {
    i64::try_from(now).unwrap_or(i64::MAX)
}

/// Unix seconds read back (a negative value, which no store writes, reads as 0).
fn unsigned(seconds: i64) -> u64 {
    u64::try_from(seconds).unwrap_or_default()
}

/// The account of a row.
pub(super) fn account((id, phone, created_at, last_sign_in_at): AccountRow) -> Account {
    Account {
        id,
        phone,
        created_at: unsigned(created_at),
        last_sign_in_at: unsigned(last_sign_in_at),
    }
}

/// The passkey of a row.
pub(super) fn passkey(
    (credential_id, account_id, name, credential, created_at, last_used_at): PasskeyRow,
) -> StoredPasskey {
    StoredPasskey {
        credential_id,
        account_id,
        name,
        credential,
        created_at: unsigned(created_at),
        last_used_at: last_used_at.map(unsigned),
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
