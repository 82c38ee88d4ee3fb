//! Twilio Verify v2 client: `POST {base}/v2/Services/{VA}/Verifications` to start (and, with
//! `Channel=call`, to resend), `POST …/VerificationCheck` to check and
//! `POST …/Verifications/{VE}` with `Status=canceled` to cancel; form-encoded bodies, HTTP
//! Basic auth with the Account SID and Auth Token.

use super::backoff::{send_noting, Backoff};
use super::locales::twilio_locale_for;
use super::twilio_reply::{
    classify, control_failure, describe, refuses_locale, start_failure, Fault, Handle,
};
pub use super::twilio_settings::TwilioSettings;
use super::{endpoint, excerpt, http_client_for, ClientBuildError};
use app_core::auth::server::verify_port::{
    Channel, CheckFailure, ControlFailure, DeliveryPlan, OperatorFault, RequestId, StartFailure,
    StartVerification, Started, VerifyProvider,
};
use app_core::domain::Pin;
use async_trait::async_trait;
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde::Deserialize;

/// A [`VerifyProvider`] for Twilio Verify v2 (name `twilio`). The request id it hands out is
/// `VE…|+E164|locale`: Twilio checks by verification sid, resends by number.
///
/// Start (`To` with `+`, `Channel=sms`, `Locale` = the first language choice Twilio lists, in
/// its spelling): 201 with a `VE` sid → `Started { resumed: false }` (Twilio reuses a pending
/// verification and sends its code again); 60200 naming `Locale` → the same start once more
/// without `Locale` (and the call later sends none either); 60200 naming `To` →
/// `InvalidNumber`, naming anything else → `OperatorFault(InvalidRequest)`; 60203 (five sends
/// already), 60212 (too many concurrent), 20429 or 429 → `Throttled`;
/// 60205/60410/60605/21408/21612/21614 → `DestinationNotSupported`; 404 (the service sid) →
/// `OperatorFault(InvalidRequest)`.
///
/// Check (`VerificationSid` + `Code`): 200 `approved` → `Ok`; 200 `pending` → `WrongCode`;
/// 200 `max_attempts_reached` or 60202 → `TooManyAttempts`; 200 with another status, 404 or
/// 20404 → `NotFound`; 60200 naming `Code` → `WrongCode`; other 429 → `Throttled`.
///
/// Next channel (a new `Verifications` POST with `Channel=call` for the same `To`): 201 with
/// the same sid → `Ok`; 201 with another sid (ours had ended, so Twilio started afresh; the
/// stray one is cancelled) or 404 → `NotFound`; 60203 (five sends, none left until it expires)
/// or a destination code (no call to this number) → `NothingLeft`; 60212 or 429 → `Throttled`.
///
/// Cancel (`Status=canceled`): 200 → `Ok`; 404 → `NotFound`; 429 → `Throttled`.
///
/// Every call: 401 or 20003 → `OperatorFault(Credentials)`; 20005/20008/21608/60223 or another
/// 403 → `OperatorFault(Account)`; 5xx, other statuses, timeouts and unreadable bodies →
/// `Unavailable`. A request id that is not ours → `NotFound` without a call. Details never
/// hold the auth token, the code or digit runs from upstream messages. `Debug` hides the token.
#[derive(Clone, Debug)]
pub struct TwilioClient {
    http: reqwest::Client,
    settings: TwilioSettings,
    backoff: Backoff,
}

impl TwilioClient {
    /// Builds the client; fails only on a base URL that is not http(s) or a TLS setup error.
    pub fn new(settings: TwilioSettings) -> Result<Self, ClientBuildError> {
        let http = http_client_for(
            &settings.base_url,
            settings.connect_timeout,
            settings.timeout,
        )?;
        Ok(Self {
            http,
            settings,
            backoff: Backoff::default(),
        })
    }

