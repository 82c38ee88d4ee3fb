//! Wrong codes, attempt caps, expiry and repeated starts.

use crate::helpers::{spawn_app, spawn_app_with, wrong_code};
use reqwest::StatusCode;
use std::time::Duration;

#[tokio::test]
async fn wrong_code_keeps_the_login_and_counts_down() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123020")])
        .await;
    let code = app.latest_code("+447400123020").await;
    let wrong = app
        .call("finish_login", &[("code", wrong_code(&code))])
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.body.contains(r#""attempts_left":2"#),
        "{}",
        wrong.body
    );
    let right = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
}

#[tokio::test]
async fn too_many_wrong_codes_end_the_pending_login() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123021")])
        .await;
    let code = app.latest_code("+447400123021").await;
    for left in [2, 1] {
        let answer = app
            .call("finish_login", &[("code", wrong_code(&code))])
            .await;
        assert!(
            answer.body.contains(&format!(r#""attempts_left":{left}"#)),
            "{}",
            answer.body
        );
    }
    let last = app
        .call("finish_login", &[("code", wrong_code(&code))])
        .await;
    assert_eq!(last.status, StatusCode::GONE);
    assert!(last.body.contains("TooManyAttempts"), "{}", last.body);
    // Even the right code is refused now: the user must start again.
    let after = app.call("finish_login", &[("code", &code)]).await;
    assert!(after.body.contains("NoPendingLogin"), "{}", after.body);
}

#[tokio::test]
async fn malformed_code_is_rejected_without_using_an_attempt() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123022")])
        .await;
    let answer = app.call("finish_login", &[("code", "12ab")]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("InvalidCode"));
    let code = app.latest_code("+447400123022").await;
    let wrong = app
        .call("finish_login", &[("code", wrong_code(&code))])
        .await;
    assert!(
        wrong.body.contains(r#""attempts_left":2"#),
        "{}",
        wrong.body
    );
}

#[tokio::test]
async fn expired_code_sends_the_user_back_to_start() {
    let app = spawn_app_with(&[("EMULATOR_CODE_TTL", "300")]).await;
    app.call("start_login", &[("number", "+447400123023")])
        .await;
    let code = app.latest_code("+447400123023").await;
    app.clock.advance(Duration::from_secs(301));
    let answer = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(answer.status, StatusCode::GONE);
    assert!(answer.body.contains("CodeExpired"), "{}", answer.body);
    let status = app.call("login_status", &[]).await;
    assert!(status.body.contains("SignedOut"), "{}", status.body);
}

#[tokio::test]
async fn login_ttl_expires_the_pending_login_on_our_side_too() {
    let app = spawn_app_with(&[("LOGIN_TTL", "120"), ("EMULATOR_CODE_TTL", "900")]).await;
    app.call("start_login", &[("number", "+447400123024")])
        .await;
    let code = app.latest_code("+447400123024").await;
    app.clock.advance(Duration::from_secs(121));
    let answer = app.call("finish_login", &[("code", &code)]).await;
    assert!(answer.body.contains("CodeExpired"), "{}", answer.body);
}

#[tokio::test]
async fn concurrent_start_from_another_browser_is_refused_and_sends_nothing() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123025")])
        .await;
    let code = app.latest_code("+447400123025").await;
    // A second browser (new cookie jar) asks for the same number while the code is live:
    // the code belongs to the first browser, so the second is told to wait (not resumed).
    let other = app.other_browser();
    let start = other
        .call("start_login", &[("number", "+447400123025")])
        .await;
    assert_eq!(start.status, StatusCode::CONFLICT, "{}", start.body);
    assert!(start.body.contains("NumberBusy"), "{}", start.body);
    assert_eq!(app.messages().await.len(), 1);
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{}", finish.body);
}

#[tokio::test]
async fn repeated_start_for_the_same_number_sends_one_message() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123026")])
        .await;
    app.call("start_login", &[("number", "07400 123026")]).await;
    let messages = app.messages().await;
    assert_eq!(
        messages
            .iter()
            .filter(|m| m["to"] == "+447400123026")
            .count(),
        1
    );
}
