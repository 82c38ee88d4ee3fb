//! Accounts and passkeys in this process only (`ACCOUNT_STORE=memory`).

use super::{new_account_id, Account, AccountStore, PasskeyOwner, StoredPasskey};
use crate::auth::server::store::StoreError;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Accounts in this process only: for tests and throwaway demos. One mutex, so every
/// method is atomic.
#[derive(Default)]
pub struct MemoryAccounts(Mutex<Tables>);

#[derive(Default)]
struct Tables {
    /// By phone.
    accounts: HashMap<String, Account>,
    /// In insertion order.
    passkeys: Vec<StoredPasskey>,
}

impl MemoryAccounts {
    fn tables(&self) -> Result<MutexGuard<'_, Tables>, StoreError> {
        self.0
            .lock()
            .map_err(|_| StoreError::corrupt("memory", "account map poisoned"))
    }
}

#[async_trait::async_trait]
impl AccountStore for MemoryAccounts {
    async fn record_sign_in(&self, phone: &str, now: u64) -> Result<Account, StoreError> {
        let mut tables = self.tables()?;
        let account = tables
            .accounts
            .entry(phone.to_owned())
            .or_insert_with(|| Account {
                id: new_account_id(),
                phone: phone.to_owned(),
                created_at: now,
                last_sign_in_at: now,
            });
        account.last_sign_in_at = account.last_sign_in_at.max(now);
        Ok(account.clone())
    }

    async fn find(&self, phone: &str) -> Result<Option<Account>, StoreError> {
        Ok(self.tables()?.accounts.get(phone).cloned())
    }

    async fn add_passkey(&self, passkey: &StoredPasskey) -> Result<bool, StoreError> {
        let mut tables = self.tables()?;
        let known = tables
            .passkeys
            .iter()
            .any(|p| p.credential_id == passkey.credential_id);
        let owner_exists = tables.accounts.values().any(|a| a.id == passkey.account_id);
        if known || !owner_exists {
            return Ok(false);
        }
        tables.passkeys.push(passkey.clone());
        Ok(true)
    }

    async fn passkeys(&self, account_id: &str) -> Result<Vec<StoredPasskey>, StoreError> {
        let tables = self.tables()?;
        Ok(tables
            .passkeys
            .iter()
            .filter(|p| p.account_id == account_id)
            .cloned()
            .collect())
    }

    async fn find_passkey(&self, credential_id: &str) -> Result<Option<PasskeyOwner>, StoreError> {
        let tables = self.tables()?;
        let Some(passkey) = tables
            .passkeys
            .iter()
            .find(|p| p.credential_id == credential_id)
        else {
            return Ok(None);
        };
        let account = tables
            .accounts
            .values()
            .find(|a| a.id == passkey.account_id);
        Ok(account.map(|account| PasskeyOwner {
            passkey: passkey.clone(),
            account: account.clone(),
        }))
    }

    async fn record_passkey_use(
        &self,
        credential_id: &str,
        credential: &str,
        now: u64,
    ) -> Result<bool, StoreError> {
        let mut tables = self.tables()?;
        let Some(passkey) = tables
            .passkeys
            .iter_mut()
            .find(|p| p.credential_id == credential_id)
        else {
            return Ok(false);
        };
        credential.clone_into(&mut passkey.credential);
        passkey.last_used_at = Some(passkey.last_used_at.unwrap_or(0).max(now));
        Ok(true)
    }

    async fn remove_passkey(
        &self,
        account_id: &str,
        credential_id: &str,
    ) -> Result<bool, StoreError> {
        let mut tables = self.tables()?;
        let before = tables.passkeys.len();
        tables
            .passkeys
            .retain(|p| !(p.account_id == account_id && p.credential_id == credential_id));
        Ok(tables.passkeys.len() < before)
    }

    async fn record_sign_in_by_id(
        &self,
        account_id: &str,
        now: u64,
    ) -> Result<Option<Account>, StoreError> {
        let mut tables = self.tables()?;
        let account = tables.accounts.values_mut().find(|a| a.id == account_id);
        Ok(account.map(|account| {
            account.last_sign_in_at = account.last_sign_in_at.max(now);
            account.clone()
        }))
    }
}
