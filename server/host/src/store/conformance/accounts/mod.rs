//! The same stories on each store, in memory, on SQLite and (in [`postgres`]) on a real
//! PostgreSQL: accounts (created on the first sign-in, kept after, one account for parallel
//! first sign-ins) and their passkeys (unique credential ids, owned by an existing account,
//! removed only by it).

use super::TempDir;
use crate::config::AccountStoreConfig;
use crate::store::{open_accounts, SqliteAccounts};
use app_core::auth::server::store::accounts::{
    new_account_id, Account, AccountStore, PasskeyOwner, StoredPasskey,
};
use app_core::auth::server::StoreError;
use std::sync::Arc;

mod postgres;

const PHONE: &str = "+447400123123";

async fn the_account_story(store: Arc<dyn AccountStore>) {
    assert_eq!(store.find(PHONE).await, Ok(None));
    let first = store.record_sign_in(PHONE, 1_000).await.expect("store");
    assert_eq!((first.created_at, first.last_sign_in_at), (1_000, 1_000));
    assert_eq!(first.id.len(), 36, "a UUID: {}", first.id);
    let again = store.record_sign_in(PHONE, 2_000).await.expect("store");
    assert_eq!(again.id, first.id, "the same account");
    assert_eq!((again.created_at, again.last_sign_in_at), (1_000, 2_000));
    let late = store.record_sign_in(PHONE, 1_500).await.expect("store");
    assert_eq!(late.last_sign_in_at, 2_000, "never goes back");
    assert_eq!(store.find(PHONE).await.expect("store"), Some(again));

    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.record_sign_in("+447400999999", 3_000).await })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.expect("task").expect("store").id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "parallel first sign-ins make one account");
}

const OWNER: &str = "+447400200200";
const OTHER: &str = "+447400300300";

fn key(credential_id: &str, account_id: &str, name: &str, created_at: u64) -> StoredPasskey {
    StoredPasskey {
        credential_id: credential_id.to_owned(),
        account_id: account_id.to_owned(),
        name: name.to_owned(),
        credential: format!("{{\"cred\":\"{credential_id}\",\"counter\":0}}"),
        created_at,
        last_used_at: None,
    }
}

/// Ids of no account: unknown, not a UUID, the owner's in capitals (ids compare as text).
fn strangers(owner: &Account) -> [String; 3] {
    let not_a_uuid = "not-a-uuid".to_owned();
    [new_account_id(), not_a_uuid, owner.id.to_uppercase()]
}

async fn passkey_story(store: Arc<dyn AccountStore>) {
    let owner = store.record_sign_in(OWNER, 1_000).await.expect("store");
    let other = store.record_sign_in(OTHER, 1_000).await.expect("store");
    assert_eq!(store.passkeys(&owner.id).await, Ok(vec![]));
    assert_eq!(store.find_passkey("cred-a").await, Ok(None));
    for stranger in strangers(&owner) {
        let orphan = key("cred-orphan", &stranger, "Orphan", 1_500);
        assert_eq!(store.add_passkey(&orphan).await, Ok(false), "{stranger}");
    }
    assert_eq!(store.find_passkey("cred-orphan").await, Ok(None));

    let a = key("cred-a", &owner.id, "Passkey on Chrome, Linux", 2_000);
    let b = key("cred-b", &owner.id, "Passkey on Safari, iOS", 3_000);
    assert_eq!(store.add_passkey(&a).await, Ok(true));
    assert_eq!(store.add_passkey(&b).await, Ok(true));
    let both = vec![a.clone(), b.clone()];
    assert_eq!(store.passkeys(&owner.id).await, Ok(both));

    let impostor = key("cred-a", &other.id, "Impostor", 4_000);
    assert_eq!(store.add_passkey(&impostor).await, Ok(false), "another's");
    assert_eq!(store.add_passkey(&a).await, Ok(false), "already added");
    assert_eq!(store.passkeys(&other.id).await, Ok(vec![]));
    let (passkey, account) = (a.clone(), owner.clone());
    let found = Some(PasskeyOwner { passkey, account });
    assert_eq!(store.find_passkey("cred-a").await, Ok(found), "unchanged");

    let use_a = |credential: &'static str, now| store.record_passkey_use("cred-a", credential, now);
    assert_eq!(use_a("{\"counter\":1}", 5_000).await, Ok(true));
    assert_eq!(use_a("{\"counter\":2}", 4_500).await, Ok(true));
    let credential = "{\"counter\":2}".to_owned();
    let used = StoredPasskey {
        credential,
        last_used_at: Some(5_000),
        ..a
    };
    assert_eq!(store.passkeys(&owner.id).await, Ok(vec![used, b.clone()]));

    assert_eq!(store.remove_passkey(&other.id, "cred-a").await, Ok(false));
    assert_eq!(
        store.remove_passkey("not-a-uuid", "cred-a").await,
        Ok(false)
    );
    assert!(store.find_passkey("cred-a").await.expect("store").is_some());
    assert_eq!(store.remove_passkey(&owner.id, "cred-a").await, Ok(true));
    assert_eq!(store.remove_passkey(&owner.id, "cred-a").await, Ok(false));
    assert_eq!(store.find_passkey("cred-a").await, Ok(None));
    assert_eq!(use_a("{}", 6_000).await, Ok(false));
    assert_eq!(store.passkeys(&owner.id).await, Ok(vec![b]));

    let expected = Some(Account {
        last_sign_in_at: 6_000,
        ..owner.clone()
    });
    assert_eq!(
        store.record_sign_in_by_id(&owner.id, 6_000).await,
        Ok(expected.clone())
    );
    let late = store.record_sign_in_by_id(&owner.id, 5_500).await;
    assert_eq!(late, Ok(expected.clone()), "never goes back");
    assert_eq!(store.find(OWNER).await, Ok(expected));
    for stranger in strangers(&owner) {
        let signed_in = store.record_sign_in_by_id(&stranger, 7_000).await;
        assert_eq!(signed_in, Ok(None), "{stranger}");
    }

    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let (store, race) = (
                store.clone(),
                key("cred-race", &owner.id, &format!("{i}"), 8_000),
            );
            tokio::spawn(async move { store.add_passkey(&race).await })
        })
        .collect();
    let mut added = 0;
    for task in tasks {
        added += usize::from(task.await.expect("task").expect("store"));
    }
    assert_eq!(added, 1, "parallel adds of one credential id add it once");
    assert_eq!(store.passkeys(&owner.id).await.expect("store").len(), 2);
}

