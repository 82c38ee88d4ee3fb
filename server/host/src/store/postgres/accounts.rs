//! The account queries of the PostgreSQL store; its passkey queries are in `passkeys`.

use super::passkeys::{self, account_uuid};
use super::PostgresAccounts;
use crate::store::errors::postgres as store_error;
use crate::store::sql::{account, seconds, AccountRow};
use app_core::auth::server::store::accounts::{
    new_account_id, Account, AccountStore, PasskeyOwner, StoredPasskey,
};
use app_core::auth::server::StoreError;

#[async_trait::async_trait]
impl AccountStore for PostgresAccounts {
    async fn record_sign_in(&self, phone: &str, now: u64) -> Result<Account, StoreError> {
        let row: AccountRow = sqlx::query_as(
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
        let row: Option<AccountRow> = sqlx::query_as(
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
        let row: Option<AccountRow> = sqlx::query_as(
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
