//! Vonage Verify v1 ("legacy") client, the API of the original tutorial:
//! `POST {base}/verify/json` to start, `POST {base}/verify/check/json` to check and
//! `POST {base}/verify/control/json` (`cmd=trigger_next_event` / `cmd=cancel`) to move to the
//! next channel or cancel, all form-encoded with `api_key` and `api_secret` in the body. Upstream answers HTTP 200 with a
//! string `status` ("0" = success) for business outcomes.

use super::locales::vonage_v1_locale;
use super::recently_cancelled::RecentlyCancelled;
use super::{
    endpoint, excerpt, http_client, send, truncate_chars, ClientBuildError, VonageSettings,
};
use app_core::auth::server::verify_port::{
    CheckFailure, ControlFailure, DeliveryPlan, OperatorFault, RequestId, StartFailure,
    StartVerification, Started, VerifyProvider,
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
/// Start (`number`, `brand` cut to 18 characters, `code_length=6`, `lg` = the first language
/// choice v1 lists (`ar-xa` included; none: left out), and the
/// delivery sequence from [`VonageSettings::delivery`]: `workflow_id` 5 (SMS then one call)
/// or 6 (SMS only), `pin_expiry` = the login's lifetime, `next_event_wait` = when Vonage
/// calls by itself): status "0" → `Started { resumed: false }`; "10" with the live
/// `request_id` → `Started { resumed: true }`, or `Settling` when that request is one this
/// client cancelled in the last minute; "3" naming `number` → `InvalidNumber`, naming another
/// parameter → `OperatorFault(InvalidRequest)`; "6", "7", "15" → `DestinationNotSupported`;
/// "1" → `Throttled`; "2"/"4" → `OperatorFault(Credentials)` ("2" naming another parameter:
/// `InvalidRequest`), "8"/"29" → `OperatorFault(Account)`, "9" → `OperatorFault(Balance)`;
/// any other status → `Unavailable`.
///
/// Check (`request_id`, `code`): "0" → `Ok`; "16" and "3" naming `code` → `WrongCode`;
/// "17" → `TooManyAttempts`; "6" and "3" naming `request_id` → `NotFound`; "1" →
/// `Throttled`; operator statuses as above; any other status → `Unavailable`.
///
/// Next channel and cancel (`request_id`, `cmd` = `trigger_next_event` / `cancel`): "0" →
/// `Ok`; "6" → `NotFound`; "1" → `Throttled`; "19" → `NothingLeft`, except for a cancel whose
/// `error_text` mentions the first 30 seconds, which is `TooSoon`; operator statuses as
/// above; any other status → `Unavailable` (detail without the request id).
///
/// A non-200 reply, a timeout, a refused connection or an unreadable body is `Unavailable`.
/// The client never logs: [`super::Timed`] does. `Debug` does not print the API secret.
#[derive(Clone, Debug)]
pub struct VonageLegacyClient {
    http: reqwest::Client,
    settings: VonageSettings,
    cancelled: RecentlyCancelled,
}

impl VonageLegacyClient {
    /// Builds the client; fails only on a base URL that is not http(s) or a TLS setup error.
    pub fn new(settings: VonageSettings) -> Result<Self, ClientBuildError> {
        let http = http_client(&settings)?;
        Ok(Self {
            http,
            settings,
            cancelled: RecentlyCancelled::default(),
        })
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
        let delivery = self.settings.delivery.v1_fields();
        let mut fields = vec![
            ("number", request.number.digits()),
            ("brand", brand.as_str()),
            ("code_length", CODE_LENGTH),
        ];
        fields.extend(delivery.iter().map(|(name, value)| (*name, value.as_str())));
        let lg = vonage_v1_locale(request);
        fields.extend(lg.as_deref().map(|lg| ("lg", lg)));
        let reply = self
            .call(&["verify", "json"], &fields)
            .await
            .map_err(StartFailure::Unavailable)?;
        if let Some(fault) = reply.operator_fault() {
            return Err(StartFailure::OperatorFault(fault, reply.describe(None)));
        }
        let resumed = match reply.status.as_str() {
            "0" => false,
            "10" => true,
            "3" if reply.names("number") => return Err(StartFailure::InvalidNumber),
            "3" => {
                let detail = reply.describe(None);
                return Err(StartFailure::OperatorFault(
                    OperatorFault::InvalidRequest,
                    detail,
                ));
            }
            "6" | "7" | "15" => return Err(StartFailure::DestinationNotSupported),
            "1" => return Err(StartFailure::Throttled),
            _ => return Err(StartFailure::Unavailable(reply.describe(None))),
        };
        match reply.request_id {
            Some(id) if resumed && self.cancelled.contains(&id) => Err(StartFailure::Settling),
            Some(id) if !id.is_empty() => Ok(Started {
                request_id: RequestId::new(id),
                resumed,
                check_url: None,
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
        let detail = || reply.describe(Some(request_id.expose()));
        if let Some(fault) = reply.operator_fault() {
            return Err(CheckFailure::OperatorFault(fault, detail()));
        }
        match reply.status.as_str() {
            "0" => Ok(()),
            "3" if reply.names("request_id") => Err(CheckFailure::NotFound),
            "16" | "3" => Err(CheckFailure::WrongCode),
            "17" => Err(CheckFailure::TooManyAttempts),
            "6" => Err(CheckFailure::NotFound),
            "1" => Err(CheckFailure::Throttled),
            _ => Err(CheckFailure::Unavailable(detail())),
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
        if let Some(fault) = reply.operator_fault() {
            let detail = reply.describe(Some(request_id.expose()));
            return Err(ControlFailure::OperatorFault(fault, detail));
        }
        match reply.status.as_str() {
            "0" => {
                if cmd == Command::Cancel {
                    self.cancelled.note(request_id.expose());
                }
                Ok(())
            }
            "6" => Err(ControlFailure::NotFound),
            "3" if reply.names("request_id") => Err(ControlFailure::NotFound),
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
        self.try_start(request).await
    }

    async fn check(&self, request_id: &RequestId, code: &Pin) -> Result<(), CheckFailure> {
        self.try_check(request_id, code).await
    }

    async fn next_channel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        self.control(request_id, Command::TriggerNextEvent).await
    }

    async fn cancel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        self.control(request_id, Command::Cancel).await
    }

    fn delivery_plan(&self) -> DeliveryPlan {
        self.settings.delivery.plan()
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

    /// The operator's mistake behind statuses 2 (missing credentials or parameter), 4 (bad
    /// credentials), 8 (account barred), 9 (out of credit) and 29 (trial account, number not
    /// listed); `None` for every other status.
    fn operator_fault(&self) -> Option<OperatorFault> {
        match self.status.as_str() {
            "2" if self.names("api_key") || self.names("api_secret") => {
                Some(OperatorFault::Credentials)
            }
            "2" => Some(OperatorFault::InvalidRequest),
            "4" => Some(OperatorFault::Credentials),
            "8" | "29" => Some(OperatorFault::Account),
            "9" => Some(OperatorFault::Balance),
            _ => None,
        }
    }

    /// `true` when `error_text` names `parameter` (statuses 2 and 3 say which one).
    fn names(&self, parameter: &str) -> bool {
        self.error_text
            .as_deref()
            .is_some_and(|text| text.to_ascii_lowercase().contains(parameter))
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
mod tests;
