//! Accounts: a phone number that has signed in once becomes a durable record (created on its
//! first sign-in), the anchor for what a person adds later (passkeys). The store is a port:
//! SQLite or PostgreSQL through sqlx in the host, in memory for tests.

use std::collections::HashMap;
use std::sync::Mutex;

/// One account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Stable id (a UUID), never shown to the user.
    pub id: String,
    /// The number, E.164.
    pub phone: String,
    /// Unix seconds of the first sign-in.
    pub created_at: u64,
    /// Unix seconds of the latest sign-in.
    pub last_sign_in_at: u64,
}

/// Where accounts live (`ACCOUNT_STORE`).
#[async_trait::async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Records a sign-in of `phone` at `now`: creates the account on its first sign-in,
    /// otherwise moves its last sign-in forward. One atomic statement, so two first sign-ins
    /// of one number at once make one account. Answers the account.
    async fn record_sign_in(&self, phone: &str, now: u64) -> Result<Account, String>;

    /// The account of `phone`, if it ever signed in.
    async fn find(&self, phone: &str) -> Result<Option<Account>, String>;
}

/// Accounts in this process only (`ACCOUNT_STORE=memory`): for tests and throwaway demos.
#[derive(Default)]
pub struct MemoryAccounts(Mutex<HashMap<String, Account>>);

#[async_trait::async_trait]
impl AccountStore for MemoryAccounts {
    async fn record_sign_in(&self, phone: &str, now: u64) -> Result<Account, String> {
        let mut accounts = self
            .0
            .lock()
            .map_err(|_| "account map poisoned".to_owned())?;
        let account = accounts.entry(phone.to_owned()).or_insert_with(|| Account {
            id: new_account_id(),
            phone: phone.to_owned(),
            created_at: now,
            last_sign_in_at: now,
        });
        account.last_sign_in_at = account.last_sign_in_at.max(now);
        Ok(account.clone())
    }

    async fn find(&self, phone: &str) -> Result<Option<Account>, String> {
        let accounts = self
            .0
            .lock()
            .map_err(|_| "account map poisoned".to_owned())?;
        Ok(accounts.get(phone).cloned())
    }
}

/// A new random account id (a UUID v4).
pub fn new_account_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
