//! A Verify v1 upstream that answers every call with the documented success body at once,
//! so the bench measures the site, not the emulator: start `{request_id, status: "0"}`,
//! check `{request_id, event_id, status: "0", price, currency}`, control
//! `{status: "0", command}`. Served on a free loopback port inside the bench process (as an
//! nginx with fixed bodies would be on the same machine).

use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use axum::Router;

const START: &str = r#"{"request_id":"abcdef0123456789abcdef0123456789","status":"0"}"#;
const CHECK: &str = r#"{"request_id":"abcdef0123456789abcdef0123456789","event_id":"0A00000012345678","status":"0","price":"0.10000000","currency":"EUR"}"#;
const CONTROL: &str = r#"{"status":"0","command":"cancel"}"#;

fn json(body: &'static str) -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    ([(CONTENT_TYPE, "application/json")], body)
}

/// Serves the constant upstream; answers its base URL, `http://127.0.0.1:PORT`.
pub async fn serve() -> Result<String, String> {
    let app = Router::new()
        .route("/verify/json", post(|| async { json(START) }))
        .route("/verify/check/json", post(|| async { json(CHECK) }))
        .route("/verify/control/json", post(|| async { json(CONTROL) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(format!("http://{addr}"))
}
