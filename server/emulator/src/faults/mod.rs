//! Switchable upstream faults, so the app's handling of a misbehaving Verify API can be seen
//! and tested without a real outage.
//!
//! Contract:
//! - one fault setting at a time, shared by every clone of the [`Emulator`](super::Emulator);
//!   it applies to the Vonage-compatible API routes only (v2 and v1), never to the `/dev/…`
//!   routes;
//! - `GET /dev/faults` answers 200 with the current setting as JSON, e.g. `{"kind":"none"}`
//!   or `{"kind":"status","status":503,"count":2}` (`count` = calls still to be faulted);
//! - `POST /dev/faults` with a JSON body `{"kind": …, …}` (any content type) replaces the
//!   setting and answers 200 with it; an unreadable or out-of-range body answers 422
//!   `application/problem+json` and leaves the setting unchanged;
//! - with `"count": N` (N ≥ 1) only the next N API calls are faulted, then the setting goes
//!   back to `none` by itself; without it the fault stays until replaced;
//! - with `"operation": "start" | "check" | "control"` only calls of that operation are
//!   faulted (and counted): start = v2 `POST /v2/verify`, v1 `/verify/json`; check = v2
//!   `POST /v2/verify/{id}`, v1 `/verify/check/json`; control = v2 `DELETE /v2/verify/{id}`
//!   and `POST /v2/verify/{id}/next_workflow`, v1 `/verify/control/json`. Other calls get the
//!   normal answer. E.g. `{"kind":"v2_problem","status":402,"operation":"start"}` makes v2
//!   starts answer 402 while checks still work;
//! - `v1_status` faults apply to v1 calls only and `v2_problem` faults to v2 calls only (the
//!   other API is answered normally and not counted); every other kind applies to both.
//!
//! Kinds (what each faulted API call gets) are the variants of [`Fault`]. The two
//! "documented outcome" kinds answer as Vonage documents it, without processing the request:
//! - `{"kind":"v1_status","status":N}` with N one of [`V1_STATUSES`]: HTTP 200
//!   `{"status":"N","error_text":…}` with the status table's text (2 and 3 name `parameter`,
//!   default `number` / `code` / `cmd` by operation; 6 and 19 name the call's `request_id`;
//!   10 adds a made-up `request_id`, 7 a `network`; check answers repeat `request_id`);
//! - `{"kind":"v2_problem","status":N}` with N one of [`V2_STATUSES`]: the
//!   `application/problem+json` body Vonage documents (401 unauthorized, 402 low-balance,
//!   403 forbidden, 404 not-found, 409 conflict on start with a made-up `request_id` / no-code
//!   on check / no-events on control, 410 expired, 422 invalid-params with
//!   `invalid_parameters: [{"name": parameter, "reason": "Invalid value"}]` (default `to` /
//!   `code` / `request_id` by operation), 429 rate-limit, 500 internal-error).

mod switch;

pub use super::outcomes::{V1_STATUSES, V2_STATUSES};
use serde::{Deserialize, Serialize};
pub(crate) use switch::{routes, FaultSwitch};

/// Longest hold accepted for `latency` and `timeout`, in milliseconds (2 minutes).
pub const MAX_HOLD_MS: u64 = 120_000;

/// Longest `parameter` name accepted, in characters.
pub const MAX_PARAMETER_CHARS: usize = 64;

/// What a faulted API call gets. JSON: `{"kind": "<snake_case name>", …fields}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// `{"kind":"none"}`: the normal answer.
    #[default]
    None,
    /// `{"kind":"latency","ms":300}`: waits `ms`, then the normal answer.
    Latency {
        /// Added delay, 0 to [`MAX_HOLD_MS`].
        ms: u64,
    },
    /// `{"kind":"status","status":503}`: answers `status` (400–599) with a small
    /// `application/problem+json` body (plus `Retry-After: 1` for 429 and 503); the request is
    /// not processed.
    Status {
        /// The HTTP status to answer.
        status: u16,
    },
    /// `{"kind":"timeout","ms":5000}`: holds the request `ms` (use more than the client's
    /// timeout), then answers 504 without processing it.
    Timeout {
        /// How long the request is held, 0 to [`MAX_HOLD_MS`].
        ms: u64,
    },
    /// `{"kind":"reset"}`: closes the connection (TCP reset) without any HTTP response; the
    /// request is not processed. Needs [`Emulator::serve`](super::Emulator::serve); a router
    /// served otherwise answers 502 instead.
    Reset,
    /// `{"kind":"truncated"}`: the request is processed; its real status and headers are sent
    /// with the first half of the body (a JSON document cut in the middle).
    Truncated,
    /// `{"kind":"garbage"}`: 200 with `content-type: application/json` and a body that is not
    /// JSON (an HTML error page); the request is not processed.
    Garbage,
    /// `{"kind":"wrong_content_type"}`: the request is processed; its real status and JSON
    /// body are sent with `content-type: text/html; charset=utf-8`.
    WrongContentType,
    /// `{"kind":"v1_status","status":9}`: v1 calls answer HTTP 200 with this documented v1
    /// status and its `error_text`; the request is not processed.
    V1Status {
        /// One of [`V1_STATUSES`].
        status: u8,
        /// For statuses 2 and 3: the parameter named in `error_text`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parameter: Option<String>,
    },
    /// `{"kind":"v2_problem","status":402}`: v2 calls answer this documented problem; the
    /// request is not processed.
    V2Problem {
        /// One of [`V2_STATUSES`].
        status: u16,
        /// For 422: the `name` of the `invalid_parameters` entry (e.g. `brand`, `to`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parameter: Option<String>,
    },
}

