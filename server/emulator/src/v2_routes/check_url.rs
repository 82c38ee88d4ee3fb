//! Silent authentication: the `check_url` a start answers when its first channel is
//! `silent_auth`, and what the device gets when it opens it.
//!
//! Contract:
//! - the start answers 202 `{request_id, check_url}` with `check_url` =
//!   `http://{Host}/v2/verify/{request_id}/silent-auth/{token}` (the start's own `Host`
//!   header; `token` 32 random hex digits). Nothing is sent while the step waits; a code
//!   check then answers 409 `no-code` (as Vonage documents) and counts nothing;
//! - `GET check_url` (no credentials: it stands for the device on its mobile network; the
//!   fault switch never reaches it) while the silent step is current:
//!   - success (default): the step completes and the device gets the request's code: 302
//!     `Location: {redirect_url}#request_id={id}&code={code}` when the start gave a
//!     `redirect_url` (as Vonage's SDKs document the final redirect), else 200
//!     `{"request_id", "code"}` (Vonage's `SilentAuthConfirmationSuccess`). The outbox gets a
//!     `silent_auth` entry with the code (cause `check_url`; nothing is sent). Nothing more
//!     is sent by itself; `POST /v2/verify/{id}` with the code then completes the request
//!     once, and the request ends one `channel_timeout` after the GET if nobody checks;
//!   - failure (the number is listed in `EMULATOR_SILENT_AUTH_FAIL` /
//!     [`EmulatorConfig::silent_auth_fails`](crate::EmulatorConfig::silent_auth_fails), or
//!     switched with `POST /dev/reachability {"silent_auth": false}`): the step fails and the
//!     next step is made at once (outbox cause `fallback`; with none left the request ends).
//!     The device gets 302 `Location: {redirect_url}#error=silent_auth_failed&request_id={id}`,
//!     or without `redirect_url` 403 `application/problem+json` (`type …#silent-auth-failed`,
//!     `title` `Silent Authentication Failed`, plus `request_id`). Vonage does not document
//!     what the device gets on failure: this shape is the emulator's assumption;
//! - the token works once: a second GET, or a GET once the step is over (its
//!   `channel_timeout` elapsed, `next_workflow`, failure), answers 409 `conflict`; a wrong
//!   token or a request that is not live answers 404 `not-found`;
//! - if nobody opens `check_url`, the step's `channel_timeout` moves on to the next step like
//!   any other (Vonage fixes it at 60 s for silent authentication; the emulator uses the
//!   request's `channel_timeout`).

use crate::problem::{not_found, problem};
use crate::state::{CheckUrlOutcome, EmulatorState};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The device's route, kept apart from the API routes so the fault switch never reaches it.
pub(crate) fn device_routes() -> Router<Arc<EmulatorState>> {
    Router::new().route(
        "/v2/verify/{request_id}/silent-auth/{token}",
        get(open_check_url),
    )
}

/// A fresh single-use token: 32 random hex digits.
pub(super) fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The absolute `check_url` on this emulator, from the start's `Host` header (`127.0.0.1`
/// when it is missing or not a plain host name, address and port).
pub(super) fn url(headers: &HeaderMap, request_id: &str, token: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}/v2/verify/{request_id}/silent-auth/{token}")
}

async fn open_check_url(
    State(state): State<Arc<EmulatorState>>,
    Path((request_id, token)): Path<(String, String)>,
) -> Response {
    let mut response = match state.open_check_url(&request_id, &token) {
        CheckUrlOutcome::Completed { code, redirect_url } => match redirect_url {
            Some(url) => redirect(&url, &format!("request_id={request_id}&code={code}")),
            None => {
                let body = json!({ "request_id": request_id, "code": code });
                (StatusCode::OK, axum::Json(body)).into_response()
            }
        },
        CheckUrlOutcome::Failed { redirect_url } => match redirect_url {
            Some(url) => redirect(
                &url,
                &format!("error=silent_auth_failed&request_id={request_id}"),
            ),
            None => problem(
                StatusCode::FORBIDDEN,
                "silent-auth-failed",
                "Silent Authentication Failed",
                "The mobile network could not confirm the phone number; the next channel was \
                 used."
                    .to_owned(),
                [("request_id".to_owned(), Value::String(request_id))]
                    .into_iter()
                    .collect(),
            ),
        },
        CheckUrlOutcome::Spent => problem(
            StatusCode::CONFLICT,
            "conflict",
            "Conflict",
            "This check_url was used already or its silent authentication step is over.".to_owned(),
            Map::new(),
        ),
        CheckUrlOutcome::NotFound => not_found(&request_id),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// 302 to `url` (without any fragment it had) with `fragment`.
fn redirect(url: &str, fragment: &str) -> Response {
    let base = url.split('#').next().unwrap_or(url);
    match HeaderValue::try_from(format!("{base}#{fragment}")) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
