//! Upstream faults injected into the emulator (`POST /dev/faults`) and what a user sees: a
//! clear, retryable error within the client's time limit, never a framework 500; faults met
//! starting a login here, a pending login that survives a failed code check in [`finish`].

use crate::helpers::{shown, spawn_app_with, Answer, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

mod finish;

/// The provider client's total time limit in these tests (`VERIFY_TIMEOUT_MS`).
const CLIENT_TIMEOUT: Duration = Duration::from_millis(800);
/// A hold far beyond [`CLIENT_TIMEOUT`].
const HOLD_MS: u64 = 5_000;
/// What the phone step shows when the provider failed (the apostrophe may be escaped).
const UNREACHABLE: &str = "reach the verification service";

/// The app with a short provider timeout and limits high enough for repeated attempts.
async fn spawn() -> TestApp {
    // The phone-number metadata loads once per process on first use (about 0.4 s in a debug
    // build): load it here so the timings below measure the fault handling alone.
    let gb = "GB".parse().expect("GB is a country");
    app::domain::PhoneNumber::parse("+447400123199", gb).expect("a valid number");
    spawn_app_with(&[
        ("VERIFY_TIMEOUT_MS", "800"),
        ("LIMIT_PER_NUMBER", "50/10m"),
        ("LIMIT_PER_IP", "100/1h"),
        ("LIMIT_PER_SESSION", "100/1h"),
    ])
    .await
}

/// Switches the emulator's fault through the dev router of the app.
async fn set_fault(app: &TestApp, setting: Value) {
    app.set_fault(setting).await;
}

/// `start_login` as the hydrated app calls it, timed.
async fn timed_start(app: &TestApp, number: &str) -> (Answer, Duration) {
    let began = Instant::now();
    let answer = app.call("start_login", &[("number", number)]).await;
    (answer, began.elapsed())
}

/// `finish_login` as the hydrated app calls it, timed.
async fn timed_finish(app: &TestApp, code: &str) -> (Answer, Duration) {
    let began = Instant::now();
    let answer = app.call("finish_login", &[("code", code)]).await;
    (answer, began.elapsed())
}

/// The answer is `expected` with the given status, in time, and not a framework failure.
fn assert_error(answer: &Answer, elapsed: Duration, status: StatusCode, expected: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert!(answer.body.contains(expected), "{}", answer.body);
    assert!(
        elapsed < CLIENT_TIMEOUT + Duration::from_secs(1),
        "answered after {elapsed:?}"
    );
}

fn assert_unavailable(answer: &Answer, elapsed: Duration) {
    assert_error(
        answer,
        elapsed,
        StatusCode::SERVICE_UNAVAILABLE,
        "ServiceUnavailable",
    );
}

/// A browser without JavaScript is sent back to the phone step, which explains the failure.
async fn assert_no_js_start_explains(app: &TestApp, number: &str) {
    let browser = app.other_browser();
    let began = Instant::now();
    let start = browser
        .post_form("start_login", &[("number", number)])
        .await;
    assert!(began.elapsed() < CLIENT_TIMEOUT + Duration::from_secs(1));
    assert_eq!(
        (start.status, start.location()),
        (StatusCode::SEE_OTHER, "/login"),
        "{}",
        start.body
    );
    let page = browser.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("couldn"), "{}", page.body);
    assert!(page.body.contains(UNREACHABLE), "{}", page.body);
}

