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
//!   back to `none` by itself; without it the fault stays until replaced.
//!
//! Kinds (what each faulted API call gets) are the variants of [`Fault`].

use super::problem::problem;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Map;
use std::sync::{Arc, Mutex, PoisonError};

/// Longest hold accepted for `latency` and `timeout`, in milliseconds (2 minutes).
pub const MAX_HOLD_MS: u64 = 120_000;

/// What a faulted API call gets. JSON: `{"kind": "<snake_case name>", …fields}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// The fault in force and for how many more API calls.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultSetting {
    /// The fault.
    #[serde(flatten)]
    pub fault: Fault,
    /// `Some(n)`: only the next `n` API calls (n ≥ 1); `None`: until replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

impl FaultSetting {
    /// A fault applied until replaced.
    pub fn always(fault: Fault) -> Self {
        Self { fault, count: None }
    }

    /// A fault applied to the next `count` API calls only.
    pub fn times(fault: Fault, count: u32) -> Self {
        Self {
            fault,
            count: Some(count),
        }
    }

    /// Parses and checks an admin request body. `Err` says what is wrong, for a 422.
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let setting: Self = serde_json::from_slice(body).map_err(|e| {
            format!(
                "expected {{\"kind\": none|latency|status|timeout|reset|truncated|garbage|\
                 wrong_content_type, …}}: {e}"
            )
        })?;
        setting.validate()?;
        Ok(setting)
    }

    /// `Err` names the out-of-range field.
    pub fn validate(&self) -> Result<(), String> {
        match self.fault {
            Fault::Latency { ms } | Fault::Timeout { ms } if ms > MAX_HOLD_MS => {
                return Err(format!("`ms` must be at most {MAX_HOLD_MS}"));
            }
            Fault::Status { status } if !(400..=599).contains(&status) => {
                return Err("`status` must be an HTTP error status, 400 to 599".to_owned());
            }
            _ => {}
        }
        if self.count == Some(0) {
            return Err("`count` must be at least 1 (omit it to fault every call)".to_owned());
        }
        Ok(())
    }
}

/// The shared, switchable setting.
#[derive(Debug, Default)]
pub(crate) struct FaultSwitch(Mutex<FaultSetting>);

impl FaultSwitch {
    /// The setting in force.
    pub(crate) fn get(&self) -> FaultSetting {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the setting (a `count` of 0 means `none`).
    pub(crate) fn set(&self, setting: FaultSetting) {
        let setting = if setting.count == Some(0) {
            FaultSetting::default()
        } else {
            setting
        };
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = setting;
    }

    /// The fault for one API call; counts it against `count` and switches back to `none`
    /// after the last counted call.
    pub(crate) fn take(&self) -> Fault {
        let mut setting = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let fault = setting.fault;
        match setting.count {
            Some(n) if n <= 1 => *setting = FaultSetting::default(),
            Some(n) => setting.count = Some(n - 1),
            None => {}
        }
        fault
    }
}

/// `GET /dev/faults` and `POST /dev/faults`.
pub(crate) fn routes() -> Router<Arc<FaultSwitch>> {
    Router::new().route("/dev/faults", get(read).post(replace))
}

async fn read(State(switch): State<Arc<FaultSwitch>>) -> Response {
    reply(switch.get())
}

async fn replace(State(switch): State<Arc<FaultSwitch>>, body: Bytes) -> Response {
    match FaultSetting::parse(&body) {
        Ok(setting) => {
            switch.set(setting);
            tracing::info!(target: "emulator", ?setting, "emulator fault setting changed");
            reply(setting)
        }
        Err(detail) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-params",
            "Invalid fault setting",
            detail,
            Map::new(),
        ),
    }
}

fn reply(setting: FaultSetting) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Json(setting)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<FaultSetting, String> {
        FaultSetting::parse(value.to_string().as_bytes())
    }

    #[test]
    fn parses_every_kind() {
        for (body, fault) in [
            (json!({"kind": "none"}), Fault::None),
            (
                json!({"kind": "latency", "ms": 300}),
                Fault::Latency { ms: 300 },
            ),
            (
                json!({"kind": "status", "status": 503}),
                Fault::Status { status: 503 },
            ),
            (
                json!({"kind": "timeout", "ms": 5000}),
                Fault::Timeout { ms: 5000 },
            ),
            (json!({"kind": "reset"}), Fault::Reset),
            (json!({"kind": "truncated"}), Fault::Truncated),
            (json!({"kind": "garbage"}), Fault::Garbage),
            (
                json!({"kind": "wrong_content_type"}),
                Fault::WrongContentType,
            ),
        ] {
            assert_eq!(
                parse(body.clone()),
                Ok(FaultSetting::always(fault)),
                "{body}"
            );
        }
        assert_eq!(
            parse(json!({"kind": "status", "status": 429, "count": 2})),
            Ok(FaultSetting::times(Fault::Status { status: 429 }, 2))
        );
    }

    #[test]
    fn refuses_bad_settings() {
        for body in [
            json!({}),
            json!({"kind": "explode"}),
            json!({"kind": "latency"}),
            json!({"kind": "latency", "ms": -1}),
            json!({"kind": "latency", "ms": MAX_HOLD_MS + 1}),
            json!({"kind": "timeout", "ms": "5000"}),
            json!({"kind": "status", "status": 200}),
            json!({"kind": "status", "status": 600}),
            json!({"kind": "reset", "count": 0}),
            json!({"kind": "reset", "count": -3}),
            json!("reset"),
        ] {
            assert!(parse(body.clone()).is_err(), "{body}");
        }
        assert!(FaultSetting::parse(b"{not json").is_err());
    }

    #[test]
    fn serialises_as_the_admin_api_shows_it() {
        let always = serde_json::to_value(FaultSetting::always(Fault::Latency { ms: 300 }));
        assert_eq!(always.ok(), Some(json!({"kind": "latency", "ms": 300})));
        let counted = serde_json::to_value(FaultSetting::times(Fault::WrongContentType, 1));
        assert_eq!(
            counted.ok(),
            Some(json!({"kind": "wrong_content_type", "count": 1}))
        );
        let none = serde_json::to_value(FaultSetting::default());
        assert_eq!(none.ok(), Some(json!({"kind": "none"})));
    }

    #[test]
    fn a_counted_fault_wears_off() {
        let switch = FaultSwitch::default();
        switch.set(FaultSetting::times(Fault::Garbage, 2));
        assert_eq!(switch.take(), Fault::Garbage);
        assert_eq!(switch.get(), FaultSetting::times(Fault::Garbage, 1));
        assert_eq!(switch.take(), Fault::Garbage);
        assert_eq!(switch.get(), FaultSetting::default());
        assert_eq!(switch.take(), Fault::None);
    }

    #[test]
    fn an_uncounted_fault_stays_until_replaced() {
        let switch = FaultSwitch::default();
        assert_eq!(switch.take(), Fault::None);
        switch.set(FaultSetting::always(Fault::Reset));
        for _ in 0..5 {
            assert_eq!(switch.take(), Fault::Reset);
        }
        switch.set(FaultSetting::always(Fault::None));
        assert_eq!(switch.take(), Fault::None);
        switch.set(FaultSetting::times(Fault::Reset, 0));
        assert_eq!(switch.take(), Fault::None, "count 0 means none");
    }
}
