//! Verify v1 ("legacy") over HTTP: `/verify/json`, `/verify/check/json` and
//! `/verify/control/json` (`cmd=trigger_next_event` / `cmd=cancel`), GET or POST,
//! parameters and credentials read as [`super::v1_params`] says. Like Vonage, every answer is
//! HTTP 200 with a string `status` ("0" = success) and an `error_text` otherwise.

use super::state::{
    CancelOutcome, CheckOutcome, EmulatorState, NewRequest, NextOutcome, StartOutcome,
};
use super::timeline::Api;
use super::v1_params::{credentials, invalid, params, required, Params};
use super::v1_timing::{self, TimingParams};
use super::valid_number;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;

const BRAND_MAX_CHARS: usize = 18;
const MAX_REQUEST_ID_CHARS: usize = 32;

pub(crate) fn routes() -> Router<Arc<EmulatorState>> {
    Router::new()
        .route("/verify/json", get(start).post(start))
        .route("/verify/check/json", get(check).post(check))
        .route("/verify/control/json", get(control).post(control))
}

async fn start(
    State(state): State<Arc<EmulatorState>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Json<Value> {
    Json(answer(&state, (&uri, &headers, &body), start_reply))
}

async fn check(
    State(state): State<Arc<EmulatorState>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Json<Value> {
    Json(answer(&state, (&uri, &headers, &body), check_reply))
}

async fn control(
    State(state): State<Arc<EmulatorState>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Json<Value> {
    Json(answer(&state, (&uri, &headers, &body), control_reply))
}

/// Reads a call's parameters and credentials, then answers with `reply`; both arms of its
/// result are sent with HTTP 200, as Vonage does.
fn answer(
    state: &EmulatorState,
    (uri, headers, body): (&Uri, &HeaderMap, &[u8]),
    reply: fn(&EmulatorState, &Params) -> Result<Value, Value>,
) -> Value {
    params(uri, headers, body)
        .and_then(|params| {
            credentials(state, &params, headers)?;
            reply(state, &params)
        })
        .unwrap_or_else(|error| error)
}

/// `Err` is an error reply body.
fn start_reply(state: &EmulatorState, params: &Params) -> Result<Value, Value> {
    let number = required(params, "number")?;
    let brand = required(params, "brand")?;
    if !valid_number(number) {
        return Err(invalid("number"));
    }
    if brand.chars().count() > BRAND_MAX_CHARS {
        return Err(invalid("brand"));
    }
    let code_length = match params.get("code_length").map(String::as_str) {
        None | Some("4") => 4,
        Some("6") => 6,
        Some(_) => return Err(invalid("code_length")),
    };
    let timing = TimingParams {
        workflow_id: params.get("workflow_id").map(String::as_str),
        pin_expiry: params.get("pin_expiry").map(String::as_str),
        next_event_wait: params.get("next_event_wait").map(String::as_str),
    };
    let plan = v1_timing::plan(timing, state.config().code_ttl).map_err(invalid)?;
    let request = NewRequest {
        to: number,
        brand,
        code_length,
        plan,
        api: Api::V1,
        locale: params
            .get("lg")
            .map(String::as_str)
            .filter(|lg| !lg.is_empty()),
        silent_auth: None,
    };
    match state.start(&request) {
        StartOutcome::Started { request_id } => {
            Ok(json!({ "request_id": request_id, "status": "0" }))
        }
        StartOutcome::Concurrent { request_id } => Err(json!({
            "request_id": request_id,
            "status": "10",
            "error_text": "Concurrent verifications to the same number are not allowed",
        })),
        StartOutcome::Busy => Err(json!({ "status": "1", "error_text": "Throttled" })),
    }
}

fn check_reply(state: &EmulatorState, params: &Params) -> Result<Value, Value> {
    let request_id = required(params, "request_id")?;
    let code = required(params, "code")?;
    if request_id.chars().count() > MAX_REQUEST_ID_CHARS {
        return Err(json!({ "status": "3", "error_text": "Invalid value for param: request_id" }));
    }
    match state.check(request_id, code) {
        CheckOutcome::Verified => Ok(json!({
            "request_id": request_id,
            "event_id": uuid::Uuid::new_v4().simple().to_string(),
            "status": "0",
            "price": "0.10000000",
            "currency": "EUR",
        })),
        CheckOutcome::WrongCode => Err(json!({
            "request_id": request_id,
            "status": "16",
            "error_text": "The code provided does not match the expected value",
        })),
        CheckOutcome::TooManyAttempts => Err(json!({
            "request_id": request_id,
            "status": "17",
            "error_text": "The wrong code was provided too many times. Request terminated",
        })),
        // v1 has no silent authentication, so no step ever waits for a device.
        CheckOutcome::NotFound | CheckOutcome::NoCode => Err(json!({
            "request_id": request_id,
            "status": "6",
            "error_text": format!(
                "The Vonage platform was unable to process this message for the following \
                 reason: Request '{request_id}' was not found or it has been verified already."
            ),
        })),
    }
}

/// `cmd=trigger_next_event` moves to the next event of the workflow; `cmd=cancel` ends the
/// request under the v1 rules (not within 30 s, not after the second event). Both answer
/// `{status: "0", command}`, "19" when refused, "6" for a request that is not live.
fn control_reply(state: &EmulatorState, params: &Params) -> Result<Value, Value> {
    let request_id = required(params, "request_id")?;
    let cmd = required(params, "cmd")?;
    if request_id.chars().count() > MAX_REQUEST_ID_CHARS {
        return Err(json!({ "status": "3", "error_text": "Invalid value for param: request_id" }));
    }
    let refused = |error_text: String| json!({ "status": "19", "error_text": error_text });
    let not_found = || {
        json!({
            "status": "6",
            "error_text": format!(
                "The requestId '{request_id}' does not exist or its no longer active."
            ),
        })
    };
    match cmd {
        "trigger_next_event" => match state.next_channel(request_id) {
            NextOutcome::Sent(_) => Ok(json!({ "status": "0", "command": cmd })),
            NextOutcome::NothingLeft => Err(refused(format!(
                "No more events are left to execute for the request ['{request_id}']"
            ))),
            NextOutcome::NotFound => Err(not_found()),
        },
        "cancel" => match state.cancel(request_id) {
            CancelOutcome::Cancelled => Ok(json!({ "status": "0", "command": cmd })),
            CancelOutcome::TooSoon => Err(refused(format!(
                "Verification request ['{request_id}'] can't be cancelled within the first \
                 30 seconds."
            ))),
            CancelOutcome::TooLate => Err(refused(format!(
                "Verification request ['{request_id}'] can't be cancelled now. Too many \
                 attempts to re-deliver have already been made."
            ))),
            CancelOutcome::NotFound => Err(not_found()),
        },
        _ => Err(invalid("cmd")),
    }
}
