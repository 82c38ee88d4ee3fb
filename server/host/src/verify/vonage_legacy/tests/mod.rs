//! The Verify v1 client against a fake Vonage (wiremock on loopback): `start` here, `check`
//! and the control calls in [`check`] and [`control`], outcomes an operator must tell apart
//! from outages in [`outcomes`]. The login journeys (fresh and resumed starts, wrong and
//! right codes, resends, cancels, expiry, throttling, outages, a stalled upstream) run once
//! per client in the provider contract suite (`verify::contract`); these tests pin what its
//! fakes do not: the forms sent, unexpected answers, operator faults and redaction.

use super::*;
use crate::verify::test_support::{number, pin, refused_base_url, settings, DIGITS, KEY, SECRET};
use serde_json::json;
use std::collections::BTreeMap;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod check;
mod control;
mod outcomes;

const ID: &str = "abcdef0123456789abcdef0123456789";

fn client(base_url: &str, timeout: Duration) -> VonageLegacyClient {
    VonageLegacyClient::new(settings(base_url, timeout)).expect("client builds")
}

async fn fake(route: &str, reply: ResponseTemplate) -> (MockServer, VonageLegacyClient) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(reply)
        .mount(&server)
        .await;
    let client = client(&server.uri(), Duration::from_secs(5));
    (server, client)
}

fn start_request(brand: &str, locale: Option<&str>) -> StartVerification {
    StartVerification {
        number: number(),
        brand: brand.to_owned(),
        locale: locale.map(str::to_owned),
        fallback_locales: Vec::new(),
        channel: app_core::auth::Channel::Sms,
        silent_return: None,
    }
}

