//! Vonage Verify v2 client: `POST {base}/v2/verify` to start, `POST {base}/v2/verify/{id}` to
//! check, `POST {base}/v2/verify/{id}/next_workflow` to move to the next channel and
//! `DELETE {base}/v2/verify/{id}` to cancel; JSON bodies, HTTP Basic auth with the API key and
//! secret, or a Bearer JWT of the Vonage application when one is configured.

use super::backoff::{send_noting, Backoff};
use super::locales::vonage_v2_locale;
use super::recently_cancelled::RecentlyCancelled;
use super::vonage_v2_problem::{
    control_failure, describe, is_number_parameter, operator_fault, problem,
};
use super::{endpoint, excerpt, http_client, ClientBuildError, VonageSettings};
use app_core::auth::server::verify_port::{
    CheckFailure, ControlFailure, DeliveryPlan, OperatorFault, RequestId, StartFailure,
    StartVerification, Started, VerifyProvider,
};
use app_core::domain::Pin;
use async_trait::async_trait;
use bodies::{Accepted, CheckBody, Checked, StartBody};
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use url::Url;

/// Longest brand Verify v2 accepts (the SDKs enforce 1–16 characters).
const BRAND_MAX_CHARS: usize = 16;
/// Digits in the code we ask for.
const CODE_LENGTH: u8 = 6;

/// A [`VerifyProvider`] for Vonage Verify v2 (name `vonage`).
///
/// Start asks for a 6-digit code, in the first language choice v2 documents (`locale`; Arabic
/// falls through to the next choice, none: left out), with the delivery sequence of
/// [`VonageSettings::delivery`]:
/// `workflow` `[sms, voice]` (or `[sms]`) and `channel_timeout` = when Vonage moves to the
/// call by itself (or the whole lifetime with SMS only), so no channel starts that the app
/// did not announce. 202 → `Started { resumed: false }`; 409 carrying the live `request_id`
/// → `Started { resumed: true }`, or `Settling` when that request is one this client
/// cancelled in the last minute (Vonage reports it as live for a few seconds); 422 naming
/// the number (`to`) or naming nothing → `InvalidNumber`, naming another parameter →
/// `OperatorFault(InvalidRequest)`; 401 → `OperatorFault(Credentials)`, 402 →
/// `OperatorFault(Balance)`, 403 → `OperatorFault(Account)`; 429 → `Throttled`; anything
/// else (other 4xx, 5xx, timeouts, refused connections, unreadable bodies) → `Unavailable`.
///
/// Check: 200 with `status: "completed"` → `Ok`; 400 → `WrongCode`; 404 → `NotFound`;
/// 410 → `TooManyAttempts`; 429 → `Throttled`; 401/402/403 as above; anything else
/// (including 409, a step that takes no code) → `Unavailable`.
///
/// Next channel (`POST …/{id}/next_workflow`, no body): 200/202/204 → `Ok`; 409 →
/// `NothingLeft`; 404 → `NotFound`; 429 → `Throttled`; 401/402/403 as above; anything else
/// → `Unavailable`.
///
/// Cancel (`DELETE …/{id}`): 200/204 → `Ok`; 404 → `NotFound`; 429 → `Throttled`;
/// 401/402/403 as above; anything else → `Unavailable`. v2 has no "not within 30 seconds"
/// rule, so never `TooSoon`.
///
/// The client never logs: [`super::Timed`] does. `Debug` does not print the API secret.
#[derive(Clone, Debug)]
pub struct VonageV2Client {
    http: reqwest::Client,
    settings: VonageSettings,
    backoff: Backoff,
    cancelled: RecentlyCancelled,
}

impl VonageV2Client {
    /// Builds the client; fails only on a base URL that is not http(s) or a TLS setup error.
    pub fn new(settings: VonageSettings) -> Result<Self, ClientBuildError> {
        let http = http_client(&settings)?;
        Ok(Self {
            http,
            settings,
            backoff: Backoff::default(),
            cancelled: RecentlyCancelled::default(),
        })
    }

    fn post(&self, url: Url) -> reqwest::RequestBuilder {
        self.authed(self.http.post(url))
    }

    fn authed(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if let Some(application) = &self.settings.application {
            return application.authorize(request);
        }
        request.basic_auth(
            &self.settings.api_key,
            Some(self.settings.api_secret.expose_secret()),
        )
    }

    fn url(&self, segments: &[&str]) -> Result<Url, String> {
        endpoint(&self.settings.base_url, segments).ok_or_else(|| "invalid base URL".to_owned())
    }

    async fn try_start(&self, request: &StartVerification) -> Result<Started, StartFailure> {
        let locale = vonage_v2_locale(request);
        let body = StartBody::new(request, &self.settings.delivery, locale.as_deref());
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
                    check_url: accepted.check_url.filter(|url| url.starts_with("http")),
                }),
                _ => Err(StartFailure::Unavailable(format!(
                    "HTTP 202 without a request_id: {}",
                    excerpt(&reply)
                ))),
            },
            StatusCode::CONFLICT => match problem(&reply).request_id {
                Some(id) if self.cancelled.contains(&id) => Err(StartFailure::Settling),
                Some(id) if !id.is_empty() => Ok(Started {
                    request_id: RequestId::new(id),
                    resumed: true,
                    check_url: None,
                }),
                _ => Err(StartFailure::Unavailable(describe(status, &reply))),
            },
            StatusCode::UNPROCESSABLE_ENTITY => match problem(&reply).invalid_parameter() {
                Some(name) if !is_number_parameter(&name) => Err(StartFailure::OperatorFault(
                    OperatorFault::InvalidRequest,
                    describe(status, &reply),
                )),
                _ => Err(StartFailure::InvalidNumber),
            },
            StatusCode::TOO_MANY_REQUESTS => Err(StartFailure::Throttled),
            _ => match operator_fault(status) {
                Some(fault) => Err(StartFailure::OperatorFault(fault, describe(status, &reply))),
                None => Err(StartFailure::Unavailable(describe(status, &reply))),
            },
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
            _ => match operator_fault(status) {
                Some(fault) => Err(CheckFailure::OperatorFault(fault, describe(status, &reply))),
                None => Err(CheckFailure::Unavailable(describe(status, &reply))),
            },
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
            _ => Err(control_failure(status, &reply)),
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
            StatusCode::OK | StatusCode::NO_CONTENT => {
                self.cancelled.note(request_id.expose());
                Ok(())
            }
            StatusCode::NOT_FOUND => Err(ControlFailure::NotFound),
            StatusCode::TOO_MANY_REQUESTS => Err(ControlFailure::Throttled),
            _ => Err(control_failure(status, &reply)),
        }
    }
}

#[async_trait]
impl VerifyProvider for VonageV2Client {
    async fn start(&self, request: &StartVerification) -> Result<Started, StartFailure> {
        self.try_start(request).await
    }

    async fn check(&self, request_id: &RequestId, code: &Pin) -> Result<(), CheckFailure> {
        self.try_check(request_id, code).await
    }

    async fn next_channel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        self.try_next_channel(request_id).await
    }

    async fn cancel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        self.try_cancel(request_id).await
    }

    fn delivery_plan(&self) -> DeliveryPlan {
        self.settings.delivery.plan()
    }

    fn throttled_for_secs(&self) -> Option<u64> {
        self.backoff.remaining_secs()
    }

    fn name(&self) -> &'static str {
        "vonage"
    }
}

mod bodies;
#[cfg(test)]
mod tests;
