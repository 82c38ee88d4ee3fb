//! The contract's Twilio Verify v2 fake: a wiremock server answering each situation with
//! the verification and verification-check resources Twilio documents and its error body
//! `{code, message, more_info, status}` (20404, 60202, 60203, 20429, 20500). Passing here
//! proves `TwilioClient` reads the documented API.

use super::{last_field, Situation, Upstream, Vendor, CLIENT_TIMEOUT, STALL};
use crate::verify::test_support::{number, pin};
use crate::verify::{TwilioClient, TwilioSettings};
use app_core::auth::server::verify_port::VerifyProvider;
use app_core::domain::Pin;
use async_trait::async_trait;
use secrecy::SecretString;
use serde_json::{json, Value};
use url::Url;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCOUNT: &str = "ACcontract000000000000000000000000";
const TOKEN: &str = "contract-auth-token";
const SERVICE: &str = "VAcontract000000000000000000000000";
/// Our verification, another one (Twilio starting afresh), and the code the fake "sent".
const SID: &str = "VE0123456789abcdef0123456789abcdef";
const FRESH_SID: &str = "VEfedcba9876543210fedcba9876543210";
const CODE: &str = "271828";

/// `TwilioClient` in front of a documented-Twilio fake.
pub(super) struct TwilioFake {
    server: MockServer,
    provider: TwilioClient,
}

impl TwilioFake {
    pub(super) async fn new() -> Self {
        let server = MockServer::start().await;
        let base = Url::parse(&server.uri()).expect("fake URL");
        let settings = TwilioSettings::new(base, ACCOUNT, SecretString::from(TOKEN), SERVICE)
            .with_timeouts(CLIENT_TIMEOUT, CLIENT_TIMEOUT);
        let provider = TwilioClient::new(settings).expect("Twilio client");
        Self { server, provider }
    }

    async fn mount(&self, route: &str, reply: ResponseTemplate) {
        Mock::given(method("POST"))
            .and(path(format!("/v2/Services/{SERVICE}/{route}")))
            .respond_with(reply)
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

/// A verification (or verification check) resource as Twilio documents it.
fn resource(sid: &str, channel: &str, status: &str, sends: usize) -> Value {
    let attempt = json!({"time": "2026-12-02T08:00:00Z", "channel": channel,
                         "attempt_sid": "VL0123456789abcdef0123456789abcdef"});
    json!({
        "sid": sid, "service_sid": SERVICE, "account_sid": ACCOUNT, "to": number().e164(),
        "channel": channel, "status": status, "valid": status == "approved",
        "lookup": {}, "amount": null, "payee": null, "sna_attempts_error_codes": [],
        "send_code_attempts": vec![attempt; sends],
        "date_created": "2026-12-02T08:00:00Z", "date_updated": "2026-12-02T08:00:00Z",
        "url": format!("https://verify.twilio.com/v2/Services/{SERVICE}/Verifications/{sid}"),
    })
}

fn ok(http: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(http).set_body_json(body)
}

/// A Twilio error reply.
fn error(http: u16, code: u32, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(http).set_body_json(json!({
        "code": code, "message": message, "status": http,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
    }))
}

fn not_found(route: &str) -> ResponseTemplate {
    let message = format!("The requested resource /Services/{SERVICE}/{route} was not found");
    error(404, 20404, &message)
}

#[async_trait]
impl Upstream for TwilioFake {
    fn provider(&self) -> &dyn VerifyProvider {
        &self.provider
    }

    fn vendor(&self) -> Vendor {
        Vendor::Twilio
    }

    async fn arrange(&self, situation: Situation) {
        self.server.reset().await;
        let ours = format!("Verifications/{SID}");
        match situation {
            Situation::Fresh => {
                let body = resource(SID, "sms", "pending", 1);
                self.mount("Verifications", ok(201, body)).await;
            }
            Situation::Resumes => {
                // Twilio reuses the pending verification and sends its code again.
                let body = resource(SID, "sms", "pending", 2);
                self.mount("Verifications", ok(201, body)).await;
            }
            Situation::Accepts => {
                let body = resource(SID, "sms", "approved", 1);
                self.mount("VerificationCheck", ok(200, body)).await;
            }
            Situation::WrongCode => {
                let body = resource(SID, "sms", "pending", 1);
                self.mount("VerificationCheck", ok(200, body)).await;
            }
            Situation::Exhausted => {
                let reply = error(429, 60202, "Max check attempts reached");
                self.mount("VerificationCheck", reply).await;
            }
            Situation::Gone => {
                let check = not_found("VerificationCheck");
                self.mount("VerificationCheck", check).await;
                self.mount(&ours, not_found(&ours)).await;
                // A resend for the number makes Twilio start afresh with a new sid, which the
                // adapter cancels.
                let afresh = resource(FRESH_SID, "call", "pending", 1);
                self.mount("Verifications", ok(201, afresh)).await;
                let stray = resource(FRESH_SID, "call", "canceled", 1);
                let route = format!("Verifications/{FRESH_SID}");
                self.mount(&route, ok(200, stray)).await;
            }
            Situation::NextChannel => {
                let body = resource(SID, "call", "pending", 2);
                self.mount("Verifications", ok(201, body)).await;
            }
            Situation::NothingLeft => {
                let reply = error(429, 60203, "Max send attempts reached");
                self.mount("Verifications", reply).await;
            }
            // Twilio has no "too soon" rule: a cancel is accepted at any time.
            Situation::CancelTooSoon | Situation::Cancellable => {
                let body = resource(SID, "sms", "canceled", 1);
                self.mount(&ours, ok(200, body)).await;
            }
            Situation::Throttled => {
                let reply = error(429, 20429, "Too Many Requests");
                self.everywhere(reply).await;
            }
            Situation::Unavailable => {
                let reply = error(500, 20500, "An internal server error has occurred");
                Mock::given(any())
                    .and(path(format!("/v2/Services/{SERVICE}/Verifications")))
                    .respond_with(reply)
                    .with_priority(1)
                    .mount(&self.server)
                    .await;
                let gateway = ResponseTemplate::new(503).set_body_string("<html>down</html>");
                self.everywhere(gateway).await;
            }
            Situation::Stalled => {
                let late = ok(201, resource(SID, "sms", "pending", 1)).set_delay(STALL);
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
        last_field(
            &self.server,
            &format!("/v2/Services/{SERVICE}/Verifications"),
            "Locale",
        )
        .await
    }
}
