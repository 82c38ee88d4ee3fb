//! No caching of personal answers: every HTML page (it may show a number or a code step)
//! and every server-function or developer answer carries `Cache-Control: no-store`, so
//! neither a shared proxy nor the browser's history keeps it. Static files keep whatever
//! caching their own layer sets.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Middleware: `Cache-Control: no-store` on HTML and on `/api/` and `/dev/` answers.
pub async fn no_store_for_personal_answers(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let personal_path = path.starts_with("/api/") || path.starts_with("/dev/");
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if personal_path || html {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
