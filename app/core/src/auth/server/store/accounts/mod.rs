//! Accounts: a phone number that has signed in once becomes a durable record (created on its
//! first sign-in), the anchor for the passkeys a person adds later. The store is a port:
//! SQLite or PostgreSQL through sqlx in the host, in memory ([`MemoryAccounts`]) for tests.

mod memory;

use super::StoreError;

pub use memory::MemoryAccounts;

/// One account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Stable id (a UUID), never shown to the user; also the WebAuthn user handle.
    pub id: String,
    /// The number, E.164.
    pub phone: String,
    /// Unix seconds of the first sign-in.
    pub created_at: u64,
    /// Unix seconds of the latest sign-in.
    pub last_sign_in_at: u64,
}

/// One passkey of an account, as stored: the WebAuthn credential is kept as the JSON that
/// `webauthn-rs` serialises (public key, signature counter, flags), opaque to the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPasskey {
    /// The credential id, base64url without padding; unique across all accounts.
    pub credential_id: String,
    /// The owning account's id.
    pub account_id: String,
    /// The name shown on `/account` (e.g. "Passkey on Chrome, Linux").
    pub name: String,
    /// The serialised `webauthn_rs::prelude::Passkey`.
    pub credential: String,
    /// Unix seconds when it was added.
    pub created_at: u64,
    /// Unix seconds of its latest sign-in, if any.
    pub last_used_at: Option<u64>,
}

/// A passkey found by its credential id, with the account it signs in to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasskeyOwner {
    /// The passkey.
    pub passkey: StoredPasskey,
    /// Its account.
    pub account: Account,
}

/// Where accounts and their passkeys live (`ACCOUNT_STORE`). Errors are store failures
/// (logged by the caller, shown as "temporarily unavailable").
#[async_trait::async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Records a sign-in of `phone` at `now`: creates the account on its first sign-in,
    /// otherwise moves its last sign-in forward. One atomic statement, so two first sign-ins
    /// of one number at once make one account. Answers the account.
    async fn record_sign_in(&self, phone: &str, now: u64) -> Result<Account, StoreError>;

    /// The account of `phone`, if it ever signed in.
    async fn find(&self, phone: &str) -> Result<Option<Account>, StoreError>;

    /// Adds a passkey to its account. `false` (nothing written) when its credential id is
    /// already registered, to this account or another.
    async fn add_passkey(&self, passkey: &StoredPasskey) -> Result<bool, StoreError>;

    /// The passkeys of `account_id`, oldest first.
    async fn passkeys(&self, account_id: &str) -> Result<Vec<StoredPasskey>, StoreError>;

    /// The passkey with `credential_id` and its account, if registered.
    async fn find_passkey(&self, credential_id: &str) -> Result<Option<PasskeyOwner>, StoreError>;

    /// After a sign-in with it: stores the passkey's updated credential (its signature
    /// counter) and when it was used. `false` when it was removed meanwhile.
    async fn record_passkey_use(
        &self,
        credential_id: &str,
        credential: &str,
        now: u64,
    ) -> Result<bool, StoreError>;

    /// Removes `credential_id` if it belongs to `account_id`; `false` when there was none.
    async fn remove_passkey(
        &self,
        account_id: &str,
        credential_id: &str,
    ) -> Result<bool, StoreError>;

    /// Adds a sign-in to the account `account_id` (a passkey sign-in) and answers the account;
    /// `None` when it no longer exists.
    async fn record_sign_in_by_id(
        &self,
        account_id: &str,
        now: u64,
    ) -> Result<Option<Account>, StoreError>;
}

/// A new random account id (a UUID v4).
pub fn new_account_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
