//! The port through which the login talks to a Verify provider (Vonage v2, v1, Twilio, the
//! emulator).
//! Adapters live in the `server` crate, one file per vendor.

pub use crate::auth::Channel;
use crate::domain::{PhoneNumber, Pin};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// The provider's id for one verification. Secret to the server: kept in the server-side
/// session only, never rendered, never logged in full.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestId(String);

impl RequestId {
    /// Wraps an id returned by a provider.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The raw id, for the provider's URL or body only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RequestId(<redacted>)")
    }
}

/// What the login asks a provider to send.
#[derive(Clone, Debug)]
pub struct StartVerification {
    /// Where the code goes.
    pub number: PhoneNumber,
    /// Product name put in the message ("Your <brand> code is …").
    pub brand: String,
    /// The message language: the first choice, in Vonage's spelling such as `en-gb` or
    /// `ar-xa` (one of [`SUPPORTED`](super::locale::SUPPORTED)), when known.
    pub locale: Option<String>,
    /// The next choices, best first (the browser's other languages, then `VERIFY_LOCALE`),
    /// for a provider whose API lacks `locale`: it sends the first it has, or none.
    pub fallback_locales: Vec<String>,
    /// The channel of the first code: [`DeliveryPlan::first`], or its
    /// [`alternative`](DeliveryPlan::alternative) when the person chose that one.
    pub channel: Channel,
    /// Where the mobile network sends the browser back after silent authentication (our
    /// `/login/silent`, absolute), when the plan starts silently.
    pub silent_return: Option<String>,
}

impl StartVerification {
    /// Every language choice, best first: [`locale`](Self::locale), then
    /// [`fallback_locales`](Self::fallback_locales).
    pub fn locale_choices(&self) -> impl Iterator<Item = &str> {
        self.locale
            .iter()
            .chain(&self.fallback_locales)
            .map(String::as_str)
    }
}

/// A verification the provider accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Started {
    /// The id to check codes against.
    pub request_id: RequestId,
    /// `true` when the provider already had a live request for this number and returned its
    /// id (Vonage v2 409 / v1 status 10): the code already sent is still the one to type.
    pub resumed: bool,
    /// Silent authentication's address for this verification (Vonage v2 `check_url`): the
    /// person's browser opens it over the phone's mobile data, and the mobile network
    /// confirms the number without a code. `None` unless the plan starts silently.
    pub check_url: Option<String>,
}

/// The delivery sequence a provider runs for each verification, as the login announces it:
/// a first code on [`first`](Self::first) (or the person's choice of
/// [`alternative`](Self::alternative)), then at most one more channel,
/// [`next`](Self::next), by request ("Send again") or by the provider itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeliveryPlan {
    /// The channel of the first code, unless the person chooses the alternative.
    pub first: Channel,
    /// A first channel the person may choose instead (WhatsApp beside text messages).
    pub alternative: Option<Channel>,
    /// The channel "Send again" moves to: a call, or a text message after WhatsApp or RCS;
    /// `None` when the first code is the only one.
    pub next: Option<Channel>,
    /// The provider itself moves to [`next`](Self::next) this long after the start unless
    /// the code was checked or the request cancelled (Vonage v1 `next_event_wait`, v2
    /// `channel_timeout`); `None` when it never moves on by itself (Twilio).
    pub auto_next_after: Option<Duration>,
    /// The provider first tries silent authentication (Vonage v2 `silent_auth`): the mobile
    /// network confirms the number with no code; the first code goes out when that fails,
    /// when asked for, or [`auto_next_after`](Self::auto_next_after) after the start.
    pub silent_first: bool,
}

impl DeliveryPlan {
    /// A text message, then a call when asked for (never by itself).
    pub const SMS_THEN_CALL_ON_REQUEST: Self = Self {
        first: Channel::Sms,
        alternative: None,
        next: Some(Channel::Voice),
        auto_next_after: None,
        silent_first: false,
    };

    /// The first channels the phone step offers, the default first; one item: no choice.
    pub fn first_choices(&self) -> Vec<Channel> {
        std::iter::once(self.first)
            .chain(self.alternative)
            .collect()
    }

    /// The first channel for a person who asked for `wanted`: it when offered, else
    /// [`first`](Self::first).
    pub fn first_for(&self, wanted: Option<Channel>) -> Channel {
        match wanted {
            Some(channel) if self.alternative == Some(channel) => channel,
            _ => self.first,
        }
    }
}

impl Default for DeliveryPlan {
    /// [`Self::SMS_THEN_CALL_ON_REQUEST`].
    fn default() -> Self {
        Self::SMS_THEN_CALL_ON_REQUEST
    }
}

/// A mistake on the operator's side that no user can fix: logged at ERROR, counted in
/// `passwordless_provider_faults_total{kind}`, shown in `/readyz`, and shown to the user as
/// "temporarily unavailable".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperatorFault {
    /// Wrong or disabled credentials (Vonage v2 401, v1 2/4; Twilio 20003, HTTP 401).
    Credentials,
    /// Out of credit (Vonage v2 402, v1 9).
    Balance,
    /// The account is barred, restricted or a trial limited to listed numbers (Vonage v2
    /// 403, v1 8/29).
    Account,
    /// A request parameter other than the number was refused: brand, locale, workflow,
    /// timeouts (Vonage v2 422 naming another field, v1 3; Twilio 60200 naming another field).
    InvalidRequest,
}

