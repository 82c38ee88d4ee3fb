//! Vonage Verify v2 client: `POST {base}/v2/verify` to start, `POST {base}/v2/verify/{id}` to
//! check, `POST {base}/v2/verify/{id}/next_workflow` to move to the next channel and
//! `DELETE {base}/v2/verify/{id}` to cancel; JSON bodies, HTTP Basic auth with the API key and
//! secret.

use super::backoff::{send_noting, Backoff};
use super::{
    endpoint, excerpt, http_client, log_control_failure, truncate_chars, ClientBuildError,
    VonageSettings,
};
use app_core::auth::server::verify_port::{
    CheckFailure, ControlFailure, RequestId, StartFailure, StartVerification, Started,
    VerifyProvider,
};
use app_core::domain::Pin;
use async_trait::async_trait;
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use url::Url;

/// Longest brand Verify v2 accepts (the SDKs enforce 1–16 characters).
const BRAND_MAX_CHARS: usize = 16;
/// Digits in the code we ask for.
const CODE_LENGTH: u8 = 6;

/// A [`VerifyProvider`] for Vonage Verify v2 (name `vonage`).
///
/// Start asks for a 6-digit code sent by SMS, then by voice call if the SMS is not used:
/// 202 → `Started { resumed: false }`; 409 carrying the live `request_id` →
/// `Started { resumed: true }`; 422 → `InvalidNumber`; 429 → `Throttled`; anything else
/// (401/402/403, other 4xx, 5xx, timeouts, refused connections, unreadable bodies) →
/// `Unavailable`.
///
/// Check: 200 with `status: "completed"` → `Ok`; 400 → `WrongCode`; 404 → `NotFound`;
/// 410 → `TooManyAttempts`; 429 → `Throttled`; anything else (including 409, a step that takes
/// no code) → `Unavailable`.
///
/// Next channel (`POST …/{id}/next_workflow`, no body): 200/202/204 → `Ok`; 409 →
/// `NothingLeft`; 404 → `NotFound`; 429 → `Throttled`; anything else → `Unavailable`.
///
/// Cancel (`DELETE …/{id}`): 200/204 → `Ok`; 404 → `NotFound`; 429 → `Throttled`; anything
/// else → `Unavailable`. v2 has no "not within 30 seconds" rule, so never `TooSoon`.
///
/// `Debug` does not print the API secret.
#[derive(Clone, Debug)]
pub struct VonageV2Client {
    http: reqwest::Client,
    settings: VonageSettings,
    backoff: Backoff,
}

impl VonageV2Client {
    /// Builds the client; fails only on a base URL that is not http(s) or a TLS setup error.
    pub fn new(settings: VonageSettings) -> Result<Self, ClientBuildError> {
        let http = http_client(&settings)?;
        Ok(Self {
            http,
            settings,
            backoff: Backoff::default(),
        })
    }

    fn post(&self, url: Url) -> reqwest::RequestBuilder {
        self.authed(self.http.post(url))
    }

    fn authed(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request.basic_auth(
            &self.settings.api_key,
            Some(self.settings.api_secret.expose_secret()),
        )
    }

    fn url(&self, segments: &[&str]) -> Result<Url, String> {
        endpoint(&self.settings.base_url, segments).ok_or_else(|| "invalid base URL".to_owned())
    }

    async fn try_start(&self, request: &StartVerification) -> Result<Started, StartFailure> {
        let to = request.number.digits();
        let body = StartBody {
            brand: truncate_chars(&request.brand, BRAND_MAX_CHARS),
            code_length: CODE_LENGTH,
            locale: request.locale.as_deref(),
            workflow: [
                Step { channel: "sms", to },
                Step {
                    channel: "voice",
                    to,
                },
            ],
        };
        let url = self
            .url(&["v2", "verify"])
            .map_err(StartFailure::Unavailable)?;
        let (status, reply) = send_noting(self.post(url).json(&body), &self.backoff)
            .await
            .map_err(StartFailure::Unavailable)?;
        match status {
            StatusCode::ACCEPTED => match serde_json::from_slice::<Accepted>(&reply) {
                Ok(accepted) if !accepted.request_id.is_empty() => Ok(Started {
                    request_id: RequestId::new(accepted.request_id),
                    resumed: false,
                }),
                _ => Err(StartFailure::Unavailable(format!(
                    "HTTP 202 without a request_id: {}",
                    excerpt(&reply)
                ))),
            },
            StatusCode::CONFLICT => match problem(&reply).request_id {
                Some(id) if !id.is_empty() => Ok(Started {
                    request_id: RequestId::new(id),
                    resumed: true,
                }),
                _ => Err(StartFailure::Unavailable(describe(status, &reply))),
            },
            StatusCode::UNPROCESSABLE_ENTITY => {
                // Usually the number, but a bad locale or brand also lands here: keep the
                // upstream explanation for whoever reads the logs.
                tracing::info!(
                    provider = self.name(),
                    number = %request.number.masked(),
                    detail = %describe(status, &reply),
                    "verify start rejected the request as invalid"
                );
                Err(StartFailure::InvalidNumber)
            }
            StatusCode::TOO_MANY_REQUESTS => Err(StartFailure::Throttled),
            _ => Err(StartFailure::Unavailable(describe(status, &reply))),
        }
    }

