//! Redis goes away under a running instance: clear 503s, no hang, no panic; Redis comes back:
//! the instance recovers by itself and sessions written before the outage still sign in.

use crate::emulator_process::EmulatorProcess;
use crate::helpers::{spawn_against, TestApp};
use crate::scale_out::sign_in_across;
use crate::scale_out_support::RedisServer;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// A store failure must be answered within the command timeout plus this margin.
const ANSWER_WITHIN: Duration = Duration::from_secs(3);
/// The bound on recovery after Redis is back.
const RECOVER_WITHIN: Duration = Duration::from_secs(5);

async fn start_on_fresh_browser(app: &TestApp, number: &str) -> (StatusCode, String, Duration) {
    let started = Instant::now();
    let answer = app
        .other_browser()
        .call("start_login", &[("number", number)])
        .await;
    (answer.status, answer.body, started.elapsed())
}

/// Polls a fresh start until it succeeds; returns how long that took.
async fn time_to_recover(app: &TestApp, number: &str) -> Duration {
    let started = Instant::now();
    loop {
        let (status, body, _) = start_on_fresh_browser(app, number).await;
        if status == StatusCode::OK {
            return started.elapsed();
        }
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert!(
            started.elapsed() < RECOVER_WITHIN * 2,
            "no recovery after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn assert_unavailable(app: &TestApp, number: &str) {
    let (status, body, took) = start_on_fresh_browser(app, number).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("TemporarilyUnavailable"), "{body}");
    assert!(took < ANSWER_WITHIN, "answered after {took:?}");

    // Without JavaScript the visitor is sent back to the form with the message in the
    // signed `flash` cookie (nothing is stored, so the outage cannot swallow it).
    let browser = app.other_browser();
    let page = browser
        .post_form("start_login", &[("number", number)])
        .await;
    assert_eq!(
        (page.status, page.location()),
        (StatusCode::SEE_OTHER, "/login"),
        "{}",
        page.body
    );
    assert!(
        page.set_cookie("flash").is_some(),
        "the message rides a cookie"
    );
    let page = browser.get("/login").await;
    assert!(
        page.body.contains("Sign-in is temporarily unavailable"),
        "{}",
        page.body
    );

    assert_eq!(
        app.get("/readyz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn redis_stopped_gives_clear_503s_and_the_instance_recovers_by_itself() {
    let mut redis = RedisServer::start();
    let emulator = EmulatorProcess::start();
    let app = spawn_against("vonage", &emulator.base, &[("SESSION_STORE", &redis.url())]).await;
    let browser = app.other_browser();
    sign_in_across(&emulator, &browser, &app, "+447400123511").await;

    redis.stop();
    assert_unavailable(&app, "+447400123512").await;
    // The signed-in visitor gets a page that says so, not a blank page or a stack trace.
    let home = browser.get("/").await;
    assert!(
        home.body.contains("temporarily unavailable"),
        "{}: {}",
        home.status,
        home.body
    );

    redis.restart();
    let took = time_to_recover(&app, "+447400123513").await;
    eprintln!("store_faults: recovered {took:?} after Redis came back");
    assert!(took <= RECOVER_WITHIN, "recovered after {took:?}");
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);
    let home = browser.get("/").await;
    assert!(
        home.body.contains("Hello ") && home.body.contains("+44 7400 123511"),
        "the session from before the outage still signs in: {}",
        home.body
    );
}

#[tokio::test]
async fn redis_frozen_never_hangs_a_request_past_the_timeout() {
    let redis = RedisServer::start();
    let emulator = EmulatorProcess::start();
    let app = spawn_against("vonage", &emulator.base, &[("SESSION_STORE", &redis.url())]).await;
    let browser = app.other_browser();
    sign_in_across(&emulator, &browser, &app, "+447400123514").await;

    redis.freeze();
    assert_unavailable(&app, "+447400123515").await;

    redis.thaw();
    let took = time_to_recover(&app, "+447400123516").await;
    eprintln!("store_faults: recovered {took:?} after Redis came back");
    assert!(took <= RECOVER_WITHIN, "recovered after {took:?}");
    let home = browser.get("/").await;
    assert!(home.body.contains("+44 7400 123514"), "{}", home.body);
}

/// The Redis store ports answer typed errors: a value they cannot read (a counter Redis holds
/// as text) is corrupt, a stopped Redis is unavailable.
#[tokio::test]
async fn redis_store_ports_tell_an_unreadable_answer_from_an_outage() {
    use app_core::auth::server::StoreError;
    use server::config::{RedisSettings, SessionStoreConfig};
    use server::store::AnyStore;

    let mut redis = RedisServer::start();
    let stores = AnyStore::open(&SessionStoreConfig::Redis(RedisSettings {
        url: redis.url(),
        ca_file: None,
    }))
    .await
    .expect("redis store");
    let set = std::process::Command::new("redis-cli")
        .args([
            "-u",
            &redis.url(),
            "SET",
            "passwordless:limit:odd:600",
            "many",
        ])
        .output()
        .expect("redis-cli runs (Debian's redis-tools, installed with redis-server)");
    assert!(set.status.success(), "{set:?}");
    let odd = stores.counters.get("odd", 600).await;
    assert!(
        matches!(
            odd,
            Err(StoreError::Corrupt {
                backend: "redis",
                ..
            })
        ),
        "{odd:?}"
    );

    redis.stop();
    let down = stores.locks.claim("login:ended:x", 2_000_000_000, 0).await;
    assert!(
        matches!(
            down,
            Err(StoreError::Unavailable {
                backend: "redis",
                ..
            })
        ),
        "{down:?}"
    );
}
