//! Reading Twilio Verify answers: the error body `{code, message, more_info, status}` sorted
//! into the few kinds the client maps to domain outcomes, and the server-side request id
//! that carries what check, resend and cancel need. (The `Locale` sent is
//! [`super::locales`]' business.)

use super::{excerpt, truncate_chars};
use app_core::auth::server::verify_port::{ControlFailure, OperatorFault, StartFailure};
use reqwest::StatusCode;
use serde::Deserialize;

/// Twilio error codes that mean "this destination cannot be reached from this account":
/// 60205 (SMS to a landline), 60410 (prefix blocked for fraud), 60605 (destination blocked
/// by the Geo permissions), 21408 (no permission to send to the number's region), 21612
/// (cannot route to the number), 21614 (not a mobile number).
const DESTINATION_CODES: &[u32] = &[60205, 60410, 60605, 21408, 21612, 21614];

/// Twilio error codes that mean the account itself is refused: 20005 (account not active),
/// 20008 (test credentials), 21608 (trial account, unverified number), 60223 (channel
/// disabled for the account).
const ACCOUNT_CODES: &[u32] = &[20005, 20008, 21608, 60223];

/// The kind of a non-success Twilio answer, before an operation gives it its outcome.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// 60200: a parameter was refused; the message names it (`To`, `Locale`, `Code`…).
    InvalidParameter(String),
    /// 60202: five wrong checks; the verification is over.
    MaxChecks,
    /// 60203: five sends for this verification.
    MaxSends,
    /// 60212: too many concurrent verifications for the number.
    TooManyConcurrent,
    /// 20404 or HTTP 404: unknown, expired, approved or cancelled verification (or service).
    NotFound,
    /// 20429 or any other HTTP 429.
    Throttled,
    /// 20003 or HTTP 401.
    Credentials,
    /// One of [`DESTINATION_CODES`].
    Destination,
    /// One of [`ACCOUNT_CODES`], or any other HTTP 403.
    Account,
    /// Anything else: 5xx, unknown 4xx, bodies that are not Twilio's.
    Other,
}

/// The Twilio error body; every field optional, unknown fields ignored.
#[derive(Default, Deserialize)]
struct ErrorBody {
    code: Option<u32>,
    message: Option<String>,
}

fn error_body(body: &[u8]) -> ErrorBody {
    serde_json::from_slice(body).unwrap_or_default()
}

/// Sorts a non-success answer: the Twilio code first, then the HTTP status.
pub(crate) fn classify(status: StatusCode, body: &[u8]) -> Fault {
    let error = error_body(body);
    match error.code {
        Some(60200) => {
            let message = error.message.unwrap_or_default();
            return Fault::InvalidParameter(parameter_named(&message));
        }
        Some(60202) => return Fault::MaxChecks,
        Some(60203) => return Fault::MaxSends,
        Some(60212) => return Fault::TooManyConcurrent,
        Some(20404) => return Fault::NotFound,
        Some(20429) => return Fault::Throttled,
        Some(20003) => return Fault::Credentials,
        Some(code) if DESTINATION_CODES.contains(&code) => return Fault::Destination,
        Some(code) if ACCOUNT_CODES.contains(&code) => return Fault::Account,
        _ => {}
    }
    match status {
        StatusCode::NOT_FOUND => Fault::NotFound,
        StatusCode::TOO_MANY_REQUESTS => Fault::Throttled,
        StatusCode::UNAUTHORIZED => Fault::Credentials,
        StatusCode::FORBIDDEN => Fault::Account,
        _ => Fault::Other,
    }
}

