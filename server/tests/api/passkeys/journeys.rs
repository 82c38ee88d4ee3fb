//! A passkey added after a phone sign-in signs in without a message, wherever the person
//! signs in; where passkeys cannot work the phone path is unchanged.

use super::*;
use crate::helpers::spawn_app_with;
use crate::scale_out_support::RedisServer;
use host::store::test_servers::PostgresServer;
use std::time::Duration;

#[tokio::test]
async fn a_passkey_added_after_a_phone_sign_in_signs_in_without_a_message() {
    let app = spawn_app_with(&[]).await;
    let number = "+447400123701";
    let phone_browser = app.signed_in_browser(number).await;
    let mut authenticator = SoftAuthenticator::new();
    let added = add_passkey(&phone_browser, &mut authenticator).await;
    assert_eq!(added["last_used_at"], Value::Null);
    let listed = account(&phone_browser).await;
    assert_eq!(listed["passkeys"][0]["id"], added["id"]);
    let sent = app.messages().await.len();

    app.clock.advance(Duration::from_secs(3600));
    let browser = app.other_browser();
    let credential = assertion(&browser, &mut authenticator).await;
    let before = browser.get("/").await;
    let signed = finish(&browser, &credential, Some("/account")).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    assert_eq!(signed.body, "\"/account\"", "next= is honoured");
    let renewed = signed
        .session_id()
        .expect("a new session cookie at sign-in");
    assert_ne!(
        Some(renewed),
        before.session_id(),
        "the session id is renewed"
    );
    assert_eq!(signed_in_number(&browser).await.as_deref(), Some(number));
    assert_eq!(app.messages().await.len(), sent, "no message sent");
    let used = account(&browser).await;
    assert!(used["passkeys"][0]["last_used_at"].as_u64().is_some());
    assert_eq!(
        used["last_sign_in_at"].as_u64(),
        listed["last_sign_in_at"].as_u64().map(|t| t + 3600),
        "the passkey sign-in counts as a sign-in of the account"
    );

    // The recorder is shared by every test in this process: at least this sign-in counted.
    let metrics = app.get("/metrics").await.body;
    for name in [
        "passwordless_passkey_sign_ins_total",
        "passwordless_messages_avoided_total",
    ] {
        let value = metrics
            .lines()
            .find_map(|line| line.strip_prefix(name)?.trim().parse::<f64>().ok());
        assert!(value.is_some_and(|v| v >= 1.0), "{name} in {metrics}");
    }
}

#[tokio::test]
async fn an_unsafe_next_is_dropped() {
    let (app, mut authenticator) = app_with_passkey(&[], "+447400123702").await;
    let browser = app.other_browser();
    let credential = assertion(&browser, &mut authenticator).await;
    let signed = finish(&browser, &credential, Some("https://evil.example/")).await;
    assert_eq!(signed.body, "\"/\"");
}

#[tokio::test]
async fn without_a_domain_name_passkeys_are_off_and_the_phone_path_is_unchanged() {
    let app = spawn_app_with(&[("PUBLIC_URL", "http://127.0.0.1:3000")]).await;
    let status = app.call("login_status", &[]).await;
    let status: Value = serde_json::from_str(&status.body).expect("JSON");
    assert_eq!(status["passkey_rp_id"], Value::Null);
    let refused = app.call("passkey_sign_in_start", &[]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert!(
        refused.body.contains("PasskeysUnavailable"),
        "{}",
        refused.body
    );
    app.signed_in_browser("+447400123709").await;
}

#[tokio::test]
async fn the_login_page_without_javascript_shows_no_passkey_button() {
    let app = spawn_app_with(&[]).await;
    let page = app.get("/login").await.body;
    assert!(page.contains(r#"autocomplete="tel webauthn""#), "{page}");
    assert!(
        page.contains(r#"<div hidden class="passkey-sign-in">"#),
        "{page}"
    );
}

#[tokio::test]
async fn a_passkey_added_through_one_instance_signs_in_through_the_other() {
    let postgres = PostgresServer::start();
    let redis = RedisServer::start();
    let accounts = postgres.url();
    let sessions = redis.url();
    let settings = [
        ("ACCOUNT_STORE", accounts.as_str()),
        ("SESSION_STORE", sessions.as_str()),
    ];
    let (one, two) = tokio::join!(spawn_app_with(&settings), spawn_app_with(&settings));
    let phone_browser = one.signed_in_browser("+447400123710").await;
    let mut authenticator = SoftAuthenticator::new();
    add_passkey(&phone_browser, &mut authenticator).await;

    // The ceremony starts on one instance and finishes on the other (shared sessions).
    let browser = two.other_browser();
    let request = options(&browser, "passkey_sign_in_start").await;
    let credential = authenticator.sign_in(ORIGIN, &request).expect("signs");
    let on_one = TestApp {
        base: one.base.clone(),
        client: browser.client.clone(),
        clock: one.clock.clone(),
        emulator_base: one.emulator_base.clone(),
    };
    let signed = finish(&on_one, &credential, None).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    assert_eq!(
        signed_in_number(&browser).await.as_deref(),
        Some("+447400123710")
    );
}
