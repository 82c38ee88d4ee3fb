//! Passkeys through the real server, with a software authenticator in place of the browser's:
//! added only in a fresh sign-in, signing in without a message and with a new session id,
//! refused when replayed, cloned, removed, garbled or too late, counted in the per-address
//! limit, and shared by two instances on PostgreSQL and Redis.

use crate::helpers::{spawn_app_with, TestApp};
use crate::scale_out_support::RedisServer;
use crate::soft_authenticator::SoftAuthenticator;
use host::postgres_for_tests::PostgresServer;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// The origin the authenticator signs for: WebAuthn needs a host name, and the server
/// accepts `localhost` on any port in development.
const ORIGIN: &str = "http://localhost:3000";

/// Signs `number` in by phone through a new browser; answers that browser.
async fn sign_in_by_phone(app: &TestApp, number: &str) -> TestApp {
    let browser = app.other_browser();
    let started = browser.call("start_login", &[("number", number)]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let code = browser.latest_code(number).await;
    let finished = browser.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
    browser
}

/// A server function answering a JSON string (the ceremony options).
async fn options(browser: &TestApp, function: &str) -> String {
    let answer = browser.call(function, &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{function}: {}", answer.body);
    let text: Value = serde_json::from_str(&answer.body).expect("JSON");
    text.as_str().expect("options as a JSON string").to_owned()
}

/// Adds a passkey on `authenticator` to the account signed in in `browser`.
async fn add_passkey(browser: &TestApp, authenticator: &mut SoftAuthenticator) -> Value {
    let creation = options(browser, "passkey_register_start").await;
    let credential = authenticator
        .register(ORIGIN, &creation)
        .expect("registers");
    let added = browser
        .call("passkey_register_finish", &[("credential", &credential)])
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    serde_json::from_str(&added.body).expect("JSON")
}

/// The authenticator's answer to a new sign-in ceremony in `browser`.
async fn assertion(browser: &TestApp, authenticator: &mut SoftAuthenticator) -> String {
    let request = options(browser, "passkey_sign_in_start").await;
    authenticator.sign_in(ORIGIN, &request).expect("signs")
}

async fn finish(browser: &TestApp, credential: &str, next: Option<&str>) -> crate::helpers::Answer {
    let mut fields = vec![("credential", credential)];
    if let Some(next) = next {
        fields.push(("next", next));
    }
    browser.call("passkey_sign_in_finish", &fields).await
}

async fn account(browser: &TestApp) -> Value {
    let answer = browser.call("account", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("JSON")
}

async fn signed_in_number(browser: &TestApp) -> Option<String> {
    account(browser).await["number"].as_str().map(str::to_owned)
}

#[tokio::test]
async fn a_passkey_added_after_a_phone_sign_in_signs_in_without_a_message() {
    let app = spawn_app_with(&[]).await;
    let number = "+447400123701";
    let phone_browser = sign_in_by_phone(&app, number).await;
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
    let app = spawn_app_with(&[]).await;
    let phone_browser = sign_in_by_phone(&app, "+447400123702").await;
    let mut authenticator = SoftAuthenticator::new();
    add_passkey(&phone_browser, &mut authenticator).await;
    let browser = app.other_browser();
    let credential = assertion(&browser, &mut authenticator).await;
    let signed = finish(&browser, &credential, Some("https://evil.example/")).await;
    assert_eq!(signed.body, "\"/\"");
}

#[tokio::test]
async fn passkeys_change_only_within_ten_minutes_of_a_sign_in() {
    let app = spawn_app_with(&[]).await;
    let signed_out = app.other_browser();
    let refused = signed_out.call("passkey_register_start", &[]).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    assert!(refused.body.contains("NotSignedIn"), "{}", refused.body);

    let browser = sign_in_by_phone(&app, "+447400123703").await;
    let mut authenticator = SoftAuthenticator::new();
    let added = add_passkey(&browser, &mut authenticator).await;
    app.clock.advance(Duration::from_secs(10 * 60 + 1));
    assert_eq!(account(&browser).await["passkey_changes_for_secs"], 0);
    let late = browser.call("passkey_register_start", &[]).await;
    assert_eq!(late.status, StatusCode::FORBIDDEN, "{}", late.body);
    assert!(late.body.contains("RecentSignInRequired"), "{}", late.body);
    let id = added["id"].as_str().expect("id");
    let remove = browser.call("passkey_remove", &[("id", id)]).await;
    assert_eq!(remove.status, StatusCode::FORBIDDEN, "{}", remove.body);
    assert_eq!(
        account(&browser).await["passkeys"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn a_ceremony_cannot_finish_twice_or_after_five_minutes() {
    let app = spawn_app_with(&[]).await;
    let phone_browser = sign_in_by_phone(&app, "+447400123704").await;
    let mut authenticator = SoftAuthenticator::new();
    add_passkey(&phone_browser, &mut authenticator).await;

    let browser = app.other_browser();
    let credential = assertion(&browser, &mut authenticator).await;
    assert_eq!(
        finish(&browser, &credential, None).await.status,
        StatusCode::OK
    );
    browser.call("logout", &[]).await;
    let replayed = finish(&browser, &credential, None).await;
    assert_eq!(replayed.status, StatusCode::CONFLICT, "{}", replayed.body);
    assert!(
        replayed.body.contains("PasskeyExpired"),
        "{}",
        replayed.body
    );
    // Against a new ceremony the old answer signs the wrong challenge.
    options(&browser, "passkey_sign_in_start").await;
    let replayed = finish(&browser, &credential, None).await;
    assert_eq!(
        replayed.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        replayed.body
    );
    assert!(
        replayed.body.contains("PasskeyRefused"),
        "{}",
        replayed.body
    );
    assert_eq!(signed_in_number(&browser).await, None);

    let late = assertion(&browser, &mut authenticator).await;
    app.clock.advance(Duration::from_secs(5 * 60));
    let expired = finish(&browser, &late, None).await;
    assert_eq!(expired.status, StatusCode::CONFLICT, "{}", expired.body);
    assert_eq!(signed_in_number(&browser).await, None);
}

#[tokio::test]
async fn parallel_finishes_of_one_ceremony_sign_in_once() {
    let app = spawn_app_with(&[]).await;
    let phone_browser = sign_in_by_phone(&app, "+447400123705").await;
    let mut authenticator = SoftAuthenticator::new();
    add_passkey(&phone_browser, &mut authenticator).await;
    let browser = app.other_browser();
    let credential = assertion(&browser, &mut authenticator).await;
    let attempts = (0..20).map(|_| {
        let client = browser.client.clone();
        let url = format!("{}/api/passkey_sign_in_finish", browser.base);
        let credential = credential.clone();
        async move {
            let request = client
                .post(url)
                .header(reqwest::header::ACCEPT, "application/json")
                .form(&[("credential", credential)]);
            request.send().await.map(|r| r.status()).ok()
        }
    });
    let answers = futures_join_all(attempts).await;
    let ok = answers
        .iter()
        .filter(|a| **a == Some(StatusCode::OK))
        .count();
    assert_eq!(ok, 1, "one ceremony, one sign-in");
}

#[tokio::test]
async fn a_cloned_authenticator_is_refused_by_its_counter() {
    let app = spawn_app_with(&[]).await;
    let phone_browser = sign_in_by_phone(&app, "+447400123706").await;
    let mut authenticator = SoftAuthenticator::new();
    add_passkey(&phone_browser, &mut authenticator).await;
    let mut clone = authenticator.clone();
    let browser = app.other_browser();
    for _ in 0..2 {
        let credential = assertion(&browser, &mut authenticator).await;
        assert_eq!(
            finish(&browser, &credential, None).await.status,
            StatusCode::OK
        );
        browser.call("logout", &[]).await;
    }
    // The copy's counter (1) is behind the stored one (2).
    let credential = assertion(&browser, &mut clone).await;
    let refused = finish(&browser, &credential, None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    assert!(refused.body.contains("PasskeyRefused"), "{}", refused.body);
    assert_eq!(signed_in_number(&browser).await, None);
}

#[tokio::test]
async fn a_removed_passkey_is_refused_and_garbage_is_a_clear_error() {
    let app = spawn_app_with(&[]).await;
    let phone_browser = sign_in_by_phone(&app, "+447400123707").await;
    let mut authenticator = SoftAuthenticator::new();
    let added = add_passkey(&phone_browser, &mut authenticator).await;
    let id = added["id"].as_str().expect("id");
    let someone_else = sign_in_by_phone(&app, "+447400123708").await;
    let not_theirs = someone_else.call("passkey_remove", &[("id", id)]).await;
    assert_eq!(
        not_theirs.status,
        StatusCode::NOT_FOUND,
        "{}",
        not_theirs.body
    );
    let removed = phone_browser.call("passkey_remove", &[("id", id)]).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(
        account(&phone_browser).await["passkeys"],
        Value::Array(vec![])
    );

    let browser = app.other_browser();
    let credential = assertion(&browser, &mut authenticator).await;
    let refused = finish(&browser, &credential, None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    assert!(refused.body.contains("PasskeyUnknown"), "{}", refused.body);

    options(&browser, "passkey_sign_in_start").await;
    let garbage = finish(&browser, "{not json", None).await;
    assert_eq!(garbage.status, StatusCode::UNAUTHORIZED, "{}", garbage.body);
    let without_ceremony = finish(&browser, "{}", None).await;
    assert_eq!(
        without_ceremony.status,
        StatusCode::CONFLICT,
        "{}",
        without_ceremony.body
    );
    let registration_garbage = phone_browser
        .call("passkey_register_finish", &[("credential", "[]")])
        .await;
    assert_eq!(
        registration_garbage.status,
        StatusCode::CONFLICT,
        "no ceremony started"
    );
    options(&phone_browser, "passkey_register_start").await;
    let registration_garbage = phone_browser
        .call("passkey_register_finish", &[("credential", "[]")])
        .await;
    assert_eq!(registration_garbage.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn failed_passkey_sign_ins_count_in_the_per_address_check_limit() {
    let app = spawn_app_with(&[("LIMIT_CHECKS_PER_IP", "3/5m")]).await;
    let browser = app.other_browser();
    for _ in 0..3 {
        options(&browser, "passkey_sign_in_start").await;
        let refused = finish(&browser, "{not json", None).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    }
    options(&browser, "passkey_sign_in_start").await;
    let limited = finish(&browser, "{not json", None).await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.body
    );
    assert!(limited.headers.contains_key("retry-after"));
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
    sign_in_by_phone(&app, "+447400123709").await;
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
    let phone_browser = sign_in_by_phone(&one, "+447400123710").await;
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

/// Awaits every future (the test crate has no `futures` dependency).
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F: Send + 'static,
    F::Output: Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for future in futures {
        set.spawn(future);
    }
    let mut outputs = Vec::new();
    while let Some(output) = set.join_next().await {
        outputs.push(output.expect("task"));
    }
    outputs
}
