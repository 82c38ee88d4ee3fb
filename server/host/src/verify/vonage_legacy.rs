//! Vonage Verify v1 ("legacy") client, the API of the original tutorial:
//! `POST {base}/verify/json` to start, `POST {base}/verify/check/json` to check and
//! `POST {base}/verify/control/json` (`cmd=trigger_next_event` / `cmd=cancel`) to move to the
//! next channel or cancel, all form-encoded with `api_key` and `api_secret` in the body. Upstream answers HTTP 200 with a
//! string `status` ("0" = success) for business outcomes.

use super::{
    endpoint, excerpt, http_client, log_control_failure, send, truncate_chars, ClientBuildError,
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
#[path = "vonage_legacy_tests.rs"]
mod tests;
