//! Server-function bodies are small forms. Every `/api/` body is read in full before the
//! handler runs (so a refused or unrouted request never leaves unread bytes that force the
//! connection closed), and bodies over 64 KiB are refused with 413.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Largest body a server function accepts.
const ACCEPTED: usize = 64 * 1024;
/// Largest body read (and discarded) to answer 413 on a healthy connection; beyond it the
/// connection is dropped.
const DRAINED: usize = 2 * 1024 * 1024;

/// Middleware: buffers `/api/` request bodies, answering 413 for oversize ones.
pub async fn buffer_api_bodies(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match to_bytes(body, DRAINED).await {
        Ok(bytes) if bytes.len() <= ACCEPTED => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => (StatusCode::PAYLOAD_TOO_LARGE, "Request too large.").into_response(),
    }
}