/// The parameter a 60200 message names (`Invalid parameter: To`, `Invalid parameter `To`:
/// …`), or an empty string when it names none.
fn parameter_named(message: &str) -> String {
    let rest = message
        .split_once("parameter")
        .map_or("", |(_, rest)| rest)
        .trim_start_matches([':', ' ', '`', '\'', '"']);
    rest.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// `HTTP <status>: <code>: <message>` for logs; digit runs of four or more (numbers, codes)
/// are hidden, and the body is never echoed beyond an excerpt when it is not Twilio's.
pub(crate) fn describe(status: StatusCode, body: &[u8]) -> String {
    let error = error_body(body);
    match (error.code, error.message) {
        (None, None) => format!("HTTP {status}: {}", scrub(&excerpt(body))),
        (code, message) => format!(
            "HTTP {status}: {}: {}",
            code.map_or_else(|| "-".to_owned(), |c| c.to_string()),
            scrub(&truncate_chars(message.as_deref().unwrap_or("-"), 200))
        ),
    }
}

/// `text` with every run of four or more digits replaced by `…`, so a phone number or a
/// code echoed by the upstream never reaches the logs.
pub(crate) fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    for c in text.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if digits.len() >= 4 {
            out.push('…');
        } else {
            out.push_str(&digits);
        }
        digits.clear();
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

/// The outcome of a refused resend or cancel; `no_more` is what "no further delivery" (60203,
/// a destination code) means for this operation.
pub(crate) fn control_failure(
    status: StatusCode,
    body: &[u8],
    no_more: ControlFailure,
) -> ControlFailure {
    let detail = describe(status, body);
    match classify(status, body) {
        Fault::NotFound => ControlFailure::NotFound,
        Fault::MaxSends | Fault::Destination => no_more,
        Fault::Throttled | Fault::TooManyConcurrent | Fault::MaxChecks => ControlFailure::Throttled,
        Fault::InvalidParameter(name) if name == "To" => ControlFailure::NotFound,
        Fault::InvalidParameter(_) => {
            ControlFailure::OperatorFault(OperatorFault::InvalidRequest, detail)
        }
        Fault::Credentials => ControlFailure::OperatorFault(OperatorFault::Credentials, detail),
        Fault::Account => ControlFailure::OperatorFault(OperatorFault::Account, detail),
        Fault::Other => ControlFailure::Unavailable(detail),
    }
}

/// The outcome of a refused start: 60200 naming `To` → `InvalidNumber`, naming anything else
/// (or the service sid unknown) → `OperatorFault(InvalidRequest)`; 60203, 60212, 60202,
/// 20429 or 429 → `Throttled`; a destination code → `DestinationNotSupported`.
pub(crate) fn start_failure(status: StatusCode, body: &[u8]) -> StartFailure {
    let detail = describe(status, body);
    match classify(status, body) {
        Fault::InvalidParameter(name) if name == "To" => StartFailure::InvalidNumber,
        Fault::InvalidParameter(_) | Fault::NotFound => {
            StartFailure::OperatorFault(OperatorFault::InvalidRequest, detail)
        }
        Fault::MaxSends | Fault::TooManyConcurrent | Fault::Throttled | Fault::MaxChecks => {
            StartFailure::Throttled
        }
        Fault::Destination => StartFailure::DestinationNotSupported,
        Fault::Credentials => StartFailure::OperatorFault(OperatorFault::Credentials, detail),
        Fault::Account => StartFailure::OperatorFault(OperatorFault::Account, detail),
        Fault::Other => StartFailure::Unavailable(detail),
    }
}

/// Whether a refused start refused its `Locale` (60200 naming it): Twilio does not send in
/// that language, so the start is worth one more try without it.
pub(crate) fn refuses_locale(status: StatusCode, body: &[u8]) -> bool {
    classify(status, body) == Fault::InvalidParameter("Locale".to_owned())
}

/// What our [`RequestId`](app_core::auth::server::verify_port::RequestId) holds for Twilio:
/// `VE…|+447…|en-GB` (the locale part optional). It never leaves the server.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Handle<'a> {
    /// The verification's `VE…` sid (for check and cancel).
    pub sid: &'a str,
    /// The E.164 number with `+` (a resend starts a verification for it again).
    pub to: &'a str,
    /// The Twilio locale the first message used, so the call speaks the same language.
    pub locale: Option<&'a str>,
}

impl<'a> Handle<'a> {
    /// The request id string for a new verification.
    pub(crate) fn encode(sid: &str, to: &str, locale: Option<&str>) -> String {
        match locale {
            Some(locale) => format!("{sid}|{to}|{locale}"),
            None => format!("{sid}|{to}"),
        }
    }

    /// Reads a request id; `None` when it is not one of ours (e.g. a Vonage id left in a
    /// session from before a provider switch).
    pub(crate) fn decode(id: &'a str) -> Option<Self> {
        let mut parts = id.split('|');
        let sid = parts
            .next()
            .filter(|s| s.starts_with("VE") && s.len() > 2)?;
        let to = parts.next().filter(|t| t.starts_with('+') && t.len() > 1)?;
        let locale = parts.next().filter(|l| !l.is_empty());
        parts.next().is_none().then_some(Self { sid, to, locale })
    }
}

#[cfg(test)]
mod tests;
