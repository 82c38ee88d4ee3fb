//! The contract's Vonage Verify v2 fake: a wiremock server answering each situation with
//! the bodies Vonage documents (202 `{request_id}`, 200 `{request_id, status: "completed"}`,
//! RFC 7807 `application/problem+json` problems for 400/404/409/410/429/500). Passing here
//! proves `VonageV2Client` reads the documented API, not just the emulator's rendering of it.
//! Every call must carry the client's credentials, HTTP Basic or, with an application, a
//! Bearer JWT whose signature and claims verify (Basic is then refused); anything else gets
//! the documented 401.

use super::{last_field, Situation, Upstream, Vendor, CLIENT_TIMEOUT, STALL};
use crate::verify::test_support::{
    application, application_claims, pin, settings, APP_ID, APP_PUBLIC_PEM, KEY, SECRET,
};
use crate::verify::VonageV2Client;
use app_core::auth::server::verify_port::VerifyProvider;
use app_core::domain::Pin;
use async_trait::async_trait;
use serde_json::{json, Value};
use wiremock::matchers::{basic_auth, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

/// A v2 request id (a UUID) and the code the fake "sent".
const ID: &str = "c11236f4-00bf-4b89-84ba-88b25df97315";
const CODE: &str = "271828";

/// `VonageV2Client` in front of a documented-v2 fake.
pub(super) struct VonageV2Fake {
    server: MockServer,
    provider: VonageV2Client,
    auth: Auth,
}

/// The credentials the fake accepts.
#[derive(Clone, Copy)]
enum Auth {
    /// HTTP Basic with the test key and secret.
    Basic,
    /// A Bearer JWT of the test application, signed with its key.
    Application,
}

impl VonageV2Fake {
    /// The client with the API key and secret.
    pub(super) async fn new() -> Self {
        let server = MockServer::start().await;
        let provider =
            VonageV2Client::new(settings(&server.uri(), CLIENT_TIMEOUT)).expect("v2 client");
        Self {
            server,
            provider,
            auth: Auth::Basic,
        }
    }

    /// The client authenticating as the test application (`VONAGE_APPLICATION_ID`).
    pub(super) async fn with_application() -> Self {
        let server = MockServer::start().await;
        let settings = settings(&server.uri(), CLIENT_TIMEOUT).with_application(application());
        let provider = VonageV2Client::new(settings).expect("v2 client");
        Self {
            server,
            provider,
            auth: Auth::Application,
        }
    }

    /// Answers 401 to every call without the expected credentials, before any other mock.
    async fn guard(&self) {
        let detail = "You did not provide correct credentials.";
        Mock::given(WrongCredentials(self.auth))
            .respond_with(problem(401, "unauthorized", "Unauthorized", detail))
            .with_priority(1)
            .mount(&self.server)
            .await;
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

/// Matches a request whose `Authorization` the fake does not accept.
struct WrongCredentials(Auth);

impl Match for WrongCredentials {
    fn matches(&self, request: &Request) -> bool {
        match self.0 {
            Auth::Basic => !basic_auth(KEY, SECRET).matches(request),
            Auth::Application => {
                let header = request.headers.get(http::header::AUTHORIZATION);
                let token = header
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.strip_prefix("Bearer "));
                let now = std::time::SystemTime::now();
                !token.is_some_and(|token| {
                    application_claims(token, APP_PUBLIC_PEM, APP_ID, now).is_ok()
                })
            }
        }
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
        self.guard().await;
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

/// The fake refuses what Vonage would: Basic when it expects the application's JWT, a JWT
/// of another application, and a JWT when it expects Basic.
#[tokio::test]
async fn the_fake_refuses_other_credentials() {
    use crate::verify::test_support::APP_PRIVATE_PEM;
    use crate::verify::VonageApplication;
    use app_core::auth::server::verify_port::{OperatorFault, StartFailure};

    let refused = |result: Result<_, StartFailure>| {
        matches!(
            result,
            Err(StartFailure::OperatorFault(OperatorFault::Credentials, _))
        )
    };
    let request = super::journeys::request_in("en-gb");
    let jwt = VonageV2Fake::with_application().await;
    jwt.arrange(Situation::Fresh).await;
    let basic = VonageV2Client::new(settings(&jwt.server.uri(), CLIENT_TIMEOUT)).expect("client");
    assert!(refused(basic.start(&request).await), "Basic refused");
    let other_id = "bbbbbbbb-bbbb-cccc-dddd-0123456789ab";
    let other = VonageApplication::from_pem(other_id, APP_PRIVATE_PEM.as_bytes()).expect("key");
    let settings_other = settings(&jwt.server.uri(), CLIENT_TIMEOUT).with_application(other);
    let other = VonageV2Client::new(settings_other).expect("client");
    assert!(
        refused(other.start(&request).await),
        "another application refused"
    );
    assert!(
        jwt.provider.start(&request).await.is_ok(),
        "its own JWT accepted"
    );

    let basic = VonageV2Fake::new().await;
    basic.arrange(Situation::Fresh).await;
    let settings_jwt =
        settings(&basic.server.uri(), CLIENT_TIMEOUT).with_application(application());
    let jwt = VonageV2Client::new(settings_jwt).expect("client");
    assert!(
        refused(jwt.start(&request).await),
        "a JWT refused by a Basic fake"
    );
}
