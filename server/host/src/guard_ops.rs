//! The fraud guard's operator endpoints, served only on `OPS_ADDR` (never on the site's
//! port): `GET /guard/blocks` lists the blocks in force, `DELETE /guard/blocks/{scope}` lifts
//! one (its counts start afresh).

use app_core::auth::server::guard::FraudGuard;
use app_core::auth::server::StoreError;
use app_core::clock::{unix_seconds, Clock};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde_json::json;
use std::sync::Arc;

/// What the endpoints need.
#[derive(Clone)]
pub struct GuardOps {
    /// The guard whose blocks are shown and lifted.
    pub guard: FraudGuard,
    /// The app's clock (blocks are timed by it).
    pub clock: Arc<dyn Clock>,
}

/// The two endpoints.
pub fn routes(ops: GuardOps) -> Router {
    Router::new()
        .route("/guard/blocks", get(list))
        .route("/guard/blocks/{scope}", delete(lift))
        .with_state(ops)
}

fn store_failed(error: StoreError) -> Response {
    tracing::error!(%error, "guard store failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "error": "store unavailable" })),
    )
        .into_response()
}

/// `{"mode": "enforce", "now": …, "blocks": [{"scope", "since", "until", "strikes",
/// "sends", "verified"}]}`.
async fn list(State(ops): State<GuardOps>) -> Response {
    let now = unix_seconds(ops.clock.now());
    match ops.guard.blocks(now).await {
        Ok(blocks) => Json(json!({
            "mode": ops.guard.mode().label(),
            "now": now,
            "blocks": blocks,
        }))
        .into_response(),
        Err(error) => store_failed(error),
    }
}

/// 200 `{"lifted": true}` when a block was in force, 404 `{"lifted": false}` otherwise;
/// either way the scope's counts start afresh.
async fn lift(State(ops): State<GuardOps>, Path(scope): Path<String>) -> Response {
    if !(scope.starts_with("country:") || scope.starts_with("prefix:+")) {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "a scope is country:XX or prefix:+DIGITS" })),
        )
            .into_response();
    }
    let now = unix_seconds(ops.clock.now());
    match ops.guard.lift(&scope, now).await {
        Ok(true) => Json(json!({ "lifted": true })).into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, Json(json!({ "lifted": false }))).into_response(),
        Err(error) => store_failed(error),
    }
}
