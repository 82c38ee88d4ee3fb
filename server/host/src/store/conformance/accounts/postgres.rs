//! The stories on a real PostgreSQL (a private server, `test_servers::PostgresServer`), and what a
//! database that cannot answer looks like: unreachable at start-up, a locked table within
//! the statement timeout.

use super::*;
use crate::store::test_servers::PostgresServer;
use crate::store::PostgresAccounts;
use std::time::{Duration, Instant};

/// `ACCOUNT_STORE_TIMEOUT_MS`'s default.
const DEFAULT_ACCOUNT_STORE_TIMEOUT: Duration = Duration::from_secs(3);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_accounts() {
    let server = PostgresServer::start();
    let store = open_accounts(&AccountStoreConfig::Postgres {
        url: server.url(),
        timeout: DEFAULT_ACCOUNT_STORE_TIMEOUT,
    })
    .await
    .expect("open");
    the_account_story(store.clone()).await;
    passkey_story(store).await;
    let reopened = PostgresAccounts::open(&server.url(), DEFAULT_ACCOUNT_STORE_TIMEOUT)
        .await
        .expect("reopen");
    assert!(reopened.find(PHONE).await.expect("store").is_some());
    let owner_id = owner_with_passkeys(&reopened).await;
    let deleted = sqlx::query("DELETE FROM accounts WHERE id = $1::uuid")
        .bind(&owner_id)
        .execute(&reopened.pool)
        .await
        .expect("delete");
    assert_eq!(deleted.rows_affected(), 1);
    passkeys_went_with(&reopened, &owner_id).await;
    reopened.pool.close().await;
    let closed = reopened
        .add_passkey(&key("cred-c", &owner_id, "C", 9_000))
        .await;
    assert!(
        matches!(
            closed,
            Err(StoreError::Unavailable {
                backend: "postgres",
                ..
            })
        ),
        "{closed:?}"
    );
}

#[tokio::test]
async fn an_unreachable_postgres_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let url = format!("postgres://app:hunter2@127.0.0.1:{port}/db");
    let error = PostgresAccounts::open(&url, DEFAULT_ACCOUNT_STORE_TIMEOUT)
        .await
        .err()
        .expect("refused");
    assert!(error.contains("cannot connect to PostgreSQL"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
}

/// A sign-in's account write against `store`: its answer and how long it took.
async fn timed_sign_in(
    store: Arc<PostgresAccounts>,
    phone: String,
) -> (Result<Account, StoreError>, Duration) {
    let started = Instant::now();
    let answer = store.record_sign_in(&phone, 5_000).await;
    (answer, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_table_is_unavailable_within_the_timeout_and_recovers() {
    let server = PostgresServer::start();
    let timeout = Duration::from_millis(400);
    let store = Arc::new(
        PostgresAccounts::open(&server.url(), timeout)
            .await
            .expect("open"),
    );
    store.record_sign_in(PHONE, 1_000).await.expect("store");
    let lock = server
        .hold("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
        .await;

    let (answer, took) = timed_sign_in(store.clone(), PHONE.to_owned()).await;
    let Err(StoreError::Unavailable { backend, detail }) = &answer else {
        panic!("a stuck database is unavailable: {answer:?}");
    };
    assert_eq!(*backend, "postgres");
    assert!(detail.contains("statement timeout"), "{detail}");
    assert!(
        took >= timeout,
        "the statement waited for the lock: {took:?}"
    );
    assert!(took < timeout * 2 + Duration::from_secs(1), "{took:?}");

    // More writers than connections (8): each fails within the statement timeout plus the
    // wait for a free connection, none is held open.
    let tasks: Vec<_> = (0..20)
        .map(|n| tokio::spawn(timed_sign_in(store.clone(), format!("+4474005000{n:02}"))))
        .collect();
    for task in tasks {
        let (answer, took) = task.await.expect("task");
        assert!(
            matches!(
                answer,
                Err(StoreError::Unavailable {
                    backend: "postgres",
                    ..
                })
            ),
            "{answer:?}"
        );
        assert!(took < timeout * 2 + Duration::from_secs(1), "{took:?}");
    }

    lock.release().await;
    let after = store.record_sign_in(PHONE, 6_000).await.expect("recovered");
    assert_eq!(after.last_sign_in_at, 6_000);
}
