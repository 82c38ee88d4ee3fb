//! A fresh request id per request (never taken from the client, so logs cannot be forged
//! through it), put on the request for the trace span and echoed in `x-request-id` so a user
//! report can be matched with the log.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The header carrying the id, on the request (for the span) and the response.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Middleware: replaces any client-sent `x-request-id` with a new UUID v4.
pub async fn assign_request_id(mut request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("-"));
    request
        .headers_mut()
        .insert(REQUEST_ID.clone(), value.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(REQUEST_ID.clone(), value);
    response
}