fn ok_json(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

async fn start_with(reply: ResponseTemplate) -> Result<Started, StartFailure> {
    let (_server, client) = fake("/verify/json", reply).await;
    client.start(&start_request("Passwordless", None)).await
}

async fn check_with(reply: ResponseTemplate) -> Result<(), CheckFailure> {
    let (_server, client) = fake("/verify/check/json", reply).await;
    client.check(&RequestId::new(ID), &pin("123456")).await
}

/// The form fields of the only request the fake received.
async fn sent_form(server: &MockServer) -> BTreeMap<String, String> {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    url::form_urlencoded::parse(&requests[0].body)
        .into_owned()
        .collect()
}

fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn expect_unavailable_start(result: Result<Started, StartFailure>) -> String {
    match result {
        Err(StartFailure::Unavailable(detail)) => {
            assert!(!detail.contains(SECRET), "secret in detail: {detail}");
            detail
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

fn expect_unavailable_check(result: Result<(), CheckFailure>) -> String {
    match result {
        Err(CheckFailure::Unavailable(detail)) => {
            assert!(!detail.contains(SECRET), "secret in detail: {detail}");
            assert!(!detail.contains("123456"), "code in detail: {detail}");
            assert!(!detail.contains(ID), "request id in detail: {detail}");
            detail
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn start_posts_form_with_credentials() {
    let (server, client) = fake(
        "/verify/json",
        ok_json(json!({"request_id": ID, "status": "0"})),
    )
    .await;

    let started = client
        .start(&start_request(
            "A brand longer than eighteen",
            Some("en-gb"),
        ))
        .await
        .expect("started");

    assert_eq!(started.request_id.expose(), ID);
    assert!(!started.resumed);
    let requests = server.received_requests().await.expect("recording is on");
    let content_type = requests[0]
        .headers
        .get("content-type")
        .map(|v| v.as_bytes());
    assert_eq!(
        content_type,
        Some(&b"application/x-www-form-urlencoded"[..])
    );
    assert_eq!(
        sent_form(&server).await,
        form(&[
            ("api_key", KEY),
            ("api_secret", SECRET),
            ("number", DIGITS),
            ("brand", "A brand longer tha"),
            ("code_length", "6"),
            ("workflow_id", "5"),
            ("pin_expiry", "300"),
            ("next_event_wait", "150"),
            ("lg", "en-gb"),
        ])
    );
}

#[tokio::test]
async fn start_omits_lg_when_locale_unknown() {
    let (server, client) = fake(
        "/verify/json",
        ok_json(json!({"request_id": ID, "status": "0"})),
    )
    .await;
    client
        .start(&start_request("Passwordless", None))
        .await
        .expect("started");
    assert!(!sent_form(&server).await.contains_key("lg"));
}

#[tokio::test]
async fn start_maps_each_documented_status() {
    for (status, expected) in [
        ("3", StartFailure::InvalidNumber),
        ("6", StartFailure::DestinationNotSupported),
        ("7", StartFailure::DestinationNotSupported),
        ("15", StartFailure::DestinationNotSupported),
        ("1", StartFailure::Throttled),
    ] {
        let text = "Invalid value for parameter number";
        let reply = ok_json(json!({"status": status, "error_text": text}));
        assert_eq!(start_with(reply).await, Err(expected), "status {status}");
    }
}

#[tokio::test]
async fn start_maps_other_statuses_to_unavailable_with_error_text() {
    for status in ["5", "20", "101"] {
        let reply = ok_json(json!({"status": status, "error_text": "Internal Error"}));
        let detail = expect_unavailable_start(start_with(reply).await);
        assert_eq!(detail, format!("status {status}: Internal Error"));
    }
    let no_id = ok_json(json!({"status": "10", "error_text": "Concurrent"}));
    expect_unavailable_start(start_with(no_id).await);
}

#[tokio::test]
async fn start_non_200_and_garbage_are_unavailable() {
    for status in [401, 404, 500, 503] {
        let reply = ResponseTemplate::new(status).set_body_json(json!({"status": "0"}));
        expect_unavailable_start(start_with(reply).await);
    }
    let garbage = ResponseTemplate::new(200).set_body_string("<xml>nope</xml>");
    expect_unavailable_start(start_with(garbage).await);
}

#[tokio::test]
async fn start_times_out_as_unavailable() {
    let reply = ok_json(json!({"request_id": ID, "status": "0"})).set_delay(Duration::from_secs(3));
    let (server, _) = fake("/verify/json", reply).await;
    let client = client(&server.uri(), Duration::from_millis(200));
    let detail = expect_unavailable_start(client.start(&start_request("Passwordless", None)).await);
    assert!(detail.contains("timeout"), "{detail}");
}

#[tokio::test]
async fn start_with_connection_refused_is_unavailable() {
    let client = client(&refused_base_url().await, Duration::from_millis(500));
    expect_unavailable_start(client.start(&start_request("Passwordless", None)).await);
}

/// Which control call a test makes.
#[derive(Clone, Copy, Debug)]
enum Call {
    Next,
    Cancel,
}

async fn control(client: &VonageLegacyClient, call: Call) -> Result<(), ControlFailure> {
    let id = RequestId::new(ID);
    match call {
        Call::Next => client.next_channel(&id).await,
        Call::Cancel => client.cancel(&id).await,
    }
}

async fn control_with(call: Call, reply: ResponseTemplate) -> Result<(), ControlFailure> {
    let (_server, client) = fake("/verify/control/json", reply).await;
    control(&client, call).await
}

fn expect_unavailable_control(result: Result<(), ControlFailure>) -> String {
    match result {
        Err(ControlFailure::Unavailable(detail)) => {
            assert!(!detail.contains(SECRET), "secret in detail: {detail}");
            assert!(!detail.contains(ID), "request id in detail: {detail}");
            detail
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[test]
fn name_and_debug() {
    let client = client("http://127.0.0.1:1", Duration::from_secs(1));
    assert_eq!(client.name(), "vonage-legacy");
    let printed = format!("{client:?}");
    assert!(!printed.contains(SECRET), "{printed}");
}
