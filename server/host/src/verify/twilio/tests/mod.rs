//! The Twilio client against a fake Twilio (wiremock on loopback): `start` here, `check` and
//! the control calls in [`check`] and [`control`], the `Locale` sent in [`locale`]. The login
//! journeys, against a fake and against the emulator's Twilio API, run once per client in the
//! provider contract suite (`verify::contract`); these tests pin what its fakes do not: the
//! forms sent, undocumented answers, operator faults, `Retry-After` and redaction.

use super::*;
use crate::verify::test_support::{number, pin, refused_base_url};
use secrecy::SecretString;
use serde_json::{json, Value};
use std::time::Duration;
use url::Url;
use wiremock::matchers::{basic_auth, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod check;
mod control;
mod locale;

pub const ACCOUNT: &str = "ACtestaccountsid0000000000000000";
pub const TOKEN: &str = "twilio-auth-token-value";
pub const SERVICE: &str = "VAtestservicesid0000000000000000";
pub const SID: &str = "VE0123456789abcdef0123456789abcdef";
pub const TO: &str = "+447911123456";

pub fn verifications_path() -> String {
    format!("/v2/Services/{SERVICE}/Verifications")
}

pub fn client(base_url: &str, timeout: Duration) -> TwilioClient {
    let settings = TwilioSettings::new(
        Url::parse(base_url).expect("test base URL"),
        ACCOUNT,
        SecretString::from(TOKEN),
        SERVICE,
    )
    .with_timeouts(timeout, timeout);
    TwilioClient::new(settings).expect("client builds")
}

pub async fn fake() -> (MockServer, TwilioClient) {
    let server = MockServer::start().await;
    let client = client(&server.uri(), Duration::from_secs(5));
    (server, client)
}

/// A verification resource as Twilio documents it.
pub fn verification(sid: &str, channel: &str, status: &str) -> Value {
    json!({
        "sid": sid, "service_sid": SERVICE, "account_sid": ACCOUNT, "to": TO,
        "channel": channel, "status": status, "valid": status == "approved",
        "lookup": {}, "amount": null, "payee": null,
        "send_code_attempts": [{"time": "2026-12-02T07:00:00Z", "channel": channel,
                                "attempt_sid": "VL0123456789abcdef0123456789abcdef"}],
        "date_created": "2026-12-02T07:00:00Z", "date_updated": "2026-12-02T07:00:00Z",
        "url": format!("https://verify.twilio.com/v2/Services/{SERVICE}/Verifications/{sid}"),
    })
}

/// A Twilio error reply `{code, message, more_info, status}`.
pub fn error(http: u16, code: u32, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(http).set_body_json(json!({
        "code": code, "message": message, "status": http,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
    }))
}

/// The form fields of the `n`th request the fake received.
pub async fn form(server: &MockServer, n: usize) -> Vec<(String, String)> {
    let requests = server.received_requests().await.expect("recording is on");
    url::form_urlencoded::parse(&requests[n].body)
        .into_owned()
        .collect()
}

/// The detail of an `Unavailable` or operator fault, checked free of the token and the code.
pub fn clean(detail: &str) -> &str {
    assert!(!detail.contains(TOKEN), "token in detail: {detail}");
    assert!(
        !detail.contains("123456"),
        "code or number in detail: {detail}"
    );
    detail
}

fn request(locale: Option<&str>) -> StartVerification {
    StartVerification {
        number: number(),
        brand: "Passwordless".to_owned(),
        locale: locale.map(str::to_owned),
        fallback_locales: Vec::new(),
        channel: app_core::auth::Channel::Sms,
        silent_return: None,
    }
}

async fn start_with_reply(reply: ResponseTemplate) -> Result<Started, StartFailure> {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(verifications_path()))
        .respond_with(reply)
        .mount(&server)
        .await;
    client.start(&request(None)).await
}

#[tokio::test]
async fn start_posts_a_form_with_basic_auth_the_plus_number_and_twilio_locale() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(verifications_path()))
        .and(basic_auth(ACCOUNT, TOKEN))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(201).set_body_json(verification(SID, "sms", "pending")))
        .expect(1)
        .mount(&server)
        .await;

    let started = client
        .start(&request(Some("en-gb")))
        .await
        .expect("started");

    assert!(!started.resumed);
    assert_eq!(started.request_id.expose(), format!("{SID}|{TO}|en-GB"));
    let fields = form(&server, 0).await;
    for field in [("To", TO), ("Channel", "sms"), ("Locale", "en-GB")] {
        assert!(
            fields.contains(&(field.0.to_owned(), field.1.to_owned())),
            "{fields:?}"
        );
    }
}

