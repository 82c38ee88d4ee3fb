//! `GET|POST|DELETE /dev/reachability` (the contract is in [`super`]).

use super::ReachabilitySetting;
use crate::problem::problem;
use crate::state::EmulatorState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value};
use std::sync::Arc;

pub(crate) fn routes() -> Router<Arc<EmulatorState>> {
    Router::new().route("/dev/reachability", get(read).post(change).delete(reset))
}

async fn read(State(state): State<Arc<EmulatorState>>) -> Response {
    reply(state.reachability())
}

async fn change(State(state): State<Arc<EmulatorState>>, body: Bytes) -> Response {
    let applied = serde_json::from_slice::<ReachabilitySetting>(&body)
        .map_err(|e| {
            format!("expected {{\"number\"?, \"rcs\"?, \"whatsapp\"?, \"silent_auth\"?}}: {e}")
        })
        .and_then(|setting| state.set_reachability(&setting));
    match applied {
        Ok(view) => reply(view),
        Err(detail) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-params",
            "Invalid reachability setting",
            detail,
            Map::new(),
        ),
    }
}

async fn reset(State(state): State<Arc<EmulatorState>>) -> Response {
    reply(state.reset_reachability())
}

fn reply(view: Value) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Json(view)).into_response()
}