    async fn try_check(&self, request_id: &RequestId, code: &Pin) -> Result<(), CheckFailure> {
        let url = self
            .url(&["v2", "verify", request_id.expose()])
            .map_err(CheckFailure::Unavailable)?;
        let body = CheckBody {
            code: code.expose(),
        };
        let (status, reply) = send_noting(self.post(url).json(&body), &self.backoff)
            .await
            .map_err(CheckFailure::Unavailable)?;
        match status {
            // Only an explicit "completed" proves the number: a 200 from a misconfigured proxy
            // or a half-written body must not sign anyone in.
            StatusCode::OK => match serde_json::from_slice::<Checked>(&reply) {
                Ok(checked) if checked.status == "completed" => Ok(()),
                _ => Err(CheckFailure::Unavailable(format!(
                    "HTTP 200 without status \"completed\": {}",
                    excerpt(&reply)
                ))),
            },
            StatusCode::BAD_REQUEST => Err(CheckFailure::WrongCode),
            StatusCode::NOT_FOUND => Err(CheckFailure::NotFound),
            StatusCode::GONE => Err(CheckFailure::TooManyAttempts),
            StatusCode::TOO_MANY_REQUESTS => Err(CheckFailure::Throttled),
            _ => Err(CheckFailure::Unavailable(describe(status, &reply))),
        }
    }

    async fn try_next_channel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        let url = self
            .url(&["v2", "verify", request_id.expose(), "next_workflow"])
            .map_err(ControlFailure::Unavailable)?;
        let (status, reply) = send_noting(self.post(url), &self.backoff)
            .await
            .map_err(ControlFailure::Unavailable)?;
        match status {
            StatusCode::OK | StatusCode::ACCEPTED | StatusCode::NO_CONTENT => Ok(()),
            StatusCode::CONFLICT => Err(ControlFailure::NothingLeft),
            StatusCode::NOT_FOUND => Err(ControlFailure::NotFound),
            StatusCode::TOO_MANY_REQUESTS => Err(ControlFailure::Throttled),
            _ => Err(ControlFailure::Unavailable(describe(status, &reply))),
        }
    }

    async fn try_cancel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        let url = self
            .url(&["v2", "verify", request_id.expose()])
            .map_err(ControlFailure::Unavailable)?;
        let (status, reply) = send_noting(self.authed(self.http.delete(url)), &self.backoff)
            .await
            .map_err(ControlFailure::Unavailable)?;
        match status {
            StatusCode::OK | StatusCode::NO_CONTENT => Ok(()),
            StatusCode::NOT_FOUND => Err(ControlFailure::NotFound),
            StatusCode::TOO_MANY_REQUESTS => Err(ControlFailure::Throttled),
            _ => Err(ControlFailure::Unavailable(describe(status, &reply))),
        }
    }
}

#[async_trait]
impl VerifyProvider for VonageV2Client {
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
        let result = self.try_next_channel(request_id).await;
        log_control_failure(self.name(), "next channel", &result);
        result
    }

    async fn cancel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        let result = self.try_cancel(request_id).await;
        log_control_failure(self.name(), "cancel", &result);
        result
    }

    fn throttled_for_secs(&self) -> Option<u64> {
        self.backoff.remaining_secs()
    }

    fn name(&self) -> &'static str {
        "vonage"
    }
}

#[derive(Serialize)]
struct StartBody<'a> {
    brand: String,
    code_length: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<&'a str>,
    workflow: [Step<'a>; 2],
}

#[derive(Serialize)]
struct Step<'a> {
    channel: &'static str,
    to: &'a str,
}

#[derive(Serialize)]
struct CheckBody<'a> {
    code: &'a str,
}

#[derive(Deserialize)]
struct Accepted {
    request_id: String,
}

#[derive(Deserialize)]
struct Checked {
    status: String,
}

/// The RFC 7807 fields we read from an error body; all optional, unknown fields ignored.
#[derive(Default, Deserialize)]
struct Problem {
    title: Option<String>,
    detail: Option<String>,
    request_id: Option<String>,
}

fn problem(body: &[u8]) -> Problem {
    serde_json::from_slice(body).unwrap_or_default()
}

/// `HTTP <status>: <title>: <detail>` from a problem body, or a raw excerpt, for logs.
fn describe(status: StatusCode, body: &[u8]) -> String {
    let problem = problem(body);
    match (problem.title, problem.detail) {
        (None, None) => format!("HTTP {status}: {}", excerpt(body)),
        (title, detail) => format!(
            "HTTP {status}: {}: {}",
            truncate_chars(title.as_deref().unwrap_or("-"), 100),
            truncate_chars(detail.as_deref().unwrap_or("-"), 200)
        ),
    }
}

#[cfg(test)]
#[path = "vonage_v2_tests.rs"]
mod tests;
