//! Passkeys through the real server, with a software authenticator in place of the browser's:
//! the journeys (added after a phone sign-in, signing in without a message and with a new
//! session id, shared by two instances on PostgreSQL and Redis) and the attacks (replayed,
//! raced, cloned, removed, garbled, late, or from a stale sign-in; failures counted in the
//! per-address and per-account limits).

mod attacks;
mod factors;
mod journeys;
mod sessions;

use crate::helpers::{Answer, TestApp};
use crate::soft_authenticator::SoftAuthenticator;
use reqwest::StatusCode;
use serde_json::Value;

/// The origin the authenticator signs for: WebAuthn needs a host name, and the server
/// accepts `localhost` on any port in development.
pub(super) const ORIGIN: &str = "http://localhost:3000";

/// A server function answering a JSON string (the ceremony options).
pub(super) async fn options(browser: &TestApp, function: &str) -> String {
    let answer = browser.call(function, &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{function}: {}", answer.body);
    let text: Value = serde_json::from_str(&answer.body).expect("JSON");
    text.as_str().expect("options as a JSON string").to_owned()
}

/// Adds a passkey on `authenticator` to the account signed in in `browser`.
pub(super) async fn add_passkey(browser: &TestApp, authenticator: &mut SoftAuthenticator) -> Value {
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

/// A server with `settings` where `number` signed in by phone and added a passkey: the
/// server and the authenticator holding the passkey.
pub(super) async fn app_with_passkey(
    settings: &[(&str, &str)],
    number: &str,
) -> (TestApp, SoftAuthenticator) {
    let app = crate::helpers::spawn_app_with(settings).await;
    let phone_browser = app.signed_in_browser(number).await;
    let mut authenticator = SoftAuthenticator::new();
    add_passkey(&phone_browser, &mut authenticator).await;
    (app, authenticator)
}

/// The authenticator's answer to a new sign-in ceremony in `browser`.
pub(super) async fn assertion(browser: &TestApp, authenticator: &mut SoftAuthenticator) -> String {
    let request = options(browser, "passkey_sign_in_start").await;
    authenticator.sign_in(ORIGIN, &request).expect("signs")
}

pub(super) async fn finish(browser: &TestApp, credential: &str, next: Option<&str>) -> Answer {
    let mut fields = vec![("credential", credential)];
    if let Some(next) = next {
        fields.push(("next", next));
    }
    browser.call("passkey_sign_in_finish", &fields).await
}

pub(super) async fn account(browser: &TestApp) -> Value {
    let answer = browser.call("account", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("JSON")
}

pub(super) async fn signed_in_number(browser: &TestApp) -> Option<String> {
    account(browser).await["number"].as_str().map(str::to_owned)
}

/// Awaits every future (the test crate has no `futures` dependency).
pub(super) async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
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