/// A Verify API operation, to scope a fault to. JSON: `"start"`, `"check"`, `"control"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Starting a verification.
    Start,
    /// Checking a code.
    Check,
    /// Cancelling or moving to the next channel/event.
    Control,
}

/// The vendor API an API call belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VendorApi {
    /// Vonage Verify v2.
    VonageV2,
    /// Vonage Verify v1.
    VonageV1,
    /// Twilio Verify v2 (`/v2/Services/{VA}/…`): only the generic faults reach it.
    Twilio,
}

/// What an API call is, as far as fault scoping cares; unknown routes have neither.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Call {
    pub api: Option<VendorApi>,
    pub operation: Option<Operation>,
}

/// The fault in force, for how many more API calls, and for which operation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultSetting {
    /// The fault.
    #[serde(flatten)]
    pub fault: Fault,
    /// `Some(n)`: only the next `n` faulted API calls (n ≥ 1); `None`: until replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// `Some(op)`: only calls of that operation are faulted (and counted); `None`: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<Operation>,
}

impl FaultSetting {
    /// A fault applied until replaced.
    pub fn always(fault: Fault) -> Self {
        Self {
            fault,
            count: None,
            operation: None,
        }
    }

    /// A fault applied to the next `count` API calls only.
    pub fn times(fault: Fault, count: u32) -> Self {
        Self {
            fault,
            count: Some(count),
            operation: None,
        }
    }

    /// The same setting, limited to calls of `operation`.
    pub fn only(self, operation: Operation) -> Self {
        Self {
            operation: Some(operation),
            ..self
        }
    }

    /// Whether this setting faults `call`.
    pub(crate) fn applies_to(&self, call: Call) -> bool {
        let operation_matches = self.operation.is_none_or(|op| call.operation == Some(op));
        let api_matches = match self.fault {
            Fault::None => false,
            Fault::V1Status { .. } => call.api == Some(VendorApi::VonageV1),
            Fault::V2Problem { .. } => call.api == Some(VendorApi::VonageV2),
            _ => true,
        };
        operation_matches && api_matches
    }

    /// Parses and checks an admin request body. `Err` says what is wrong, for a 422.
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let setting: Self = serde_json::from_slice(body).map_err(|e| {
            format!(
                "expected {{\"kind\": none|latency|status|timeout|reset|truncated|garbage|\
                 wrong_content_type|v1_status|v2_problem, …}}: {e}"
            )
        })?;
        setting.validate()?;
        Ok(setting)
    }

    /// `Err` names the out-of-range field.
    pub fn validate(&self) -> Result<(), String> {
        match &self.fault {
            Fault::Latency { ms } | Fault::Timeout { ms } if *ms > MAX_HOLD_MS => {
                return Err(format!("`ms` must be at most {MAX_HOLD_MS}"));
            }
            Fault::Status { status } if !(400..=599).contains(status) => {
                return Err("`status` must be an HTTP error status, 400 to 599".to_owned());
            }
            Fault::V1Status { status, .. } if !V1_STATUSES.contains(status) => {
                return Err(format!("`status` must be one of {V1_STATUSES:?}"));
            }
            Fault::V2Problem { status, .. } if !V2_STATUSES.contains(status) => {
                return Err(format!("`status` must be one of {V2_STATUSES:?}"));
            }
            Fault::V1Status {
                parameter: Some(name),
                ..
            }
            | Fault::V2Problem {
                parameter: Some(name),
                ..
            } if !valid_parameter(name) => {
                return Err(format!(
                    "`parameter` must be 1 to {MAX_PARAMETER_CHARS} letters, digits, `_` or `.`"
                ));
            }
            _ => {}
        }
        if self.count == Some(0) {
            return Err("`count` must be at least 1 (omit it to fault every call)".to_owned());
        }
        Ok(())
    }
}

fn valid_parameter(name: &str) -> bool {
    (1..=MAX_PARAMETER_CHARS).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

#[cfg(test)]
mod tests;
