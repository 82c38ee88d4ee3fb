//! Faults met while checking a code: the visitor sees a clear, retryable error, the pending
//! login survives (once the fault is off the same code signs in), and a reply cut after the
//! provider used the code up never signs in.

use super::*;

/// Starts a login with no fault, then checks the code under `fault`: the answer is `status`
/// with `expected` in time, and once the fault is off the same code still signs in.
async fn finish_under_fault_keeps_the_pending_login(
    fault: Value,
    e164: &str,
    status: StatusCode,
    expected: &str,
) {
    let app = spawn().await;
    let (start, _) = timed_start(&app, e164).await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    let code = app.latest_code(e164).await;

    set_fault(&app, fault).await;
    let (answer, elapsed) = timed_finish(&app, &code).await;
    assert_error(&answer, elapsed, status, expected);
    let pending = app.call("login_status", &[]).await;
    assert!(pending.body.contains("Pending"), "{}", pending.body);

    set_fault(&app, json!({"kind": "none"})).await;
    assert_signs_in(&app, &code, e164).await;
}

#[tokio::test]
async fn truncated_check_reply_never_signs_in() {
    let app = spawn().await;
    let (start, _) = timed_start(&app, "+447400123153").await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    let code = app.latest_code("+447400123153").await;

    set_fault(&app, json!({"kind": "truncated"})).await;
    let (answer, elapsed) = timed_finish(&app, &code).await;
    assert_unavailable(&answer, elapsed);
    assert!(!app.get("/").await.body.contains("Hello "), "not signed in");

    // The provider used the code up before its reply was cut: the login must start again.
    set_fault(&app, json!({"kind": "none"})).await;
    let (again, _) = timed_finish(&app, &code).await;
    assert_eq!(again.status, StatusCode::GONE, "{}", again.body);
    assert!(again.body.contains("CodeExpired"), "{}", again.body);
    assert!(!app.get("/").await.body.contains("Hello "), "not signed in");
}

#[tokio::test]
async fn finish_under_status_503_keeps_the_pending_login() {
    finish_under_fault_keeps_the_pending_login(
        json!({"kind": "status", "status": 503}),
        "+447400123160",
        StatusCode::SERVICE_UNAVAILABLE,
        "ServiceUnavailable",
    )
    .await;
}

#[tokio::test]
async fn finish_under_status_429_answers_throttled_and_keeps_the_pending_login() {
    finish_under_fault_keeps_the_pending_login(
        json!({"kind": "status", "status": 429}),
        "+447400123161",
        StatusCode::TOO_MANY_REQUESTS,
        "Throttled",
    )
    .await;
}

#[tokio::test]
async fn finish_under_timeout_keeps_the_pending_login() {
    finish_under_fault_keeps_the_pending_login(
        json!({"kind": "timeout", "ms": HOLD_MS}),
        "+447400123162",
        StatusCode::SERVICE_UNAVAILABLE,
        "ServiceUnavailable",
    )
    .await;
}

#[tokio::test]
async fn finish_under_reset_keeps_the_pending_login() {
    finish_under_fault_keeps_the_pending_login(
        json!({"kind": "reset"}),
        "+447400123163",
        StatusCode::SERVICE_UNAVAILABLE,
        "ServiceUnavailable",
    )
    .await;
}

#[tokio::test]
async fn finish_under_garbage_keeps_the_pending_login() {
    finish_under_fault_keeps_the_pending_login(
        json!({"kind": "garbage"}),
        "+447400123164",
        StatusCode::SERVICE_UNAVAILABLE,
        "ServiceUnavailable",
    )
    .await;
}

#[tokio::test]
async fn no_js_finish_under_a_fault_stays_on_the_code_step() {
    let app = spawn().await;
    let start = app
        .post_form("start_login", &[("number", "+447400123165")])
        .await;
    assert_eq!(start.location(), "/verify");
    let code = app.latest_code("+447400123165").await;

    set_fault(&app, json!({"kind": "status", "status": 503})).await;
    let finish = app.post_form("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::SEE_OTHER, "{}", finish.body);
    assert_eq!(finish.location(), "/verify");
    let page = app.get("/verify").await;
    assert!(page.body.contains(UNREACHABLE), "{}", page.body);

    set_fault(&app, json!({"kind": "none"})).await;
    let finish = app.post_form("finish_login", &[("code", &code)]).await;
    assert_eq!(
        (finish.status, finish.location()),
        (StatusCode::SEE_OTHER, "/")
    );
    assert!(app.get("/").await.body.contains("+44 7400 123165"));
}
