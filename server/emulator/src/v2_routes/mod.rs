//! Verify v2 over HTTP: `POST /v2/verify`, `POST /v2/verify/{id}`, `DELETE /v2/verify/{id}`,
//! `POST /v2/verify/{id}/next_workflow`, and the device's `GET` of a silent-authentication
//! `check_url`. Errors are RFC 7807 `application/problem+json` bodies shaped like Vonage's.
//!
//! Workflow channels (each step's `to`: E.164 digits without `+`; the first step's is the
//! request's number), else 422 `invalid-params` naming `workflow[i].<field>`:
//! - `sms`, `voice`: as Vonage (other fields ignored);
//! - `whatsapp`: `from` required (the WhatsApp Business number, E.164 without `+`), else 422
//!   naming `workflow[i].from`; delivered to the outbox as channel `whatsapp` with the SMS
//!   wording, unless the number is not on WhatsApp ([`crate::reachability`]);
//! - `rcs`: `from` (the agent id) optional; delivered as channel `rcs` with the SMS wording,
//!   unless the phone cannot receive RCS: then the step fails at once and the next step is
//!   made (outbox cause `fallback`);
//! - `silent_auth`: only as the first step (else 422 naming `workflow[i].channel`);
//!   `redirect_url` optional (an absolute http(s) URL), `sandbox` optional (a boolean,
//!   accepted and ignored). See [`check_url`] for what it does.
//!
//! Vonage's `email` and `whatsapp_interactive` channels answer 422.

pub mod check_url;
mod parse;

use super::auth;
use super::problem::{invalid_params, not_found, problem, throttled, unauthorised};
use super::state::{
    CancelOutcome, CheckOutcome, EmulatorState, NewRequest, NextOutcome, StartOutcome,
};
use super::timeline::{Api, Plan, SilentAuth};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
pub(crate) use check_url::device_routes;
use parse::parse_start;
use serde_json::{json, Map, Value};
use std::sync::Arc;

pub(crate) fn routes() -> Router<Arc<EmulatorState>> {
    Router::new()
        .route("/v2/verify", post(start))
        .route("/v2/verify/{request_id}", post(check).delete(cancel))
        .route("/v2/verify/{request_id}/next_workflow", post(next_workflow))
}

async fn start(
    State(state): State<Arc<EmulatorState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(detail) = auth::v2(&state, &headers) {
        return unauthorised(detail);
    }
    let parsed = match parse_start(&body, state.config().code_ttl) {
        Ok(parsed) => parsed,
        Err(invalid) => {
            return invalid_params(invalid.iter().map(|(n, r)| (n.as_str(), *r)).collect())
        }
    };
    let silent_auth = parsed
        .silent_auth
        .map(|redirect_url| SilentAuth::new(check_url::new_token(), redirect_url));
    let token = silent_auth.as_ref().map(|s| s.token.clone());
    let request = NewRequest {
        to: &parsed.to,
        brand: &parsed.brand,
        code_length: parsed.code_length,
        plan: Plan::every(&parsed.workflow, parsed.channel_timeout),
        api: Api::V2,
        locale: parsed.locale.as_deref(),
        silent_auth,
    };
    match state.start(&request) {
        StartOutcome::Started { request_id } => {
            let mut body = json!({ "request_id": request_id });
            if let Some(token) = token {
                body["check_url"] = Value::String(check_url::url(&headers, &request_id, &token));
            }
            (StatusCode::ACCEPTED, axum::Json(body)).into_response()
        }
        StartOutcome::Concurrent { request_id } => problem(
            StatusCode::CONFLICT,
            "conflict",
            "Conflict",
            "Concurrent verifications to the same number are not allowed".to_owned(),
            [("request_id".to_owned(), Value::String(request_id))]
                .into_iter()
                .collect(),
        ),
        StartOutcome::Busy => throttled(),
    }
}

async fn check(
    State(state): State<Arc<EmulatorState>>,
    Path(request_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(detail) = auth::v2(&state, &headers) {
        return unauthorised(detail);
    }
    let code = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("code").and_then(Value::as_str).map(str::to_owned));
    let code = match code {
        Some(code)
            if (4..=10).contains(&code.len())
                && code.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            code
        }
        _ => return invalid_params(vec![("code", "must be 4 to 10 letters or digits")]),
    };
    match state.check(&request_id, &code) {
        CheckOutcome::Verified => (
            StatusCode::OK,
            axum::Json(json!({ "request_id": request_id, "status": "completed" })),
        )
            .into_response(),
        CheckOutcome::WrongCode => problem(
            StatusCode::BAD_REQUEST,
            "invalid-code",
            "Invalid Code",
            "The code you provided does not match the expected value.".to_owned(),
            Map::new(),
        ),
        CheckOutcome::TooManyAttempts => problem(
            StatusCode::GONE,
            "expired",
            "Invalid Code",
            "An incorrect code has been provided too many times. Workflow terminated.".to_owned(),
            Map::new(),
        ),
        CheckOutcome::NoCode => problem(
            StatusCode::CONFLICT,
            "no-code",
            "Conflict",
            "The current Verify workflow step does not support a code.".to_owned(),
            Map::new(),
        ),
        CheckOutcome::NotFound => not_found(&request_id),
    }
}

async fn cancel(
    State(state): State<Arc<EmulatorState>>,
    Path(request_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(detail) = auth::v2(&state, &headers) {
        return unauthorised(detail);
    }
    match state.cancel(&request_id) {
        CancelOutcome::Cancelled => StatusCode::NO_CONTENT.into_response(),
        // `TooSoon` and `TooLate` only come from the v1 rules.
        CancelOutcome::TooSoon | CancelOutcome::TooLate | CancelOutcome::NotFound => {
            not_found(&request_id)
        }
    }
}

/// Moves to the next channel: 200 with an empty body, 409 when none is left, 404 when the
/// request is not live.
async fn next_workflow(
    State(state): State<Arc<EmulatorState>>,
    Path(request_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(detail) = auth::v2(&state, &headers) {
        return unauthorised(detail);
    }
    match state.next_channel(&request_id) {
        NextOutcome::Sent(_) => StatusCode::OK.into_response(),
        NextOutcome::NothingLeft => problem(
            StatusCode::CONFLICT,
            "no-events",
            "Conflict",
            "There are no more events left to trigger.".to_owned(),
            Map::new(),
        ),
        NextOutcome::NotFound => not_found(&request_id),
    }
}