    /// Posts `form` to `{base}/v2/Services/{VA}/{tail…}`; `Err` is a log-ready detail.
    async fn post(
        &self,
        tail: &[&str],
        form: &[(&str, &str)],
    ) -> Result<(StatusCode, Vec<u8>), String> {
        let mut segments = vec!["v2", "Services", self.settings.service_sid.as_str()];
        segments.extend_from_slice(tail);
        let url = endpoint(&self.settings.base_url, &segments)
            .ok_or_else(|| "invalid base URL".to_owned())?;
        let request = self
            .http
            .post(url)
            .basic_auth(
                &self.settings.account_sid,
                Some(self.settings.auth_token.expose_secret()),
            )
            .form(form);
        send_noting(request, &self.backoff).await
    }

    /// Starts (or, for a pending one, re-sends) a verification; answers its sid.
    async fn verification(
        &self,
        to: &str,
        channel: &str,
        locale: Option<&str>,
    ) -> Result<Result<String, (StatusCode, Vec<u8>)>, String> {
        let mut form = vec![("To", to), ("Channel", channel)];
        form.extend(locale.map(|locale| ("Locale", locale)));
        let (status, body) = self.post(&["Verifications"], &form).await?;
        if !matches!(status, StatusCode::OK | StatusCode::CREATED) {
            return Ok(Err((status, body)));
        }
        match serde_json::from_slice::<Verification>(&body) {
            Ok(v) if v.sid.starts_with("VE") => Ok(Ok(v.sid)),
            _ => Err(format!(
                "HTTP {status} without a VE sid: {}",
                excerpt(&body)
            )),
        }
    }

    async fn try_start(&self, request: &StartVerification) -> Result<Started, StartFailure> {
        let to = request.number.e164();
        let mut locale = twilio_locale_for(request);
        loop {
            let answer = self
                .verification(to, twilio_channel(request.channel), locale.as_deref())
                .await
                .map_err(StartFailure::Unavailable)?;
            match answer {
                Ok(sid) => {
                    // The handle keeps the locale that was accepted, so the call uses it too.
                    let handle = Handle::encode(&sid, to, locale.as_deref());
                    return Ok(Started {
                        request_id: RequestId::new(handle),
                        resumed: false,
                        check_url: None,
                    });
                }
                // Once: Twilio does not send in that language; its default will do.
                Err((status, body)) if locale.is_some() && refuses_locale(status, &body) => {
                    let refused = locale.take().unwrap_or_default();
                    tracing::warn!(%refused, "Twilio refused the Locale; starting without it");
                }
                Err((status, body)) => return Err(start_failure(status, &body)),
            }
        }
    }

    async fn try_check(&self, handle: &Handle<'_>, code: &Pin) -> Result<(), CheckFailure> {
        let form = [("VerificationSid", handle.sid), ("Code", code.expose())];
        let (status, body) = self
            .post(&["VerificationCheck"], &form)
            .await
            .map_err(CheckFailure::Unavailable)?;
        if status == StatusCode::OK {
            // Only an explicit "approved" proves the number.
            return match serde_json::from_slice::<Verification>(&body) {
                Ok(v) if v.status == "approved" && v.valid != Some(false) => Ok(()),
                Ok(v) if v.status == "pending" => Err(CheckFailure::WrongCode),
                Ok(v) if v.status == "max_attempts_reached" => Err(CheckFailure::TooManyAttempts),
                Ok(v) if !v.status.is_empty() && v.status != "approved" => {
                    Err(CheckFailure::NotFound)
                }
                _ => Err(CheckFailure::Unavailable(format!(
                    "HTTP 200 without a verification status: {}",
                    excerpt(&body)
                ))),
            };
        }
        let detail = describe(status, &body);
        Err(match classify(status, &body) {
            Fault::InvalidParameter(name) if name == "Code" => CheckFailure::WrongCode,
            Fault::InvalidParameter(name) if name == "VerificationSid" => CheckFailure::NotFound,
            Fault::InvalidParameter(_) => {
                CheckFailure::OperatorFault(OperatorFault::InvalidRequest, detail)
            }
            Fault::MaxChecks => CheckFailure::TooManyAttempts,
            Fault::NotFound => CheckFailure::NotFound,
            Fault::Throttled | Fault::MaxSends | Fault::TooManyConcurrent => {
                CheckFailure::Throttled
            }
            Fault::Credentials => CheckFailure::OperatorFault(OperatorFault::Credentials, detail),
            Fault::Account | Fault::Destination => {
                CheckFailure::OperatorFault(OperatorFault::Account, detail)
            }
            Fault::Other => CheckFailure::Unavailable(detail),
        })
    }

