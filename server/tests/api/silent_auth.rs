//! Silent authentication (`VONAGE_WORKFLOW=silent_auth,sms,voice` on the emulator): the code
//! step carries the provider's `check_url`; the mobile network's result, brought back to
//! `/login/silent`, signs in only this session's pending login, once; a failure, or a
//! browser without JavaScript, moves the login to its text message.

use crate::helpers::{new_client, spawn_app_with, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

const NUMBER: &str = "+447400123160";
const OTHER: &str = "+447400123161";
const SILENT: &[(&str, &str)] = &[("VONAGE_WORKFLOW", "silent_auth,sms,voice")];

async fn pending(app: &TestApp) -> Value {
    let status = app.call("login_status", &[]).await;
    let body: Value = serde_json::from_str(&status.body).expect("status is JSON");
    body["step"]["Pending"].clone()
}

/// Opens `check_url` as the phone would and answers the fragment of where it was sent back.
async fn open_check_url(check_url: &str) -> String {
    let answer = new_client()
        .get(check_url)
        .send()
        .await
        .expect("check_url reachable");
    assert_eq!(answer.status(), StatusCode::FOUND, "{check_url}");
    let location = answer.headers()["location"]
        .to_str()
        .expect("text")
        .to_owned();
    let (page, fragment) = location.split_once('#').expect("a fragment");
    assert!(page.ends_with("/login/silent"), "{location}");
    fragment.to_owned()
}

fn field<'a>(fragment: &'a str, name: &str) -> &'a str {
    fragment
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or_default()
}

async fn start_silently(app: &TestApp, number: &str) -> String {
    let start = app.call("start_login", &[("number", number)]).await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    let view = pending(app).await;
    let check_url = view["silent"]["check_url"]
        .as_str()
        .expect("silent step")
        .to_owned();
    assert!(
        app.messages()
            .await
            .iter()
            .all(|m| m["to"] != number || m["channel"] == "silent_auth"),
        "no code is sent while the mobile network is asked"
    );
    check_url
}

#[tokio::test]
async fn the_mobile_networks_result_signs_in_this_browser_once() {
    let app = spawn_app_with(SILENT).await;
    let check_url = start_silently(&app, NUMBER).await;
    let fragment = open_check_url(&check_url).await;
    let with_hash = format!("#{fragment}");
    let fields = [("fragment", with_hash.as_str())];
    let before = app.call("login_status", &[]).await;
    let result = app.call("silent_result", &fields).await;
    assert_eq!(result.status, StatusCode::OK, "{}", result.body);
    assert!(result.body.contains("SignedIn"), "{}", result.body);
    assert!(result.session_id().is_some(), "a new session id at sign-in");
    assert_ne!(result.session_id(), before.session_id());
    let status = app.call("login_status", &[]).await;
    assert!(status.body.contains("SignedIn"), "{}", status.body);

    let replay = app.call("silent_result", &fields).await;
    assert_ne!(replay.status, StatusCode::OK, "single use: {}", replay.body);
}

#[tokio::test]
async fn a_result_replayed_in_another_browser_is_refused() {
    let app = spawn_app_with(SILENT).await;
    let check_url = start_silently(&app, NUMBER).await;
    let fragment = open_check_url(&check_url).await;
    let fields = [("fragment", fragment.as_str())];
    // A browser with no login at all, and one waiting for a login of its own.
    let stranger = app.other_browser();
    let refused = stranger.call("silent_result", &fields).await;
    assert!(refused.body.contains("NoPendingLogin"), "{}", refused.body);
    let attacker = app.other_browser();
    start_silently(&attacker, OTHER).await;
    let refused = attacker.call("silent_result", &fields).await;
    assert!(refused.body.contains("BadRequest"), "{}", refused.body);
    let status = attacker.call("login_status", &[]).await;
    assert!(
        status.body.contains("Pending"),
        "the attacker is not signed in"
    );
    // The owner's login is untouched and still signs in with its own result.
    let result = app.call("silent_result", &fields).await;
    assert!(result.body.contains("SignedIn"), "{}", result.body);
}

#[tokio::test]
async fn when_the_network_cannot_confirm_a_text_follows_at_once() {
    let app = spawn_app_with(SILENT).await;
    let check_url = start_silently(&app, NUMBER).await;
    let switch = app
        .client
        .post(format!("{}/dev/reachability", app.base))
        .json(&serde_json::json!({"number": NUMBER, "silent_auth": false}))
        .send()
        .await
        .expect("switch reachable");
    assert_eq!(switch.status(), StatusCode::OK);
    let fragment = open_check_url(&check_url).await;
    assert!(!field(&fragment, "error").is_empty(), "{fragment}");
    let result = app
        .call("silent_result", &[("fragment", fragment.as_str())])
        .await;
    assert!(result.body.contains("CodeSent"), "{}", result.body);
    assert!(result.body.contains("couldn"), "says so: {}", result.body);
    let view = pending(&app).await;
    assert_eq!(view["silent"], Value::Null);
    assert_eq!(view["channel"], "Sms");
    let code = app.latest_code(NUMBER).await;
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{}", finish.body);
}

#[tokio::test]
async fn without_javascript_the_return_page_asks_for_a_code() {
    let app = spawn_app_with(SILENT).await;
    start_silently(&app, NUMBER).await;
    let page = app.get("/verify").await;
    assert!(
        page.body.contains("/silent-auth/"),
        "a plain link to check_url"
    );
    assert!(page.body.contains("Send me a code instead"));
    let landing = app.get("/login/silent").await;
    assert_eq!(landing.status, StatusCode::OK);
    assert!(
        landing.body.contains("Send me a code instead"),
        "{}",
        landing.body
    );
    let post = app.post_form("silent_result", &[]).await;
    assert_eq!(post.status, StatusCode::SEE_OTHER, "{}", post.body);
    assert_eq!(post.location(), "/verify");
    let code = app.latest_code(NUMBER).await;
    let page = app.get("/verify").await;
    assert!(page.body.contains("sent a code"), "the note: {}", page.body);
    let finish = app.post_form("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.location(), "/");
}

#[tokio::test]
async fn fifty_parallel_results_and_skips_sign_in_once_and_send_at_most_one_text() {
    let app = spawn_app_with(SILENT).await;
    let check_url = start_silently(&app, NUMBER).await;
    let fragment = open_check_url(&check_url).await;
    // 30 copies of the result and 20 "Send me a code instead" from the same cookie, at once.
    let answers = crate::endings::together(&app, 50, move |browser, i| {
        let fragment = fragment.clone();
        async move {
            match i % 5 {
                0 | 1 => browser.call("resend_code", &[]).await,
                _ => {
                    browser
                        .call("silent_result", &[("fragment", &fragment)])
                        .await
                }
            }
        }
    })
    .await;
    let signed_in = answers
        .iter()
        .filter(|a| a.body.contains("SignedIn"))
        .count();
    assert!(signed_in <= 1, "{signed_in} sign-ins");
    let texts = app
        .messages()
        .await
        .into_iter()
        .filter(|m| m["to"] == NUMBER);
    let texts = texts.filter(|m| m["channel"] == "sms").count();
    assert!(texts <= 1, "{texts} text messages");
    let status = app.call("login_status", &[]).await;
    assert!(
        signed_in == 1 || status.body.contains("Pending"),
        "either one result signed in, or the login goes on with its one text: {}",
        status.body
    );
}
