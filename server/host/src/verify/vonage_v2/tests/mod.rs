//! The Verify v2 client against a fake Vonage (wiremock on loopback): `start` here, `check`
//! and the control calls in [`check`] and [`control`], outcomes an operator must tell apart
//! from outages in [`outcomes`]. The login journeys (fresh and resumed starts, wrong and
//! right codes, resends, cancels, expiry, throttling, outages, a stalled start) run once per
//! client in the provider contract suite (`verify::contract`); these tests pin what its fakes
//! do not: the requests sent, unexpected answers, operator faults and redaction.

use super::*;
use crate::verify::test_support::{number, pin, refused_base_url, settings, DIGITS, KEY, SECRET};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::{basic_auth, body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod check;
mod control;
mod outcomes;

const ID: &str = "c11236f4-00bf-4b89-84ba-88b25df97315";

fn client(base_url: &str, timeout: Duration) -> VonageV2Client {
    VonageV2Client::new(settings(base_url, timeout)).expect("client builds")
}

async fn fake() -> (MockServer, VonageV2Client) {
    let server = MockServer::start().await;
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

async fn start_with_reply(reply: ResponseTemplate) -> Result<Started, StartFailure> {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path("/v2/verify"))
        .respond_with(reply)
        .mount(&server)
        .await;
    client.start(&start_request("Passwordless", None)).await
}

async fn check_with_reply(reply: ResponseTemplate) -> Result<(), CheckFailure> {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/verify/{ID}")))
        .respond_with(reply)
        .mount(&server)
        .await;
    client.check(&RequestId::new(ID), &pin("123456")).await
}

fn problem_reply(status: u16, title: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        json!({"type": "https://example.test/errors", "title": title, "detail": "details",
               "instance": "bf0ca0bf-927b-3b52-e254-c9d41b2b0d9b"})
        .to_string(),
        "application/problem+json",
    )
}

fn assert_unavailable<T: std::fmt::Debug>(result: Result<T, impl Into<Unavailable>>) {
    match result.map_err(Into::into) {
        Err(Unavailable(Some(detail))) => {
            assert!(!detail.contains(SECRET), "secret in detail: {detail}");
            assert!(!detail.contains("123456"), "code in detail: {detail}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

/// Lets one assertion helper cover both failure enums.
#[derive(Debug)]
struct Unavailable(Option<String>);

impl From<StartFailure> for Unavailable {
    fn from(failure: StartFailure) -> Self {
        match failure {
            StartFailure::Unavailable(detail) => Self(Some(detail)),
            _ => Self(None),
        }
    }
}

impl From<CheckFailure> for Unavailable {
    fn from(failure: CheckFailure) -> Self {
        match failure {
            CheckFailure::Unavailable(detail) => Self(Some(detail)),
            _ => Self(None),
        }
    }
}

impl From<ControlFailure> for Unavailable {
    fn from(failure: ControlFailure) -> Self {
        match failure {
            ControlFailure::Unavailable(detail) => Self(Some(detail)),
            _ => Self(None),
        }
    }
}

async fn next_channel_with_reply(reply: ResponseTemplate) -> Result<(), ControlFailure> {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/verify/{ID}/next_workflow")))
        .respond_with(reply)
        .mount(&server)
        .await;
    client.next_channel(&RequestId::new(ID)).await
}

async fn cancel_with_reply(reply: ResponseTemplate) -> Result<(), ControlFailure> {
    let (server, client) = fake().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v2/verify/{ID}")))
        .respond_with(reply)
        .mount(&server)
        .await;
    client.cancel(&RequestId::new(ID)).await
}

#[tokio::test]
async fn start_posts_json_workflow_with_basic_auth() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path("/v2/verify"))
        .and(basic_auth(KEY, SECRET))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "brand": "Passwordless",
            "code_length": 6,
            "locale": "en-gb",
            "channel_timeout": 150,
            "workflow": [{"channel": "sms", "to": DIGITS}, {"channel": "voice", "to": DIGITS}],
        })))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"request_id": ID})))
        .expect(1)
        .mount(&server)
        .await;

    let started = client
        .start(&start_request("Passwordless", Some("en-gb")))
        .await
        .expect("started");

    assert_eq!(started.request_id.expose(), ID);
    assert!(!started.resumed);
}

#[tokio::test]
async fn start_omits_unknown_locale_and_cuts_brand_to_16_chars() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"request_id": ID})))
        .mount(&server)
        .await;

    client
        .start(&start_request("A very long brand name indeed", None))
        .await
        .expect("started");

    let requests = server.received_requests().await.expect("recording is on");
    let body: Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
    assert_eq!(body["brand"], "A very long bran");
    assert!(body.get("locale").is_none(), "{body}");
}

#[tokio::test]
async fn start_conflict_without_request_id_is_unavailable() {
    assert_unavailable(start_with_reply(problem_reply(409, "Conflict")).await);
}

#[tokio::test]
async fn start_maps_invalid_params_and_throttling() {
    let invalid = start_with_reply(problem_reply(422, "Invalid params")).await;
    assert_eq!(invalid, Err(StartFailure::InvalidNumber));
    let throttled = start_with_reply(problem_reply(429, "Rate Limit Hit")).await;
    assert_eq!(throttled, Err(StartFailure::Throttled));
}

#[tokio::test]
async fn start_maps_other_statuses_to_unavailable() {
    for status in [400, 404, 500, 502, 503] {
        assert_unavailable(start_with_reply(problem_reply(status, "Nope")).await);
    }
}

#[tokio::test]
async fn start_with_garbage_body_is_unavailable() {
    let garbage = ResponseTemplate::new(202).set_body_string("<html>oops</html>");
    assert_unavailable(start_with_reply(garbage).await);
    let no_id = ResponseTemplate::new(202).set_body_json(json!({"request_id": ""}));
    assert_unavailable(start_with_reply(no_id).await);
}

#[tokio::test]
async fn start_with_connection_refused_is_unavailable() {
    let client = client(&refused_base_url().await, Duration::from_millis(500));
    assert_unavailable(client.start(&start_request("Passwordless", None)).await);
}

#[test]
fn name_and_debug() {
    let client = client("http://127.0.0.1:1", Duration::from_secs(1));
    assert_eq!(client.name(), "vonage");
    let printed = format!("{client:?}");
    assert!(!printed.contains(SECRET), "{printed}");
}