/// Signs in with `code` and checks the home page greets `e164`.
async fn assert_signs_in(app: &TestApp, code: &str, e164: &str) {
    let finish = app.call("finish_login", &[("code", code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{}", finish.body);
    let home = app.get("/").await;
    assert!(home.body.contains("Hello "), "{}", home.body);
    assert!(home.body.contains(&shown(e164)), "{}", home.body);
}

#[tokio::test]
async fn admin_switch_reads_back_and_refuses_nonsense() {
    let app = spawn().await;
    let url = format!("{}/dev/faults", app.base);
    let read = |client: reqwest::Client, url: String| async move {
        client
            .get(url)
            .send()
            .await
            .expect("reachable")
            .json::<Value>()
            .await
            .expect("JSON")
    };
    assert_eq!(
        read(app.client.clone(), url.clone()).await,
        json!({"kind": "none"})
    );
    set_fault(&app, json!({"kind": "status", "status": 503, "count": 1})).await;
    assert_eq!(
        read(app.client.clone(), url.clone()).await,
        json!({"kind": "status", "status": 503, "count": 1})
    );
    let refused = app
        .client
        .post(&url)
        .json(&json!({"kind": "status", "status": 99}))
        .send()
        .await
        .expect("reachable");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The one counted failure, then the provider is back by itself.
    let (first, elapsed) = timed_start(&app, "+447400123140").await;
    assert_unavailable(&first, elapsed);
    assert_eq!(read(app.client.clone(), url).await, json!({"kind": "none"}));
    let (second, _) = timed_start(&app, "+447400123140").await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
}

#[tokio::test]
async fn status_503_answers_service_unavailable() {
    let app = spawn().await;
    set_fault(&app, json!({"kind": "status", "status": 503})).await;
    let (answer, elapsed) = timed_start(&app, "+447400123141").await;
    assert_unavailable(&answer, elapsed);
    assert_no_js_start_explains(&app, "+447400123142").await;
}

#[tokio::test]
async fn status_500_and_other_upstream_errors_answer_service_unavailable() {
    let app = spawn().await;
    for status in [500, 502, 504, 401, 404] {
        set_fault(&app, json!({"kind": "status", "status": status})).await;
        let (answer, elapsed) = timed_start(&app, "+447400123143").await;
        assert_unavailable(&answer, elapsed);
    }
    assert_no_js_start_explains(&app, "+447400123144").await;
}

#[tokio::test]
async fn status_429_from_the_provider_answers_throttled() {
    let app = spawn().await;
    set_fault(&app, json!({"kind": "status", "status": 429})).await;
    let (answer, elapsed) = timed_start(&app, "+447400123145").await;
    assert_error(&answer, elapsed, StatusCode::TOO_MANY_REQUESTS, "Throttled");
}

#[tokio::test]
async fn timeout_answers_service_unavailable_within_the_client_timeout() {
    let app = spawn().await;
    set_fault(&app, json!({"kind": "timeout", "ms": HOLD_MS})).await;
    let (answer, elapsed) = timed_start(&app, "+447400123146").await;
    assert_unavailable(&answer, elapsed);
    assert!(
        elapsed >= CLIENT_TIMEOUT - Duration::from_millis(100),
        "gave up after {elapsed:?}, before the client timeout"
    );
    assert_no_js_start_explains(&app, "+447400123147").await;
}

#[tokio::test]
async fn a_held_provider_call_does_not_hold_other_visitors() {
    let app = spawn().await;
    set_fault(&app, json!({"kind": "timeout", "ms": HOLD_MS})).await;
    let slow_visitor = app.other_browser();
    let slow = tokio::spawn(async move { timed_start(&slow_visitor, "+447400123148").await });
    tokio::time::sleep(Duration::from_millis(150)).await;

    let other = app.other_browser();
    let began = Instant::now();
    let page = other.get("/login").await;
    let waited = began.elapsed();
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        waited < Duration::from_millis(500),
        "GET /login took {waited:?}"
    );
    assert!(!slow.is_finished(), "the slow call is still held");

    let (answer, elapsed) = slow.await.expect("slow call completes");
    assert_unavailable(&answer, elapsed);
}

#[tokio::test]
async fn reset_answers_service_unavailable() {
    let app = spawn().await;
    set_fault(&app, json!({"kind": "reset"})).await;
    let (answer, elapsed) = timed_start(&app, "+447400123149").await;
    assert_unavailable(&answer, elapsed);
    assert_no_js_start_explains(&app, "+447400123150").await;
}

#[tokio::test]
async fn truncated_start_answers_service_unavailable_and_a_retry_resumes() {
    let app = spawn().await;
    set_fault(&app, json!({"kind": "truncated"})).await;
    let (answer, elapsed) = timed_start(&app, "+447400123151").await;
    assert_unavailable(&answer, elapsed);
    assert_no_js_start_explains(&app, "+447400123152").await;

    // The provider did send a code before its reply was cut: the retry resumes that request
    // and the code signs in.
    set_fault(&app, json!({"kind": "none"})).await;
    let (retry, _) = timed_start(&app, "+447400123151").await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.body);
    let code = app.latest_code("+447400123151").await;
    assert_signs_in(&app, &code, "+447400123151").await;
}

#[tokio::test]
async fn garbage_answers_service_unavailable() {
    let app = spawn().await;
    set_fault(&app, json!({"kind": "garbage"})).await;
    let (answer, elapsed) = timed_start(&app, "+447400123154").await;
    assert_unavailable(&answer, elapsed);
    assert_no_js_start_explains(&app, "+447400123155").await;
}

#[tokio::test]
async fn wrong_content_type_with_valid_json_still_signs_in() {
    // The clients read the body, not the label: valid JSON with a wrong content type is
    // accepted (and strictly validated as JSON).
    let app = spawn().await;
    set_fault(&app, json!({"kind": "wrong_content_type"})).await;
    let (start, elapsed) = timed_start(&app, "+447400123156").await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    assert!(elapsed < CLIENT_TIMEOUT);
    let code = app.latest_code("+447400123156").await;
    assert_signs_in(&app, &code, "+447400123156").await;
}

#[tokio::test]
async fn latency_below_the_timeout_still_signs_in() {
    let app = spawn().await;
    set_fault(&app, json!({"kind": "latency", "ms": 300})).await;
    let (start, elapsed) = timed_start(&app, "+447400123157").await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    let code = app.latest_code("+447400123157").await;
    let (finish, elapsed) = timed_finish(&app, &code).await;
    assert_eq!(finish.status, StatusCode::OK, "{}", finish.body);
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    let home = app.get("/").await;
    assert!(home.body.contains("+44 7400 123157"), "{}", home.body);
}
