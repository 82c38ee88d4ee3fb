//! Vonage Verify v1 ("legacy") client, the API of the original tutorial:
//! `POST {base}/verify/json` to start, `POST {base}/verify/check/json` to check and
//! `POST {base}/verify/control/json` (`cmd=trigger_next_event` / `cmd=cancel`) to move to the
//! next channel or cancel, all form-encoded with `api_key` and `api_secret` in the body. Upstream answers HTTP 200 with a
//! string `status` ("0" = success) for business outcomes.

use super::{
    endpoint, excerpt, http_client, log_control_failure, send, truncate_chars, ClientBuildError,
    VonageSettings,
};
use app::auth::server::verify_port::{
    CheckFailure, ControlFailure, RequestId, StartFailure, StartVerification, Started,
    VerifyProvider,
};
use app::domain::Pin;
use async_trait::async_trait;
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde::Deserialize;
use url::Url;

/// Longest brand Verify v1 accepts.
const BRAND_MAX_CHARS: usize = 18;
/// Digits in the code we ask for (v1 allows 4 or 6).
const CODE_LENGTH: &str = "6";

/// A [`VerifyProvider`] for Vonage Verify v1 (name `vonage-legacy`).
///
/// Start (`number`, `brand` cut to 18 characters, `code_length=6`, optional `lg`):
/// status "0" → `Started { resumed: false }`; "10" with the live `request_id` →
/// `Started { resumed: true }`; "3" → `InvalidNumber`; "6", "7", "15", "29" →
/// `DestinationNotSupported`; "1" → `Throttled`; any other status → `Unavailable`.
///
/// Check (`request_id`, `code`): "0" → `Ok`; "16" and "3" → `WrongCode`; "17" →
/// `TooManyAttempts`; "6" → `NotFound`; "1" → `Throttled`; any other status → `Unavailable`.
///
/// Next channel and cancel (`request_id`, `cmd` = `trigger_next_event` / `cancel`): "0" →
/// `Ok`; "6" → `NotFound`; "1" → `Throttled`; "19" → `NothingLeft`, except for a cancel whose
/// `error_text` mentions the first 30 seconds, which is `TooSoon`; any other status →
/// `Unavailable` (detail without the request id).
///
/// A non-200 reply, a timeout, a refused connection or an unreadable body is `Unavailable`.
/// `Debug` does not print the API secret.
#[derive(Clone, Debug)]
pub struct VonageLegacyClient {
    http: reqwest::Client,
    settings: VonageSettings,
}

impl VonageLegacyClient {
    /// Builds the client; fails only on a base URL that is not http(s) or a TLS setup error.
    pub fn new(settings: VonageSettings) -> Result<Self, ClientBuildError> {
        let http = http_client(&settings)?;
        Ok(Self { http, settings })
    }

    /// Posts `fields` plus the credentials as a form to `{base}/{segments}` and reads the
    /// v1 reply envelope. `Err` is a log-ready detail.
    async fn call(&self, segments: &[&str], fields: &[(&str, &str)]) -> Result<Reply, String> {
        let url: Url = endpoint(&self.settings.base_url, segments)
            .ok_or_else(|| "invalid base URL".to_owned())?;
        let mut form = vec![
            ("api_key", self.settings.api_key.as_str()),
            ("api_secret", self.settings.api_secret.expose_secret()),
        ];
        form.extend_from_slice(fields);
        let (status, body) = send(self.http.post(url).form(&form)).await?;
        if status != StatusCode::OK {
            return Err(format!("HTTP {status}: {}", excerpt(&body)));
        }
        serde_json::from_slice(&body)
            .map_err(|_| format!("HTTP 200 with an unreadable body: {}", excerpt(&body)))
    }

    async fn try_start(&self, request: &StartVerification) -> Result<Started, StartFailure> {
        let brand = truncate_chars(&request.brand, BRAND_MAX_CHARS);
        let mut fields = vec![
            ("number", request.number.digits()),
            ("brand", brand.as_str()),
            ("code_length", CODE_LENGTH),
        ];
        if let Some(locale) = request.locale.as_deref() {
            fields.push(("lg", locale));
        }
        let reply = self
            .call(&["verify", "json"], &fields)
            .await
            .map_err(StartFailure::Unavailable)?;
        let resumed = match reply.status.as_str() {
            "0" => false,
            "10" => true,
            "3" => return Err(StartFailure::InvalidNumber),
            "6" | "7" | "15" | "29" => return Err(StartFailure::DestinationNotSupported),
            "1" => return Err(StartFailure::Throttled),
            _ => return Err(StartFailure::Unavailable(reply.describe(None))),
        };
        match reply.request_id {
            Some(id) if !id.is_empty() => Ok(Started {
                request_id: RequestId::new(id),
                resumed,
            }),
            _ => Err(StartFailure::Unavailable(format!(
                "status {} without a request_id",
                reply.status
            ))),
        }
    }

    async fn try_check(&self, request_id: &RequestId, code: &Pin) -> Result<(), CheckFailure> {
        let fields = [("request_id", request_id.expose()), ("code", code.expose())];
        let reply = self
            .call(&["verify", "check", "json"], &fields)
            .await
            .map_err(CheckFailure::Unavailable)?;
        match reply.status.as_str() {
            "0" => Ok(()),
            "16" | "3" => Err(CheckFailure::WrongCode),
            "17" => Err(CheckFailure::TooManyAttempts),
            "6" => Err(CheckFailure::NotFound),
            "1" => Err(CheckFailure::Throttled),
            _ => Err(CheckFailure::Unavailable(
                reply.describe(Some(request_id.expose())),
            )),
        }
    }

