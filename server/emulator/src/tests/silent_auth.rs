//! Verify v2 silent authentication over raw HTTP: the start's `check_url`, 409 no-code while
//! the device has not opened it, success (redirect fragment or JSON), failure (the next
//! channel at once), single use, and the channel timeout moving past it.

use super::support::*;
use crate::{DeliveryCause, EmulatorConfig, Fault, FaultSetting};
use app_clock::ManualClock;
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

const REDIRECT: &str = "https://app.example.com/silent/done";

/// `silent_auth` (with `redirect_url` if given) then SMS, 60 s each.
fn silent_then_sms(redirect_url: Option<&str>) -> Value {
    let mut silent = json!({"channel": "silent_auth", "to": TO, "sandbox": true});
    if let Some(url) = redirect_url {
        silent["redirect_url"] = json!(url);
    }
    json!({"brand": "Passwordless", "channel_timeout": 60, "workflow": [
        silent, {"channel": "sms", "to": TO},
    ]})
}

/// Starts; answers the request id and its `check_url`.
async fn start(base: &str, body: &Value) -> (String, String) {
    let (status, _, started) = v2_post(base, "/v2/verify", AUTH, body).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["request_id"]
        .as_str()
        .expect("request_id")
        .to_owned();
    let url = started["check_url"].as_str().expect("check_url").to_owned();
    (id, url)
}

