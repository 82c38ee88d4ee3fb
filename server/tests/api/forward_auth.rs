//! `GET /auth/check` (forward authentication): 200 with the account in headers for a
//! signed-in session, 401 otherwise, nothing cached, no body; the same session check as the
//! pages (a session signed out elsewhere is refused). Through a real nginx in
//! `forward_auth_nginx`.

use crate::helpers::{spawn_app_with, TestApp};
use reqwest::StatusCode;

const SETTINGS: &[(&str, &str)] = &[("LIMIT_PER_NUMBER", "20/1h"), ("LIMIT_PER_IP", "100/1h")];

/// `/auth/check` as a proxy asks it: status, the two account headers, the cache header, body.
async fn check(browser: &TestApp) -> (StatusCode, Option<String>, Option<String>, String) {
    let answer = browser.get("/auth/check").await;
    let header = |name: &str| {
        answer
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(answer.body, "", "no body");
    (
        answer.status,
        header("x-auth-account"),
        header("x-auth-number"),
        answer.body.clone(),
    )
}

#[tokio::test]
async fn a_signed_in_session_is_named_in_headers() {
    let app = spawn_app_with(SETTINGS).await;
    let browser = app.signed_in_browser("+447400123611").await;
    let (status, account, number, _) = check(&browser).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(number.as_deref(), Some("+447400123611"));
    let me = browser.call("signed_in", &[]).await;
    let me: serde_json::Value = serde_json::from_str(&me.body).expect("JSON");
    assert_eq!(account.as_deref(), me["account_id"].as_str());
}

#[tokio::test]
async fn strangers_and_pending_logins_are_refused() {
    let app = spawn_app_with(SETTINGS).await;
    assert_eq!(check(&app).await.0, StatusCode::UNAUTHORIZED);
    let pending = app.other_browser();
    pending
        .call("start_login", &[("number", "+447400123612")])
        .await;
    let (status, account, number, _) = check(&pending).await;
    assert_eq!(
        (status, account, number),
        (StatusCode::UNAUTHORIZED, None, None)
    );
}

#[tokio::test]
async fn sessions_signed_out_here_or_elsewhere_are_refused() {
    let app = spawn_app_with(SETTINGS).await;
    let first = app.signed_in_browser("+447400123613").await;
    let second = app.signed_in_browser("+447400123613").await;
    assert_eq!(check(&first).await.0, StatusCode::OK);
    second.call("session_end_others", &[]).await;
    assert_eq!(check(&first).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(check(&second).await.0, StatusCode::OK);
    second.call("logout", &[]).await;
    assert_eq!(check(&second).await.0, StatusCode::UNAUTHORIZED);
}
