//! "Build on it": a protected page (`/account`, wrapped in `<SignedInOnly>`) and the one-call
//! server-side check (`signed_in()`, behind `/api/signed_in`), through the real server with
//! JavaScript off; where sign-in may lead (`AUTH_REDIRECT_HOSTS`); the shared session
//! cookie (`COOKIE_DOMAIN`).

use crate::helpers::{spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::Value;

/// Several sign-ins of one number within minutes.
const SETTINGS: &[(&str, &str)] = &[("LIMIT_PER_NUMBER", "20/1h"), ("LIMIT_PER_IP", "100/1h")];

#[tokio::test]
async fn a_protected_page_redirects_on_the_server_keeping_its_query() {
    let app = spawn_app().await;
    let page = app.get("/account?tab=passkeys&x=1").await;
    assert!(page.status.is_redirection(), "{}", page.status);
    assert_eq!(page.location(), "/login?next=/account?tab=passkeys%26x=1");
    let login = app.get(page.location()).await;
    assert!(
        login
            .body
            .contains(r#"name="next" value="/account?tab=passkeys&amp;x=1""#),
        "{}",
        login.body
    );
}

#[tokio::test]
async fn signed_in_answers_the_account_or_not_signed_in() {
    let app = spawn_app_with(SETTINGS).await;
    let stranger = app.call("signed_in", &[]).await;
    assert_eq!(stranger.status, StatusCode::UNAUTHORIZED);
    assert!(stranger.body.contains("NotSignedIn"), "{}", stranger.body);

    let browser = app.signed_in_browser("+447400123601").await;
    let me = browser.call("signed_in", &[]).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    let me: Value = serde_json::from_str(&me.body).expect("JSON");
    assert_eq!(me["number"], "+447400123601");
    assert_eq!(me["shown_number"], "+44 7400 123601");
    assert!(!me["account_id"].as_str().unwrap_or_default().is_empty());
    let page = browser.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("+44 7400 123601"), "{}", page.body);
}

#[tokio::test]
async fn a_session_signed_out_elsewhere_is_signed_out_for_pages_and_functions() {
    let app = spawn_app_with(SETTINGS).await;
    let first = app.signed_in_browser("+447400123602").await;
    let second = app.signed_in_browser("+447400123602").await;
    let ended = second.call("session_end_others", &[]).await;
    assert_eq!((ended.status, ended.body.as_str()), (StatusCode::OK, "1"));
    assert!(first
        .call("signed_in", &[])
        .await
        .body
        .contains("NotSignedIn"));
    let page = first.get("/account").await;
    assert_eq!(page.location(), "/login?next=/account");
    assert_eq!(second.call("signed_in", &[]).await.status, StatusCode::OK);
}

/// Signs in without JavaScript from `/login?next=<next>`; answers where the server sent us.
async fn no_js_sign_in(app: &crate::helpers::TestApp, number: &str, next: &str) -> String {
    app.post_form("start_login", &[("number", number), ("next", next)])
        .await;
    let code = app.latest_code(number).await;
    let finish = app.post_form("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::SEE_OTHER, "{}", finish.body);
    finish.location().to_owned()
}

#[tokio::test]
async fn sign_in_returns_to_a_listed_host_only() {
    let app = spawn_app_with(&[
        (
            "AUTH_REDIRECT_HOSTS",
            "app.example.com,wiki.example.com:8443",
        ),
        ("LIMIT_PER_NUMBER", "20/1h"),
    ])
    .await;
    let next = "https://app.example.com/reports?id=7";
    let login = app.get(&format!("/login?next={next}")).await;
    assert!(login
        .body
        .contains(r#"value="https://app.example.com/reports?id=7""#));
    let csp = &login.headers["content-security-policy"];
    assert!(csp
        .to_str()
        .unwrap_or_default()
        .contains("form-action 'self' app.example.com wiki.example.com:8443"));
    let landed = no_js_sign_in(&app, "+447400123603", next).await;
    assert_eq!(landed, next);

    for refused in [
        "https://evil.example/",
        "https://app.example.com.evil.example/",
        "https://wiki.example.com/",
        "https://app.example.com@evil.example/",
    ] {
        let other = app.other_browser();
        assert_eq!(no_js_sign_in(&other, "+447400123604", refused).await, "/");
    }
}

#[tokio::test]
async fn without_the_list_an_absolute_next_leads_home() {
    let app = spawn_app().await;
    let landed = no_js_sign_in(&app, "+447400123605", "https://app.example.com/").await;
    assert_eq!(landed, "/");
}

#[tokio::test]
async fn the_session_cookie_is_host_only_unless_cookie_domain_is_set() {
    let secure = [("COOKIE_SECURE", "always")];
    let app = spawn_app_with(&secure).await;
    let started = app
        .call("start_login", &[("number", "+447400123606")])
        .await;
    let cookie = started
        .set_cookie("__Host-session")
        .expect("host-only cookie");
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");

    let shared = spawn_app_with(&[
        ("COOKIE_SECURE", "always"),
        ("COOKIE_DOMAIN", ".example.com"),
    ])
    .await;
    let started = shared
        .call("start_login", &[("number", "+447400123607")])
        .await;
    assert!(started.set_cookie("__Host-session").is_none());
    let cookie = started
        .set_cookie("__Secure-session")
        .expect("shared cookie");
    for part in ["Domain=example.com", "Secure", "HttpOnly", "SameSite=Lax"] {
        assert!(cookie.contains(part), "{part} missing: {cookie}");
    }
}
