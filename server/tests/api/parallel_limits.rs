//! Every limit is one atomic store operation: however many requests race, no more codes are
//! sent than the limit allows. Run against each store: memory, SQLite and Redis.

use crate::helpers::{spawn_app_with, TestApp};
use crate::scale_out_support::RedisServer;
use reqwest::StatusCode;

/// Parallel starts fired at once (the attack used 60).
const PARALLEL: usize = 60;

/// Fires `PARALLEL` starts at once, each from a fresh browser, for `number(i)`; answers
/// how many were accepted and how many codes the emulator sent.
async fn race(app: &TestApp, number: impl Fn(usize) -> String) -> (usize, usize, Vec<StatusCode>) {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..PARALLEL {
        let browser = app.other_browser();
        let number = number(i);
        tasks.spawn(async move {
            browser
                .call("start_login", &[("number", number.as_str())])
                .await
                .status
        });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.expect("request task ran"));
    }
    let accepted = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    (accepted, app.messages().await.len(), statuses)
}

/// A per-IP limit of 10 deliveries per hour against 60 parallel starts for distinct numbers
/// from one IP, then 60 parallel starts for one number from distinct browsers (one owner).
async fn limits_hold_under_parallel_starts(store: &str, extra: &[(&str, &str)]) {
    let mut settings = vec![("LIMIT_PER_IP", "10/1h")];
    settings.extend_from_slice(extra);
    let app = spawn_app_with(&settings).await;
    let (accepted, sent, statuses) = race(&app, |i| format!("+4474009007{i:02}")).await;
    println!("{store}: distinct numbers, one IP: {sent}/{PARALLEL} codes sent");
    // Each start reserves its SMS and the call the provider makes by itself: 5 starts are
    // the 10 deliveries the limit allows.
    assert_eq!((accepted, sent), (5, 5), "{store}: {statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::TOO_MANY_REQUESTS),
        "{store}: {statuses:?}"
    );

    let mut settings = vec![("LIMIT_PER_IP", "1000/1h")];
    settings.extend_from_slice(extra);
    let app = spawn_app_with(&settings).await;
    let (accepted, sent, statuses) = race(&app, |_| "+447400900800".to_owned()).await;
    println!("{store}: one number, {PARALLEL} browsers: {sent}/{PARALLEL} codes sent");
    assert_eq!((accepted, sent), (1, 1), "{store}: {statuses:?}");
}

#[tokio::test]
async fn parallel_starts_never_beat_the_limits_in_memory() {
    limits_hold_under_parallel_starts("memory", &[("SESSION_STORE", "memory")]).await;
}

#[tokio::test]
async fn parallel_starts_never_beat_the_limits_in_sqlite() {
    let dir = std::env::temp_dir().join(format!("passwordless-race-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/sessions.db", dir.display());
    limits_hold_under_parallel_starts("sqlite", &[("SESSION_STORE", url.as_str())]).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn parallel_starts_never_beat_the_limits_in_redis() {
    let redis = RedisServer::start();
    let url = redis.url();
    limits_hold_under_parallel_starts("redis", &[("SESSION_STORE", url.as_str())]).await;
}
