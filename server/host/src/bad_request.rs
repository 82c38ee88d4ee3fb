//! Server functions whose input cannot even be decoded (missing field, bad encoding) never
//! run their body, so the framework answers 500. That is the client's fault, not ours:
//! answer 400 with the same `BadRequest` JSON instead.

use axum::body::{to_bytes, Body};
use axum::http::StatusCode;
use axum::response::Response;

/// Header server_fn puts on error responses.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// The JSON of `AuthError::BadRequest`.
const BAD_REQUEST_BODY: &[u8] = br#""BadRequest""#;

/// Response mapper: a server-function 500 whose body is `"BadRequest"` becomes a 400.
pub async fn undecodable_input_is_400(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Error bodies are tiny JSON enums; anything bigger is passed on unread-as-is.
    let bytes = match to_bytes(body, 4096).await {
        Ok(bytes) => bytes,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    if bytes.as_ref() == BAD_REQUEST_BODY {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}