impl OperatorFault {
    /// The metric label and `/readyz` word: `credentials`, `balance`, `account`, `request`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Credentials => "credentials",
            Self::Balance => "balance",
            Self::Account => "account",
            Self::InvalidRequest => "request",
        }
    }
}

impl fmt::Display for OperatorFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a provider would not start a verification.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StartFailure {
    /// The provider rejected the number as invalid (v2 422, v1 3).
    #[error("provider rejected the number")]
    InvalidNumber,
    /// The destination cannot be reached: blocked or unsupported network (v1 6, 7, 15;
    /// Twilio 60205, 60410, 60605).
    #[error("destination not supported")]
    DestinationNotSupported,
    /// The provider still counts a request we cancelled moments ago as live (Vonage v2 409
    /// in the seconds after a `DELETE`): try again in a moment, never resume it.
    #[error("provider still settling a cancelled request")]
    Settling,
    /// The provider throttled us (v2 429, v1 1).
    #[error("throttled by provider")]
    Throttled,
    /// The operator's account or settings are at fault; the detail is for logs only.
    #[error("operator fault ({0}): {1}")]
    OperatorFault(OperatorFault, String),
    /// Anything else: 5xx, timeouts, unreadable bodies. The detail is for logs only.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
}

/// Why a code was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckFailure {
    /// The code is wrong; more tries are allowed (v2 400, v1 16).
    #[error("wrong code")]
    WrongCode,
    /// Too many wrong codes: the request is dead (v2 410, v1 17).
    #[error("too many wrong codes")]
    TooManyAttempts,
    /// Unknown, expired or already used request (v2 404, v1 6 and 3 naming `request_id`,
    /// Twilio 20404).
    #[error("request not found or expired")]
    NotFound,
    /// The provider throttled us (v2 429, v1 1).
    #[error("throttled by provider")]
    Throttled,
    /// The operator's account or settings are at fault; the detail is for logs only.
    #[error("operator fault ({0}): {1}")]
    OperatorFault(OperatorFault, String),
    /// Anything else; the detail is for logs only.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
}

/// Why a resend (next channel) or a cancel was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ControlFailure {
    /// The provider does not allow this yet (v1 cancel within 30 s of the start: status 19).
    #[error("too soon")]
    TooSoon,
    /// No channel is left to move to (v2 409 on next_workflow, v1 19 on trigger_next_event).
    #[error("no channel left")]
    NothingLeft,
    /// Unknown, finished, expired or cancelled request (v2 404, v1 6).
    #[error("request not found")]
    NotFound,
    /// The provider throttled us (v2 429, v1 1).
    #[error("throttled by provider")]
    Throttled,
    /// The operator's account or settings are at fault; the detail is for logs only.
    #[error("operator fault ({0}): {1}")]
    OperatorFault(OperatorFault, String),
    /// Anything else; the detail is for logs only.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
}

/// A Verify provider: sends a code to a number and checks what the user typed.
#[async_trait]
pub trait VerifyProvider: Send + Sync + 'static {
    /// Asks the provider to send a code on `request.channel`, followed by
    /// [`DeliveryPlan::next`] as the plan says.
    async fn start(&self, request: &StartVerification) -> Result<Started, StartFailure>;

    /// Checks a code against a started verification. `Ok(())` means the number is proven.
    async fn check(&self, request_id: &RequestId, code: &Pin) -> Result<(), CheckFailure>;

    /// Moves the request to [`DeliveryPlan::next`] now, keeping the same code
    /// and the same wrong-code budget (v2 `POST /v2/verify/{id}/next_workflow`, v1
    /// `cmd=trigger_next_event`).
    async fn next_channel(&self, request_id: &RequestId) -> Result<(), ControlFailure>;

    /// Cancels the request so the number is free for a new one (v2 `DELETE /v2/verify/{id}`,
    /// v1 `cmd=cancel`).
    async fn cancel(&self, request_id: &RequestId) -> Result<(), ControlFailure>;

    /// What this provider delivers and when, so the login announces exactly that. Default:
    /// [`DeliveryPlan::SMS_THEN_CALL_ON_REQUEST`].
    fn delivery_plan(&self) -> DeliveryPlan {
        DeliveryPlan::default()
    }

    /// Seconds left of the wait the provider asked for with its last throttling answer
    /// (HTTP 429 `Retry-After`), if it named one and it is not over.
    fn throttled_for_secs(&self) -> Option<u64> {
        None
    }

    /// `true` when a verification of `number` sends nothing and costs nothing (a test number
    /// in force: see `test_numbers`), so no delivery is counted against the send limits or by
    /// the fraud guard. Default: every number gets real messages.
    fn sends_nothing_to(&self, number: &PhoneNumber) -> bool {
        let _ = number;
        false
    }

    /// Short name for logs, e.g. `vonage`.
    fn name(&self) -> &'static str;
}