/// After `passkey_story` (and reopening the store): its owner's id, checking that the
/// passkeys are still there.
async fn owner_with_passkeys(store: &dyn AccountStore) -> String {
    let owner = store.find(OWNER).await.expect("store").expect("owner");
    assert_eq!(
        store.passkeys(&owner.id).await.expect("store").len(),
        2,
        "kept"
    );
    owner.id
}

/// After deleting the owner's account: its passkeys went with it (ON DELETE CASCADE).
async fn passkeys_went_with(store: &dyn AccountStore, owner_id: &str) {
    assert_eq!(store.passkeys(owner_id).await, Ok(vec![]));
    assert_eq!(store.find_passkey("cred-b").await, Ok(None));
}

#[tokio::test]
async fn memory_accounts() {
    the_account_story(
        open_accounts(&AccountStoreConfig::Memory)
            .await
            .expect("open"),
    )
    .await;
    passkey_story(
        open_accounts(&AccountStoreConfig::Memory)
            .await
            .expect("open"),
    )
    .await;
}

#[tokio::test]
async fn sqlite_accounts() {
    let dir = TempDir::new("accounts");
    let path = dir.join("nested/accounts.db");
    let store = open_accounts(&AccountStoreConfig::Sqlite(path.clone()))
        .await
        .expect("open");
    the_account_story(store.clone()).await;
    passkey_story(store).await;
    // Opening again runs no migration twice and keeps the data.
    let reopened = SqliteAccounts::open(&path).await.expect("reopen");
    assert!(reopened.find(PHONE).await.expect("store").is_some());
    let owner_id = owner_with_passkeys(&reopened).await;
    let deleted = sqlx::query("DELETE FROM accounts WHERE id = ?1")
        .bind(&owner_id)
        .execute(&reopened.pool)
        .await
        .expect("delete");
    assert_eq!(deleted.rows_affected(), 1);
    passkeys_went_with(&reopened, &owner_id).await;
    // A date SQLite kept as text (its columns take any type): unreadable, not an outage.
    sqlx::query("INSERT INTO accounts VALUES ('odd', '+447400777777', 'yesterday', 0)")
        .execute(&reopened.pool)
        .await
        .expect("insert");
    let odd = reopened.find("+447400777777").await;
    assert!(
        matches!(
            odd,
            Err(StoreError::Corrupt {
                backend: "sqlite",
                ..
            })
        ),
        "{odd:?}"
    );
    reopened.pool.close().await;
    let closed = reopened.find(PHONE).await;
    assert!(
        matches!(
            closed,
            Err(StoreError::Unavailable {
                backend: "sqlite",
                ..
            })
        ),
        "{closed:?}"
    );
}