    /// `POST /verify/control/json` with `cmd`; both commands share the status mapping except
    /// for the two meanings of "19".
    async fn control(&self, request_id: &RequestId, cmd: Command) -> Result<(), ControlFailure> {
        let fields = [("request_id", request_id.expose()), ("cmd", cmd.as_str())];
        let reply = self
            .call(&["verify", "control", "json"], &fields)
            .await
            .map_err(ControlFailure::Unavailable)?;
        match reply.status.as_str() {
            "0" => Ok(()),
            "6" => Err(ControlFailure::NotFound),
            "1" => Err(ControlFailure::Throttled),
            "19" if cmd == Command::Cancel && reply.mentions_first_30_seconds() => {
                Err(ControlFailure::TooSoon)
            }
            "19" => Err(ControlFailure::NothingLeft),
            _ => Err(ControlFailure::Unavailable(
                reply.describe(Some(request_id.expose())),
            )),
        }
    }
}

/// The two `cmd` values of `/verify/control/json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Command {
    TriggerNextEvent,
    Cancel,
}

impl Command {
    fn as_str(self) -> &'static str {
        match self {
            Self::TriggerNextEvent => "trigger_next_event",
            Self::Cancel => "cancel",
        }
    }
}

#[async_trait]
impl VerifyProvider for VonageLegacyClient {
    async fn start(&self, request: &StartVerification) -> Result<Started, StartFailure> {
        let result = self.try_start(request).await;
        match &result {
            Err(StartFailure::Unavailable(detail)) => tracing::warn!(
                provider = self.name(),
                number = %request.number.masked(),
                %detail,
                "verify start failed upstream"
            ),
            Err(StartFailure::Throttled) => tracing::warn!(
                provider = self.name(),
                number = %request.number.masked(),
                "verify start throttled upstream"
            ),
            _ => {}
        }
        result
    }

    async fn check(&self, request_id: &RequestId, code: &Pin) -> Result<(), CheckFailure> {
        let result = self.try_check(request_id, code).await;
        match &result {
            Err(CheckFailure::Unavailable(detail)) => {
                tracing::warn!(provider = self.name(), %detail, "verify check failed upstream")
            }
            Err(CheckFailure::Throttled) => {
                tracing::warn!(provider = self.name(), "verify check throttled upstream")
            }
            _ => {}
        }
        result
    }

    async fn next_channel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        let result = self.control(request_id, Command::TriggerNextEvent).await;
        log_control_failure(self.name(), "next channel", &result);
        result
    }

    async fn cancel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        let result = self.control(request_id, Command::Cancel).await;
        log_control_failure(self.name(), "cancel", &result);
        result
    }

    fn name(&self) -> &'static str {
        "vonage-legacy"
    }
}

/// The v1 reply envelope shared by start, check and control; other fields are ignored.
#[derive(Deserialize)]
struct Reply {
    status: String,
    request_id: Option<String>,
    error_text: Option<String>,
}

impl Reply {
    /// `status <n>: <error_text>` for logs, with the request id (which error texts sometimes
    /// quote) blanked out.
    fn describe(&self, request_id: Option<&str>) -> String {
        let mut text = truncate_chars(self.error_text.as_deref().unwrap_or("-"), 200);
        if let Some(id) = request_id.filter(|id| !id.is_empty()) {
            text = text.replace(id, "<request id>");
        }
        format!("status {}: {text}", self.status)
    }

    /// Status "19" on a cancel means "too soon" when the text is about the first 30 seconds
    /// (`…can't be cancelled within the first 30 seconds.`) and "too late" otherwise.
    fn mentions_first_30_seconds(&self) -> bool {
        self.error_text
            .as_deref()
            .is_some_and(|text| text.to_ascii_lowercase().contains("30 seconds"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::test_support::{
        number, pin, refused_base_url, settings, DIGITS, KEY, SECRET,
    };
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
            ("29", StartFailure::DestinationNotSupported),
            ("1", StartFailure::Throttled),
        ] {
            let reply = ok_json(json!({"status": status, "error_text": "text"}));
            assert_eq!(start_with(reply).await, Err(expected), "status {status}");
        }
    }

    #[tokio::test]
    async fn start_maps_other_statuses_to_unavailable_with_error_text() {
        for status in ["2", "4", "5", "8", "9", "20", "101"] {
            let reply = ok_json(json!({"status": status, "error_text": "Bad credentials"}));
            let detail = expect_unavailable_start(start_with(reply).await);
            assert_eq!(detail, format!("status {status}: Bad credentials"));
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
        let reply =
            ok_json(json!({"request_id": ID, "status": "0"})).set_delay(Duration::from_secs(3));
        let (server, _) = fake("/verify/json", reply).await;
        let client = client(&server.uri(), Duration::from_millis(200));
        let detail =
            expect_unavailable_start(client.start(&start_request("Passwordless", None)).await);
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
            ("3", CheckFailure::WrongCode),
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
        let creds = ok_json(json!({"status": "4", "error_text": "Bad credentials"}));
        expect_unavailable_check(check_with(creds).await);
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
        let detail =
            expect_unavailable_check(client.check(&RequestId::new(ID), &pin("123456")).await);
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
            format!(
                "Verification request ['{ID}'] can't be cancelled within the first 30 seconds."
            ),
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
            for status in ["2", "3", "4", "5", "8", "9", "101"] {
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
}
