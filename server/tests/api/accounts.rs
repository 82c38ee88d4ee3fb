//! Accounts through the real server: a number's first sign-in creates its account and later
//! ones keep it; on SQLite the account outlives the process; two instances on one
//! PostgreSQL share accounts; a stuck PostgreSQL (a table locked by another transaction)
//! answers a sign-in with a 503 within `ACCOUNT_STORE_TIMEOUT_MS`, and the site recovers when
//! it is freed; a store that cannot be opened stops start-up, naming `ACCOUNT_STORE`.

use crate::helpers::{free_port, spawn_app_with, TestApp};
use host::store::test_servers::PostgresServer;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// `/api/account` in `browser`: the account, or `null` when signed out.
async fn account(browser: &TestApp) -> Value {
    let answer = browser.call("account", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("JSON")
}

#[tokio::test]
async fn the_first_sign_in_creates_the_account_and_later_ones_keep_it() {
    let app = spawn_app_with(&[]).await;
    assert_eq!(account(&app).await, Value::Null, "signed out: no account");
    let first = app.signed_in_browser("+447400123601").await;
    let created = account(&first).await;
    assert_eq!(created["number"], "+447400123601");
    assert_eq!(created["created_at"], created["last_sign_in_at"]);

    app.clock.advance(Duration::from_secs(3600));
    let second = app.signed_in_browser("+447400123601").await;
    let kept = account(&second).await;
    assert_eq!(
        kept["created_at"], created["created_at"],
        "the same account"
    );
    assert_eq!(
        kept["last_sign_in_at"].as_u64(),
        created["created_at"].as_u64().map(|t| t + 3600)
    );
    let page = second.get("/account").await;
    assert!(page.body.contains("Account created"), "{}", page.body);
}

#[tokio::test]
async fn sqlite_accounts_outlive_the_process() {
    let dir = std::env::temp_dir().join(format!("passwordless-accounts-{}", uuid::Uuid::new_v4()));
    let store = format!("sqlite://{}/accounts.db", dir.display());
    let settings = [("ACCOUNT_STORE", store.as_str())];
    let created = {
        let app = spawn_app_with(&settings).await;
        account(&app.signed_in_browser("+447400123602").await).await
    };
    let restarted = spawn_app_with(&settings).await;
    let again = account(&restarted.signed_in_browser("+447400123602").await).await;
    assert_eq!(again["created_at"], created["created_at"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_share_accounts() {
    let postgres = PostgresServer::start();
    let url = postgres.url();
    let settings = [("ACCOUNT_STORE", url.as_str())];
    let (one, two) = tokio::join!(spawn_app_with(&settings), spawn_app_with(&settings));
    let through_one = account(&one.signed_in_browser("+447400123603").await).await;
    two.clock.advance(Duration::from_secs(60));
    let through_two = account(&two.signed_in_browser("+447400123603").await).await;
    assert_eq!(through_two["created_at"], through_one["created_at"]);
    assert_ne!(
        through_two["last_sign_in_at"],
        through_one["last_sign_in_at"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_postgres_answers_a_sign_in_with_a_503_within_the_timeout() {
    let postgres = PostgresServer::start();
    let url = postgres.url();
    let app = spawn_app_with(&[
        ("ACCOUNT_STORE", url.as_str()),
        ("ACCOUNT_STORE_TIMEOUT_MS", "500"),
    ])
    .await;
    let number = "+447400123604";
    let browser = app.other_browser();
    let started = browser.call("start_login", &[("number", number)]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let code = browser.latest_code(number).await;

    let lock = postgres
        .hold("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
        .await;
    let began = std::time::Instant::now();
    let finished = browser.call("finish_login", &[("code", &code)]).await;
    let took = began.elapsed();
    assert_eq!(
        finished.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        finished.body
    );
    assert_eq!(finished.body, "\"TemporarilyUnavailable\"");
    assert!(
        took >= Duration::from_millis(500),
        "waited for the lock: {took:?}"
    );
    assert!(
        took < Duration::from_millis(2500),
        "bounded by the statement timeout: {took:?}"
    );
    assert_eq!(account(&browser).await, Value::Null, "not signed in");

    lock.release().await;
    let recovered = app.signed_in_browser(number).await;
    assert_eq!(account(&recovered).await["number"], number);
}

#[tokio::test]
async fn a_store_that_cannot_be_opened_stops_start_up_naming_the_variable() {
    let url = format!("postgres://app:hunter2@127.0.0.1:{}/db", free_port());
    let config = server::config::Config::from_lookup(|name| match name {
        "ACCOUNT_STORE" => Some(url.clone()),
        "SESSION_STORE" => Some("memory".into()),
        "EMULATOR_ADDR" => Some(format!("127.0.0.1:{}", free_port())),
        _ => None,
    })
    .expect("the setting's form is valid");
    let options = leptos::config::LeptosOptions::builder()
        .output_name("passwordless")
        .site_root("target/site")
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build();
    let clock = std::sync::Arc::new(app::auth::server::clock::ManualClock::new());
    let error = server::startup::build(config, options, clock)
        .await
        .err()
        .expect("start-up refused")
        .to_string();
    assert!(error.starts_with("ACCOUNT_STORE:"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
}