/// The device's GET, redirects not followed: status, `Location` and JSON body.
async fn open(url: &str) -> (StatusCode, Option<String>, Value) {
    let client = Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client");
    let response = client.get(url).send().await.expect("GET check_url");
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    (
        status,
        location,
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn check(base: &str, id: &str, code: &str) -> (StatusCode, String, Value) {
    v2_post(
        base,
        &format!("/v2/verify/{id}"),
        AUTH,
        &json!({"code": code}),
    )
    .await
}

#[tokio::test]
async fn success_redirects_with_the_code_in_the_fragment_and_the_code_completes_once() {
    let (emulator, base) = serve().await;
    let (id, url) = start(&base, &silent_then_sms(Some(REDIRECT))).await;
    let token = url
        .strip_prefix(&format!("{base}/v2/verify/{id}/silent-auth/"))
        .unwrap_or_else(|| panic!("{url} is on the emulator"));
    assert_eq!(token.len(), 32);
    assert!(
        emulator.messages().is_empty(),
        "nothing sent while waiting for the device"
    );

    let (status, content_type, conflict) = check(&base, &id, "1234").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_problem(&content_type, &conflict, "Conflict");
    assert!(
        conflict["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("#no-code")),
        "{conflict}"
    );

    let (status, location, _) = open(&url).await;
    assert_eq!(status, StatusCode::FOUND);
    let entry = emulator.messages()[0].clone();
    assert_eq!(
        (entry.channel.as_str(), entry.cause),
        ("silent_auth", DeliveryCause::CheckUrl)
    );
    let want = format!("{REDIRECT}#request_id={id}&code={}", entry.code);
    assert_eq!(location.as_deref(), Some(want.as_str()));

    let (status, location, replay) = open(&url).await;
    assert_eq!(
        (status, location),
        (StatusCode::CONFLICT, None),
        "single use: {replay}"
    );
    let (status, _, done) = check(&base, &id, &entry.code).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(done, json!({"request_id": id, "status": "completed"}));
    assert_eq!(
        check(&base, &id, &entry.code).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        open(&url).await.0,
        StatusCode::NOT_FOUND,
        "the request is gone"
    );
    assert_eq!(emulator.messages().len(), 1, "no SMS ever");
}

#[tokio::test]
async fn success_without_redirect_url_answers_json_faults_aside_and_nothing_follows() {
    let clock = ManualClock::new();
    let (emulator, base) = serve_with(Arc::new(clock.clone())).await;
    let (id, url) = start(&base, &silent_then_sms(None)).await;
    clock.advance(Duration::from_secs(30));
    let outage = FaultSetting {
        fault: Fault::Status { status: 503 },
        ..FaultSetting::default()
    };
    emulator.set_fault(outage).expect("a valid fault");
    let (status, location, body) = open(&url).await;
    emulator
        .set_fault(FaultSetting::default())
        .expect("no fault");
    assert_eq!((status, location), (StatusCode::OK, None));
    assert_eq!(body["request_id"], id);
    let code = body["code"].as_str().expect("code").to_owned();
    assert_eq!(emulator.messages()[0].code, code);
    clock.advance(Duration::from_secs(59));
    assert_eq!(
        emulator.messages().len(),
        1,
        "no SMS once the device has the code"
    );
    assert_eq!(check(&base, &id, &code).await.0, StatusCode::OK);
}

#[tokio::test]
async fn failure_by_configuration_sends_the_next_channel_at_once_and_redirects_with_an_error() {
    let config = EmulatorConfig {
        silent_auth_fails: vec![TO.to_owned()],
        ..EmulatorConfig::default()
    };
    let (emulator, base) = serve_config(config, Arc::new(app_clock::SystemClock)).await;
    let (id, url) = start(&base, &silent_then_sms(Some(REDIRECT))).await;
    let (status, location, _) = open(&url).await;
    assert_eq!(status, StatusCode::FOUND);
    let want = format!("{REDIRECT}#error=silent_auth_failed&request_id={id}");
    assert_eq!(location.as_deref(), Some(want.as_str()));
    let sms = emulator.messages()[0].clone();
    assert_eq!(
        (sms.channel.as_str(), sms.cause),
        ("sms", DeliveryCause::Fallback)
    );
    assert_eq!(open(&url).await.0, StatusCode::CONFLICT, "single use");
    assert_eq!(check(&base, &id, &sms.code).await.0, StatusCode::OK);
}

#[tokio::test]
async fn failure_by_the_switch_answers_a_problem_without_redirect_url() {
    let (emulator, base) = serve().await;
    let switch = json!({"number": TO, "silent_auth": false});
    let response = Client::new()
        .post(format!("{base}/dev/reachability"))
        .json(&switch)
        .send()
        .await
        .expect("POST /dev/reachability");
    assert_eq!(response.status(), StatusCode::OK);
    let (id, url) = start(&base, &silent_then_sms(None)).await;
    let (status, _, problem) = open(&url).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(
        (problem["title"].as_str(), problem["request_id"].as_str()),
        (Some("Silent Authentication Failed"), Some(id.as_str()))
    );
    assert_eq!(emulator.messages()[0].channel, "sms");
}

#[tokio::test]
async fn the_channel_timeout_moves_past_an_unopened_check_url() {
    let clock = ManualClock::new();
    let (emulator, base) = serve_with(Arc::new(clock.clone())).await;
    let (id, url) = start(&base, &silent_then_sms(Some(REDIRECT))).await;
    clock.advance(Duration::from_secs(60));
    let sms = emulator.messages()[0].clone();
    assert_eq!(
        (sms.channel.as_str(), sms.cause),
        ("sms", DeliveryCause::Auto)
    );
    assert_eq!(
        open(&url).await.0,
        StatusCode::CONFLICT,
        "the silent step is over"
    );
    assert_eq!(check(&base, &id, &sms.code).await.0, StatusCode::OK);
}

#[tokio::test]
async fn next_workflow_skips_silent_auth_and_wrong_urls_are_not_found() {
    let (emulator, base) = serve().await;
    let (id, url) = start(&base, &silent_then_sms(None)).await;
    assert_eq!(
        open(&format!("{url}0")).await.0,
        StatusCode::NOT_FOUND,
        "wrong token"
    );
    let unknown = url.replace(&id, "c11236f4-00bf-4b89-84ba-88b25df97315");
    assert_eq!(
        open(&unknown).await.0,
        StatusCode::NOT_FOUND,
        "unknown request"
    );
    assert_eq!(next_workflow(&base, &id, true).await.0, StatusCode::OK);
    assert_eq!(emulator.messages()[0].cause, DeliveryCause::Next);
    assert_eq!(open(&url).await.0, StatusCode::CONFLICT);
}