#[tokio::test]
async fn start_without_locale_sends_none() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(verification(SID, "sms", "pending")))
        .mount(&server)
        .await;
    let started = client.start(&request(None)).await.expect("started");
    assert_eq!(started.request_id.expose(), format!("{SID}|{TO}"));
    assert!(form(&server, 0).await.iter().all(|(k, _)| k != "Locale"));
}

#[tokio::test]
async fn start_maps_invalid_parameters_by_the_name_in_the_message() {
    let bad_to = start_with_reply(error(400, 60200, "Invalid parameter: To")).await;
    assert_eq!(bad_to, Err(StartFailure::InvalidNumber));
    match start_with_reply(error(400, 60200, "Invalid parameter: Locale")).await {
        Err(StartFailure::OperatorFault(OperatorFault::InvalidRequest, detail)) => {
            assert!(clean(&detail).contains("Locale"), "{detail}")
        }
        other => panic!("expected an operator fault, got {other:?}"),
    }
}

#[tokio::test]
async fn start_maps_send_limits_and_throttling_to_throttled() {
    for reply in [
        error(429, 60203, "Max send attempts reached"),
        error(429, 60212, "Too many concurrent requests for phone number"),
        error(429, 20429, "Too Many Requests"),
        ResponseTemplate::new(429),
    ] {
        assert_eq!(start_with_reply(reply).await, Err(StartFailure::Throttled));
    }
}

#[tokio::test]
async fn start_honours_retry_after_on_429() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .respond_with(error(429, 20429, "Too Many Requests").insert_header("retry-after", "40"))
        .mount(&server)
        .await;
    assert_eq!(client.throttled_for_secs(), None);
    assert_eq!(
        client.start(&request(None)).await,
        Err(StartFailure::Throttled)
    );
    assert!(matches!(client.throttled_for_secs(), Some(39 | 40)));
}

#[tokio::test]
async fn start_maps_destination_refusals() {
    for (http, code) in [(400, 60205), (403, 60410), (403, 60605), (400, 21408)] {
        let result = start_with_reply(error(http, code, "Not deliverable")).await;
        assert_eq!(result, Err(StartFailure::DestinationNotSupported), "{code}");
    }
}

#[tokio::test]
async fn start_maps_operator_faults() {
    for (reply, kind) in [
        (
            error(401, 20003, "Authenticate"),
            OperatorFault::Credentials,
        ),
        (ResponseTemplate::new(401), OperatorFault::Credentials),
        (
            error(401, 20005, "Account not active"),
            OperatorFault::Account,
        ),
        (
            error(403, 20008, "Test credentials"),
            OperatorFault::Account,
        ),
        (ResponseTemplate::new(403), OperatorFault::Account),
        (
            error(404, 20404, "Service not found"),
            OperatorFault::InvalidRequest,
        ),
    ] {
        match start_with_reply(reply).await {
            Err(StartFailure::OperatorFault(found, detail)) => {
                assert_eq!(found, kind);
                clean(&detail);
            }
            other => panic!("expected {kind}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn start_maps_5xx_and_garbage_to_unavailable() {
    for reply in [
        error(500, 20500, "Internal Server Error"),
        ResponseTemplate::new(503).set_body_string("<html>down</html>"),
        ResponseTemplate::new(201).set_body_string("not json"),
        ResponseTemplate::new(201).set_body_json(json!({"sid": ""})),
        error(400, 21211, "Something else"),
    ] {
        match start_with_reply(reply).await {
            Err(StartFailure::Unavailable(detail)) => {
                clean(&detail);
            }
            other => panic!("expected Unavailable, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn start_times_out_or_is_refused_as_unavailable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let slow = client(&server.uri(), Duration::from_millis(200));
    match slow.start(&request(None)).await {
        Err(StartFailure::Unavailable(detail)) => assert!(detail.contains("timeout"), "{detail}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    let refused = client(&refused_base_url().await, Duration::from_millis(500));
    let result = refused.start(&request(None)).await;
    assert!(
        matches!(result, Err(StartFailure::Unavailable(_))),
        "{result:?}"
    );
}
