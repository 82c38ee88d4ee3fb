//! The human check is bound to this site and widget, through the real server and a
//! siteverify of the test's own that vouches for every token (`success: true`) but says where
//! it was solved: a token solved on another site (`hostname`) or in another Turnstile widget
//! (`action`) is refused exactly like a failed check (403 `ChallengeRequired{failed: true}`,
//! nothing sent); the right ones send; behind a proxy `PUBLIC_URL` names the site, not the
//! request's `Host`; the test keys' canned `hostname: "example.com"` passes only with their
//! test secret (see `challenge.rs` for those).

use crate::helpers::{spawn_app_with, TestApp};
use axum::routing::post;
use axum::{Form, Json};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Not a documented test secret: the binding applies in full.
const LIVE_SECRET: &str = "0x4AAAAAAAlive-secret-of-this-test";

/// A siteverify that vouches for every token, answering where the token says it was solved:
/// `HOSTNAME` or `HOSTNAME/ACTION`.
async fn vouching_siteverify() -> String {
    let answer = |Form(form): Form<HashMap<String, String>>| async move {
        let token = form.get("response").cloned().unwrap_or_default();
        let (hostname, action) = match token.split_once('/') {
            Some((hostname, action)) => (hostname.to_owned(), Some(action.to_owned())),
            None => (token, None),
        };
        let mut answer = json!({
            "success": true,
            "error-codes": [],
            "challenge_ts": "2026-12-05T10:00:00Z",
            "hostname": hostname,
        });
        if let Some(action) = action {
            answer["action"] = Value::from(action);
        }
        Json(answer)
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("bound");
    let router = axum::Router::new().route("/siteverify", post(answer));
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}/siteverify")
}

/// A site whose every send is checked by `provider` through the vouching siteverify.
async fn checked_site(provider: &str, extra: &[(&str, &str)]) -> TestApp {
    let verify_url = vouching_siteverify().await;
    let mut settings = vec![
        ("CAPTCHA_PROVIDER", provider),
        ("CAPTCHA_SITE_KEY", "0x4AAAAAAAsite-key"),
        ("CAPTCHA_SECRET", LIVE_SECRET),
        ("CAPTCHA_WHEN", "always"),
        ("CAPTCHA_VERIFY_URL", verify_url.as_str()),
    ];
    settings.extend_from_slice(extra);
    spawn_app_with(&settings).await
}

/// `start_login` for `number` in a new browser with `token`; the status and the JSON body.
async fn start(
    app: &TestApp,
    origin: Option<&str>,
    number: &str,
    token: &str,
) -> (StatusCode, Value) {
    let browser = app.other_browser();
    let mut request = browser
        .client
        .post(format!("{}/api/start_login", browser.base))
        .header("accept", "application/json")
        .form(&[("number", number), ("captcha_token", token)]);
    if let Some(origin) = origin {
        request = request
            .header("origin", origin)
            .header("sec-fetch-site", "same-origin");
    }
    let response = request.send().await.expect("reachable");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn sent_to(app: &TestApp, number: &str) -> usize {
    let messages = app.messages().await;
    messages.iter().filter(|m| m["to"] == number).count()
}

/// Refused like a failed check: 403 `ChallengeRequired{failed: true}`, nothing sent.
async fn assert_refused(app: &TestApp, origin: Option<&str>, number: &str, token: &str) {
    let (status, body) = start(app, origin, number, token).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{token}: {body}");
    assert_eq!(
        body["ChallengeRequired"]["failed"].as_bool(),
        Some(true),
        "{token}: {body}"
    );
    assert_eq!(sent_to(app, number).await, 0, "{token}: nothing sent");
}

#[tokio::test]
async fn a_turnstile_token_solved_on_another_site_or_widget_is_refused_like_a_failed_check() {
    let app = checked_site("turnstile", &[]).await;
    let number = "+447400123901";
    // The widget is rendered with the action the answer must name.
    let (status, body) = start(&app, None, number, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["ChallengeRequired"]["widget"]["action"], "login");

    assert_refused(&app, None, number, "evil.example/login").await;
    assert_refused(&app, None, number, "127.0.0.1.evil.example/login").await;
    assert_refused(&app, None, number, "127.0.0.1/signup").await;
    assert_refused(&app, None, number, "127.0.0.1").await;
    // The canned hostname of Cloudflare's test secrets, with a real secret.
    assert_refused(&app, None, number, "example.com/").await;

    let (status, body) = start(&app, None, number, "127.0.0.1/login").await;
    assert_eq!(status, StatusCode::OK, "solved here in our widget: {body}");
    assert_eq!(sent_to(&app, number).await, 1);
}

#[tokio::test]
async fn behind_a_proxy_public_url_names_the_site_not_the_requests_host() {
    let public = "http://login.example.test";
    let app = checked_site(
        "turnstile",
        &[("PUBLIC_URL", public), ("EMULATOR_PUBLIC", "yes")],
    )
    .await;
    let number = "+447400123902";
    // The proxy forwards Host as the backend's address: a token solved there is not ours.
    assert_refused(&app, Some(public), number, "127.0.0.1/login").await;
    let (status, body) = start(&app, Some(public), number, "login.example.test/login").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(sent_to(&app, number).await, 1);
}

#[tokio::test]
async fn an_hcaptcha_token_is_bound_to_the_host_and_has_no_action() {
    let app = checked_site("hcaptcha", &[]).await;
    let number = "+447400123903";
    let (_, body) = start(&app, None, number, "").await;
    assert_eq!(body["ChallengeRequired"]["widget"]["action"], Value::Null);
    assert_refused(&app, None, number, "evil.example").await;
    assert_refused(&app, None, number, "dummy-key-pass").await;
    let (status, body) = start(&app, None, number, "127.0.0.1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(sent_to(&app, number).await, 1);
}
