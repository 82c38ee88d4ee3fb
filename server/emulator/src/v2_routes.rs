//! Verify v2 over HTTP: `POST /v2/verify`, `POST /v2/verify/{id}`, `DELETE /v2/verify/{id}`,
//! `POST /v2/verify/{id}/next_workflow`.
//! Errors are RFC 7807 `application/problem+json` bodies shaped like Vonage's.

use super::auth;
use super::problem::{invalid_params, not_found, problem, throttled, unauthorised};
use super::state::{
    CancelOutcome, CheckOutcome, EmulatorState, NewRequest, NextOutcome, StartOutcome,
};
use super::timeline::{Api, Channel, Plan};
use super::valid_number;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::Duration;

const BRAND_MAX_CHARS: usize = 16;
/// `channel_timeout` range, seconds.
const CHANNEL_TIMEOUT_SECS: std::ops::RangeInclusive<u64> = 15..=900;
const DEFAULT_CODE_LENGTH: u64 = 4;

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
        Err(invalid) => return invalid_params(invalid),
    };
    let request = NewRequest {
        to: &parsed.to,
        brand: &parsed.brand,
        code_length: parsed.code_length,
        plan: Plan::every(&parsed.workflow, parsed.channel_timeout),
        api: Api::V2,
        locale: parsed.locale.as_deref(),
    };
    match state.start(&request) {
        StartOutcome::Started { request_id } => (
            StatusCode::ACCEPTED,
            axum::Json(json!({ "request_id": request_id })),
        )
            .into_response(),
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

struct ParsedStart {
    to: String,
    brand: String,
    code_length: usize,
    /// Every step's channel, in order (the first step's `to` is the request's number).
    workflow: Vec<Channel>,
    /// How long each channel waits before the next starts (or the request ends).
    channel_timeout: Duration,
    /// `locale`, as sent.
    locale: Option<String>,
}

/// Validates a start body; a missing `channel_timeout` is `default_timeout`. `Err` lists
/// `(parameter, reason)` pairs.
fn parse_start(
    body: &[u8],
    default_timeout: Duration,
) -> Result<ParsedStart, Vec<(&'static str, &'static str)>> {
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(body) else {
        return Err(vec![("body", "must be a JSON object")]);
    };
    let mut invalid = Vec::new();
    let brand = match body.get("brand").and_then(Value::as_str) {
        Some(b) if !b.is_empty() && b.chars().count() <= BRAND_MAX_CHARS => b.to_owned(),
        _ => {
            invalid.push(("brand", "must be 1 to 16 characters"));
            String::new()
        }
    };
    let code_length = match body.get("code_length") {
        None => DEFAULT_CODE_LENGTH,
        Some(v) => match v.as_u64() {
            Some(n) if (4..=10).contains(&n) => n,
            _ => {
                invalid.push(("code_length", "must be an integer from 4 to 10"));
                DEFAULT_CODE_LENGTH
            }
        },
    };
    let channel_timeout = match body.get("channel_timeout") {
        None => default_timeout,
        Some(v) => match v.as_u64() {
            Some(secs) if CHANNEL_TIMEOUT_SECS.contains(&secs) => Duration::from_secs(secs),
            _ => {
                invalid.push(("channel_timeout", "must be an integer from 15 to 900"));
                default_timeout
            }
        },
    };
    let locale = match body.get("locale") {
        None => None,
        Some(Value::String(locale)) => Some(locale.clone()),
        Some(_) => {
            invalid.push(("locale", "must be a string"));
            None
        }
    };
    let steps = body
        .get("workflow")
        .and_then(Value::as_array)
        .filter(|w| !w.is_empty());
    let Some(steps) = steps else {
        invalid.push(("workflow", "must be a non-empty array"));
        return Err(invalid);
    };
    let mut first = None;
    let mut workflow = Vec::with_capacity(steps.len());
    for step in steps {
        let channel = match step.get("channel").and_then(Value::as_str) {
            Some("sms") => Channel::Sms,
            Some("voice") => Channel::Voice,
            _ => {
                invalid.push(("workflow.channel", "the emulator supports sms and voice"));
                continue;
            }
        };
        match step.get("to").and_then(Value::as_str) {
            Some(to) if valid_number(to) => {
                first.get_or_insert_with(|| to.to_owned());
                workflow.push(channel);
            }
            _ => invalid.push(("workflow.to", "must be an E.164 number without +")),
        }
    }
    match first {
        Some(to) if invalid.is_empty() => Ok(ParsedStart {
            to,
            brand,
            // Bounded to 4..=10 above.
            code_length: usize::try_from(code_length).unwrap_or(4),
            workflow,
            channel_timeout,
            locale,
        }),
        _ => Err(invalid),
    }
}
