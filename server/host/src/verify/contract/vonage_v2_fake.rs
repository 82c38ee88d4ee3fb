//! The contract's Vonage Verify v2 fake: a wiremock server answering each situation with
//! the bodies Vonage documents (202 `{request_id}`, 200 `{request_id, status: "completed"}`,
//! RFC 7807 `application/problem+json` problems for 400/404/409/410/429/500). Passing here
//! proves `VonageV2Client` reads the documented API, not just the emulator's rendering of it.

use super::{last_field, Situation, Upstream, Vendor, CLIENT_TIMEOUT, STALL};
use crate::verify::test_support::{pin, settings};
use crate::verify::VonageV2Client;
use app_core::auth::server::verify_port::VerifyProvider;
use app_core::domain::Pin;
use async_trait::async_trait;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A v2 request id (a UUID) and the code the fake "sent".
const ID: &str = "c11236f4-00bf-4b89-84ba-88b25df97315";
const CODE: &str = "271828";

/// `VonageV2Client` in front of a documented-v2 fake.
pub(super) struct VonageV2Fake {
    server: MockServer,
    provider: VonageV2Client,
}

impl VonageV2Fake {
    pub(super) async fn new() -> Self {
        let server = MockServer::start().await;
        let provider =
            VonageV2Client::new(settings(&server.uri(), CLIENT_TIMEOUT)).expect("v2 client");
        Self { server, provider }
    }

    async fn mount(&self, verb: &str, route: String, reply: ResponseTemplate) {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(reply)
            .mount(&self.server)
            .await;
    }

    /// Every route answers `reply`.
    async fn everywhere(&self, reply: ResponseTemplate) {
        Mock::given(wiremock::matchers::any())
            .respond_with(reply)
            .mount(&self.server)
            .await;
    }
}

fn request_path() -> String {
    format!("/v2/verify/{ID}")
}

fn next_path() -> String {
    format!("/v2/verify/{ID}/next_workflow")
}

/// The body of a documented v2 problem.
fn problem_body(slug: &str, title: &str, detail: &str) -> Value {
    json!({
        "type": format!("https://www.developer.vonage.com/api-errors/verify#{slug}"),
        "title": title,
        "detail": detail,
        "instance": "bf0ca0bf-927b-3b52-e254-c9d41b2b0d9b",
    })
}

/// A documented v2 problem.
fn problem(status: u16, slug: &str, title: &str, detail: &str) -> ResponseTemplate {
    let body = problem_body(slug, title, detail);
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/problem+json")
}

fn not_found() -> ResponseTemplate {
    let detail = format!("Request {ID} was not found or it has been verified already.");
    problem(404, "not-found", "Not Found", &detail)
}

#[async_trait]
impl Upstream for VonageV2Fake {
    fn provider(&self) -> &dyn VerifyProvider {
        &self.provider
    }

    fn vendor(&self) -> Vendor {
        Vendor::VonageV2
    }

    async fn arrange(&self, situation: Situation) {
        self.server.reset().await;
        match situation {
            Situation::Fresh => {
                let accepted = ResponseTemplate::new(202).set_body_json(json!({"request_id": ID}));
                self.mount("POST", "/v2/verify".into(), accepted).await;
            }
            Situation::Resumes => {
                let detail = "Concurrent verifications to the same number are not allowed";
                let mut body = problem_body("conflict", "Conflict", detail);
                body["request_id"] = json!(ID);
                let reply = ResponseTemplate::new(409)
                    .set_body_raw(body.to_string(), "application/problem+json");
                self.mount("POST", "/v2/verify".into(), reply).await;
            }
            Situation::Accepts => {
                let body = json!({"request_id": ID, "status": "completed"});
                let ok = ResponseTemplate::new(200).set_body_json(body);
                self.mount("POST", request_path(), ok).await;
            }
            Situation::WrongCode => {
                let detail = "The code you provided does not match the expected value.";
                let reply = problem(400, "invalid-code", "Invalid Code", detail);
                self.mount("POST", request_path(), reply).await;
            }
            Situation::Exhausted => {
                let detail =
                    "An incorrect code has been provided too many times. Workflow terminated.";
                let reply = problem(410, "expired", "Invalid Code", detail);
                self.mount("POST", request_path(), reply).await;
            }
            Situation::Gone => self.everywhere(not_found()).await,
            Situation::NextChannel => {
                self.mount("POST", next_path(), ResponseTemplate::new(200))
                    .await;
            }
            Situation::NothingLeft => {
                let detail = "There are no more events left to trigger.";
                let reply = problem(409, "no-events", "Conflict", detail);
                self.mount("POST", next_path(), reply).await;
            }
            // v2 has no "too soon" rule: a cancel is accepted at any time.
            Situation::CancelTooSoon | Situation::Cancellable => {
                self.mount("DELETE", request_path(), ResponseTemplate::new(204))
                    .await;
            }
            Situation::Throttled => {
                let detail = "Please wait, then retry your request";
                let reply = problem(429, "rate-limit", "Rate Limit Hit", detail);
                self.everywhere(reply).await;
            }
            Situation::Unavailable => {
                // Starts get the documented 500 problem, the rest a gateway's 503 page.
                let reply = problem(500, "internal-error", "Internal Error", "Internal Error");
                Mock::given(method("POST"))
                    .and(path("/v2/verify"))
                    .respond_with(reply)
                    .with_priority(1)
                    .mount(&self.server)
                    .await;
                let gateway = ResponseTemplate::new(503).set_body_string("<html>down</html>");
                self.everywhere(gateway).await;
            }
            Situation::Stalled => {
                let late = ResponseTemplate::new(202)
                    .set_body_json(json!({"request_id": ID}))
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
        last_field(&self.server, "/v2/verify", "locale").await
    }
}
