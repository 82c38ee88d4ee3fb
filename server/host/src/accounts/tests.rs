//! The same account story on each store: created on the first sign-in, kept after, one
//! account for parallel first sign-ins; on SQLite and on a real PostgreSQL.

use super::*;
use crate::postgres_for_tests::PostgresServer;

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

#[tokio::test]
async fn memory_accounts() {
    the_account_story(open(&AccountStoreConfig::Memory).await.expect("open")).await;
}

#[tokio::test]
async fn sqlite_accounts() {
    let dir = std::env::temp_dir().join(format!("passwordless-accounts-{}", uuid::Uuid::new_v4()));
    let path = dir.join("nested/accounts.db");
    let store = open(&AccountStoreConfig::Sqlite(path.clone()))
        .await
        .expect("open");
    the_account_story(store).await;
    // Opening again runs no migration twice and keeps the data.
    let reopened = SqliteAccounts::open(&path).await.expect("reopen");
    assert!(reopened.find(PHONE).await.expect("store").is_some());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_accounts() {
    let server = PostgresServer::start();
    let store = open(&AccountStoreConfig::Postgres(server.url()))
        .await
        .expect("open");
    the_account_story(store).await;
    let reopened = PostgresAccounts::open(&server.url()).await.expect("reopen");
    assert!(reopened.find(PHONE).await.expect("store").is_some());
}

#[tokio::test]
async fn an_unreachable_postgres_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let url = format!("postgres://app:hunter2@127.0.0.1:{port}/db");
    let error = PostgresAccounts::open(&url).await.err().expect("refused");
    assert!(error.contains("cannot connect to PostgreSQL"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
}