    async fn try_next_channel(&self, handle: &Handle<'_>) -> Result<(), ControlFailure> {
        let next = self.settings.plan.next.ok_or(ControlFailure::NothingLeft)?;
        let answer = self
            .verification(handle.to, twilio_channel(next), handle.locale)
            .await
            .map_err(ControlFailure::Unavailable)?;
        let (status, body) = match answer {
            Ok(sid) if sid == handle.sid => return Ok(()),
            Ok(stray) => {
                // Ours had ended; Twilio started a new one whose code nobody will be asked
                // for. Best effort: its outcome changes nothing for the caller.
                let _ = self.try_cancel(&stray).await;
                return Err(ControlFailure::NotFound);
            }
            Err(refusal) => refusal,
        };
        Err(control_failure(status, &body, ControlFailure::NothingLeft))
    }

    async fn try_cancel(&self, sid: &str) -> Result<(), ControlFailure> {
        let (status, body) = self
            .post(&["Verifications", sid], &[("Status", "canceled")])
            .await
            .map_err(ControlFailure::Unavailable)?;
        if status == StatusCode::OK {
            return Ok(());
        }
        Err(control_failure(
            status,
            &body,
            ControlFailure::Unavailable(describe(status, &body)),
        ))
    }
}

#[async_trait]
impl VerifyProvider for TwilioClient {
    async fn start(&self, request: &StartVerification) -> Result<Started, StartFailure> {
        self.try_start(request).await
    }

    async fn check(&self, request_id: &RequestId, code: &Pin) -> Result<(), CheckFailure> {
        match Handle::decode(request_id.expose()) {
            Some(handle) => self.try_check(&handle, code).await,
            None => Err(CheckFailure::NotFound),
        }
    }

    async fn next_channel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        match Handle::decode(request_id.expose()) {
            Some(handle) => self.try_next_channel(&handle).await,
            None => Err(ControlFailure::NotFound),
        }
    }

    async fn cancel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        match Handle::decode(request_id.expose()) {
            Some(handle) => self.try_cancel(handle.sid).await,
            None => Err(ControlFailure::NotFound),
        }
    }

    /// Twilio sends the first code on the chosen channel and moves on only when asked (a new
    /// verification on the next channel: `call`, or `sms` after WhatsApp).
    fn delivery_plan(&self) -> DeliveryPlan {
        self.settings.plan
    }

    fn throttled_for_secs(&self) -> Option<u64> {
        self.backoff.remaining_secs()
    }

    fn name(&self) -> &'static str {
        "twilio"
    }
}

/// The fields we read from a verification or a verification check.
#[derive(Deserialize)]
struct Verification {
    #[serde(default)]
    sid: String,
    #[serde(default)]
    status: String,
    valid: Option<bool>,
}

#[cfg(test)]
mod tests;

/// Twilio's `Channel` word for `channel`: `sms`, `whatsapp`, `call` (RCS is not a Twilio
/// Verify channel; configuration refuses it, and a text goes instead).
fn twilio_channel(channel: Channel) -> &'static str {
    match channel {
        Channel::WhatsApp => "whatsapp",
        Channel::Voice => "call",
        Channel::Sms | Channel::Rcs => "sms",
    }
}
