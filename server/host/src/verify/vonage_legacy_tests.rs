use super::*;
use crate::verify::test_support::{number, pin, refused_base_url, settings, DIGITS, KEY, SECRET};
use serde_json::json;
use std::collections::BTreeMap;
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

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
async fn start_status_10_resumes_the_live_request() {
    let reply = ok_json(json!({
        "request_id": ID, "status": "10",
        "error_text": "Concurrent verifications to the same number are not allowed",
    }));
    let started = start_with(reply).await.expect("resumed");
    assert_eq!(started.request_id.expose(), ID);
    assert!(started.resumed);
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

#[tokio::test]
async fn check_posts_form_with_request_id_and_code() {
    let reply = ok_json(json!({
        "request_id": ID, "event_id": "0A00000012345678", "status": "0",
        "price": "0.10000000", "currency": "EUR",
    }));
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/verify/check/json"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(reply)
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri(), Duration::from_secs(5));

    let result = client.check(&RequestId::new(ID), &pin("123456")).await;

    assert_eq!(result, Ok(()));
    assert_eq!(
        sent_form(&server).await,
        form(&[
            ("api_key", KEY),
            ("api_secret", SECRET),
            ("request_id", ID),
            ("code", "123456"),
        ])
    );
}

#[tokio::test]
async fn check_maps_each_documented_status() {
    for (status, expected) in [
        ("16", CheckFailure::WrongCode),
        ("17", CheckFailure::TooManyAttempts),
        ("6", CheckFailure::NotFound),
        ("1", CheckFailure::Throttled),
    ] {
        let reply = ok_json(json!({"request_id": ID, "status": status, "error_text": "x"}));
        assert_eq!(check_with(reply).await, Err(expected), "status {status}");
    }
}

#[tokio::test]
async fn check_other_statuses_are_unavailable_without_the_request_id() {
    let reply = ok_json(json!({
        "status": "5", "error_text": format!("Internal Error for '{ID}'"),
    }));
    let detail = expect_unavailable_check(check_with(reply).await);
    assert_eq!(detail, "status 5: Internal Error for '<request id>'");
}

#[tokio::test]
async fn check_non_200_and_garbage_are_unavailable() {
    let server_error = ResponseTemplate::new(500).set_body_string("boom");
    expect_unavailable_check(check_with(server_error).await);
    let garbage = ResponseTemplate::new(200).set_body_string("{\"status\": 0");
    expect_unavailable_check(check_with(garbage).await);
}

#[tokio::test]
async fn check_times_out_as_unavailable() {
    let reply = ok_json(json!({"status": "0"})).set_delay(Duration::from_secs(3));
    let (server, _) = fake("/verify/check/json", reply).await;
    let client = client(&server.uri(), Duration::from_millis(200));
    let detail = expect_unavailable_check(client.check(&RequestId::new(ID), &pin("123456")).await);
    assert!(detail.contains("timeout"), "{detail}");
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

#[tokio::test]
async fn control_posts_form_with_request_id_and_cmd() {
    for (call, cmd) in [(Call::Next, "trigger_next_event"), (Call::Cancel, "cancel")] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/verify/control/json"))
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .respond_with(ok_json(json!({"status": "0", "command": cmd})))
            .expect(1)
            .mount(&server)
            .await;
        let client = client(&server.uri(), Duration::from_secs(5));

        assert_eq!(control(&client, call).await, Ok(()), "{cmd}");
        assert_eq!(
            sent_form(&server).await,
            form(&[
                ("api_key", KEY),
                ("api_secret", SECRET),
                ("request_id", ID),
                ("cmd", cmd),
            ])
        );
    }
}

#[tokio::test]
async fn control_maps_shared_statuses() {
    for call in [Call::Next, Call::Cancel] {
        for (status, expected) in [
            ("6", ControlFailure::NotFound),
            ("1", ControlFailure::Throttled),
        ] {
            let reply = ok_json(json!({"status": status, "error_text": "x"}));
            let result = control_with(call, reply).await;
            assert_eq!(result, Err(expected), "{call:?} status {status}");
        }
    }
}

#[tokio::test]
async fn status_19_on_next_channel_is_nothing_left() {
    for text in [
        format!("No more events are left to execute for the request ['{ID}']"),
        // Whatever the text says, a refused trigger means no event is left.
        format!("Verification request ['{ID}'] can't be cancelled within the first 30 seconds."),
    ] {
        let reply = ok_json(json!({"status": "19", "error_text": text}));
        let result = control_with(Call::Next, reply).await;
        assert_eq!(result, Err(ControlFailure::NothingLeft), "{text}");
    }
}

#[tokio::test]
async fn status_19_on_cancel_is_too_soon_only_within_the_first_30_seconds() {
    let too_soon = ok_json(json!({"status": "19", "error_text": format!(
        "Verification request ['{ID}'] can't be cancelled within the first 30 seconds."
    )}));
    assert_eq!(
        control_with(Call::Cancel, too_soon).await,
        Err(ControlFailure::TooSoon)
    );
    let too_late = ok_json(json!({"status": "19", "error_text": format!(
        "Verification request ['{ID}'] can't be cancelled now. Too many attempts to \
         re-deliver have already been made."
    )}));
    assert_eq!(
        control_with(Call::Cancel, too_late).await,
        Err(ControlFailure::NothingLeft)
    );
    let no_text = ok_json(json!({"status": "19"}));
    assert_eq!(
        control_with(Call::Cancel, no_text).await,
        Err(ControlFailure::NothingLeft)
    );
}

#[tokio::test]
async fn control_other_statuses_are_unavailable_without_the_request_id() {
    for call in [Call::Next, Call::Cancel] {
        for status in ["3", "5", "101"] {
            let reply = ok_json(json!({
                "status": status, "error_text": format!("Trouble with '{ID}'"),
            }));
            let detail = expect_unavailable_control(control_with(call, reply).await);
            assert_eq!(
                detail,
                format!("status {status}: Trouble with '<request id>'")
            );
        }
    }
}

#[tokio::test]
async fn control_non_200_and_garbage_are_unavailable() {
    for call in [Call::Next, Call::Cancel] {
        let server_error = ResponseTemplate::new(500).set_body_string("boom");
        expect_unavailable_control(control_with(call, server_error).await);
        let not_found = ResponseTemplate::new(404).set_body_json(json!({"status": "0"}));
        expect_unavailable_control(control_with(call, not_found).await);
        let garbage = ResponseTemplate::new(200).set_body_string("<xml>nope</xml>");
        expect_unavailable_control(control_with(call, garbage).await);
    }
}

#[tokio::test]
async fn control_times_out_as_unavailable() {
    for call in [Call::Next, Call::Cancel] {
        let reply = ok_json(json!({"status": "0"})).set_delay(Duration::from_secs(3));
        let (server, _) = fake("/verify/control/json", reply).await;
        let client = client(&server.uri(), Duration::from_millis(200));
        let detail = expect_unavailable_control(control(&client, call).await);
        assert!(detail.contains("timeout"), "{detail}");
    }
}

#[tokio::test]
async fn control_with_connection_refused_is_unavailable() {
    let client = client(&refused_base_url().await, Duration::from_millis(500));
    for call in [Call::Next, Call::Cancel] {
        expect_unavailable_control(control(&client, call).await);
    }
}

#[test]
fn name_and_debug() {
    let client = client("http://127.0.0.1:1", Duration::from_secs(1));
    assert_eq!(client.name(), "vonage-legacy");
    let printed = format!("{client:?}");
    assert!(!printed.contains(SECRET), "{printed}");
}

#[path = "vonage_legacy_outcome_tests.rs"]
mod outcomes;
