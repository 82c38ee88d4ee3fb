//! The contract's Vonage Verify v1 fake: a wiremock server answering each situation as v1
//! documents it, HTTP 200 with a string `status` and its `error_text` ("16", "17", "6", "19"
//! in both its meanings, "1", "5"), and the success bodies of start, check and control.
//! Passing here proves `VonageLegacyClient` reads the documented API.

use super::{last_field, Situation, Upstream, Vendor, CLIENT_TIMEOUT, STALL};
use crate::verify::test_support::{pin, settings};
use crate::verify::VonageLegacyClient;
use app_core::auth::server::verify_port::VerifyProvider;
use app_core::domain::Pin;
use async_trait::async_trait;
use serde_json::{json, Value};
use wiremock::matchers::{any, body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A v1 request id (32 hex digits) and the code the fake "sent".
const ID: &str = "abcdef0123456789abcdef0123456789";
const CODE: &str = "271828";

const START: &str = "/verify/json";
const CHECK: &str = "/verify/check/json";
const CONTROL: &str = "/verify/control/json";

/// `VonageLegacyClient` in front of a documented-v1 fake.
pub(super) struct VonageV1Fake {
    server: MockServer,
    provider: VonageLegacyClient,
}

impl VonageV1Fake {
    pub(super) async fn new() -> Self {
        let server = MockServer::start().await;
        let provider =
            VonageLegacyClient::new(settings(&server.uri(), CLIENT_TIMEOUT)).expect("v1 client");
        Self { server, provider }
    }

    /// `route` (with `cmd=<cmd>` in the form, when given) answers `body` with HTTP 200.
    async fn answer(&self, route: &str, cmd: Option<&str>, body: Value) {
        let mut mock = Mock::given(method("POST")).and(path(route));
        if let Some(cmd) = cmd {
            mock = mock.and(body_string_contains(format!("cmd={cmd}")));
        }
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&self.server)
            .await;
    }

    /// Every route answers `reply`.
    async fn everywhere(&self, reply: ResponseTemplate) {
        Mock::given(any())
            .respond_with(reply)
            .mount(&self.server)
            .await;
    }
}

/// A v1 refusal as documented; check answers repeat the `request_id`.
fn refusal(status: &str, error_text: &str) -> Value {
    json!({"request_id": ID, "status": status, "error_text": error_text})
}

#[async_trait]
impl Upstream for VonageV1Fake {
    fn provider(&self) -> &dyn VerifyProvider {
        &self.provider
    }

    fn vendor(&self) -> Vendor {
        Vendor::VonageV1
    }

    async fn arrange(&self, situation: Situation) {
        self.server.reset().await;
        match situation {
            Situation::Fresh => {
                let body = json!({"request_id": ID, "status": "0"});
                self.answer(START, None, body).await;
            }
            Situation::Resumes => {
                let text = "Concurrent verifications to the same number are not allowed";
                self.answer(START, None, refusal("10", text)).await;
            }
            Situation::Accepts => {
                let body = json!({
                    "request_id": ID, "event_id": "0A00000012345678", "status": "0",
                    "price": "0.10000000", "currency": "EUR",
                    "estimated_price_messages_sent": "0.03330000",
                });
                self.answer(CHECK, None, body).await;
            }
            Situation::WrongCode => {
                let text = "The code provided does not match the expected value";
                self.answer(CHECK, None, refusal("16", text)).await;
            }
            Situation::Exhausted => {
                let text = "The wrong code was provided too many times. Request terminated";
                self.answer(CHECK, None, refusal("17", text)).await;
            }
            Situation::Gone => {
                let check = format!(
                    "The Vonage platform was unable to process this message for the following \
                     reason: Request '{ID}' was not found or it has been verified already."
                );
                self.answer(CHECK, None, refusal("6", &check)).await;
                let control =
                    format!("The requestId '{ID}' does not exist or its no longer active.");
                let body = json!({"status": "6", "error_text": control});
                self.answer(CONTROL, None, body).await;
            }
            Situation::NextChannel => {
                let body = json!({"status": "0", "command": "trigger_next_event"});
                self.answer(CONTROL, Some("trigger_next_event"), body).await;
            }
            Situation::NothingLeft => {
                let text = format!("No more events are left to execute for the request ['{ID}']");
                let body = json!({"status": "19", "error_text": text});
                self.answer(CONTROL, Some("trigger_next_event"), body).await;
            }
            Situation::CancelTooSoon => {
                let text = format!(
                    "Verification request ['{ID}'] can't be cancelled within the first 30 seconds."
                );
                let body = json!({"status": "19", "error_text": text});
                self.answer(CONTROL, Some("cancel"), body).await;
            }
            Situation::Cancellable => {
                let body = json!({"status": "0", "command": "cancel"});
                self.answer(CONTROL, Some("cancel"), body).await;
            }
            Situation::Throttled => {
                let body = json!({"status": "1", "error_text": "Throttled"});
                self.everywhere(ResponseTemplate::new(200).set_body_json(body))
                    .await;
            }
            Situation::Unavailable => {
                // Starts meet a gateway's 503; the rest Vonage's documented internal error.
                let gateway = ResponseTemplate::new(503).set_body_string("<html>down</html>");
                Mock::given(method("POST"))
                    .and(path(START))
                    .respond_with(gateway)
                    .with_priority(1)
                    .mount(&self.server)
                    .await;
                let body = json!({"status": "5", "error_text": "Internal Error"});
                self.everywhere(ResponseTemplate::new(200).set_body_json(body))
                    .await;
            }
            Situation::Stalled => {
                let late = ResponseTemplate::new(200)
                    .set_body_json(json!({"request_id": ID, "status": "0"}))
                    .set_delay(STALL);
                self.everywhere(late).await;
            }
        }
    }

    async fn code(&self) -> Pin {
        pin(CODE)
    }

    async fn expire(&self) {
        self.arrange(Situation::Gone).await;
    }

    async fn sent_locale(&self) -> Option<String> {
        last_field(&self.server, START, "lg").await
    }
}
