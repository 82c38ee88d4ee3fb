//! Verify v2 error replies: RFC 7807 `application/problem+json` bodies with `type`, `title`,
//! `detail` and `instance` (a fresh UUID), worded like Vonage's.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

/// A problem reply; `extra` fields (such as `request_id`) are added to the body.
pub(crate) fn problem(
    status: StatusCode,
    slug: &str,
    title: &str,
    detail: String,
    extra: Map<String, Value>,
) -> Response {
    let mut body = Map::new();
    body.insert(
        "type".into(),
        Value::String(format!(
            "https://developer.vonage.com/api-errors/verify#{slug}"
        )),
    );
    body.insert("title".into(), Value::String(title.to_owned()));
    body.insert("detail".into(), Value::String(detail));
    body.insert(
        "instance".into(),
        Value::String(uuid::Uuid::new_v4().to_string()),
    );
    body.extend(extra);
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        Value::Object(body).to_string(),
    )
        .into_response()
}

/// Vonage's 401 `detail` for a missing or wrong key, secret or token.
pub(crate) const WRONG_CREDENTIALS: &str = "You did not provide correct credentials.";

/// 401 with `detail` (Vonage's own is [`WRONG_CREDENTIALS`]).
pub(crate) fn unauthorised(detail: String) -> Response {
    problem(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Unauthorized",
        detail,
        Map::new(),
    )
}

pub(crate) fn throttled() -> Response {
    problem(
        StatusCode::TOO_MANY_REQUESTS,
        "rate-limit",
        "Rate Limit Hit",
        "Please wait, then retry your request".to_owned(),
        Map::new(),
    )
}

pub(crate) fn not_found(request_id: &str) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not Found",
        format!("Request {request_id} was not found or it has been verified already."),
        Map::new(),
    )
}

pub(crate) fn invalid_params(invalid: Vec<(&str, &str)>) -> Response {
    let list = invalid
        .into_iter()
        .map(|(name, reason)| json!({ "name": name, "reason": reason }))
        .collect();
    problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid-params",
        "Invalid params",
        "The value of one or more parameters is invalid".to_owned(),
        [("invalid_parameters".to_owned(), Value::Array(list))]
            .into_iter()
            .collect(),
    )
}
