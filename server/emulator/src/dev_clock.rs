//! The emulator's controllable time, for the standalone/dev emulator: `GET /dev/clock` shows
//! it, `POST /dev/clock` with `{"advance_secs": N}` (0 < N ≤ [`MAX_ADVANCE_SECS`]) moves it
//! forward. Both answer 200 `{"now": "<RFC 3339 UTC>", "offset_secs": <whole offset>}`; a bad
//! body answers 422 `application/problem+json`. The offset adds to the injected clock and
//! never goes back; due events then happen (stamped with their due times) on the next look.

use super::problem::problem;
use super::state::EmulatorState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map};
use std::sync::Arc;
use std::time::Duration;

/// Largest single step accepted by `POST /dev/clock`: one day.
pub const MAX_ADVANCE_SECS: u64 = 86_400;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceBody {
    advance_secs: u64,
}

/// `GET /dev/clock` and `POST /dev/clock`.
pub(crate) fn routes() -> Router<Arc<EmulatorState>> {
    Router::new().route("/dev/clock", get(read).post(advance))
}

async fn read(State(state): State<Arc<EmulatorState>>) -> Response {
    let now = state.now_rfc3339();
    reply(now, state.offset())
}

async fn advance(State(state): State<Arc<EmulatorState>>, body: Bytes) -> Response {
    let step = serde_json::from_slice::<AdvanceBody>(&body)
        .ok()
        .map(|b| b.advance_secs)
        .filter(|secs| (1..=MAX_ADVANCE_SECS).contains(secs));
    let Some(secs) = step else {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-params",
            "Invalid clock step",
            format!("expected {{\"advance_secs\": N}} with N from 1 to {MAX_ADVANCE_SECS}"),
            Map::new(),
        );
    };
    let (now, offset) = state.advance(Duration::from_secs(secs));
    tracing::info!(target: "emulator", secs, offset_secs = offset.as_secs(), "emulator clock advanced");
    reply(super::outbox::rfc3339(now), offset)
}

fn reply(now: String, offset: Duration) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "now": now, "offset_secs": offset.as_secs() })),
    )
        .into_response()
}
