//! Twilio-shaped replies and request reading: the verification JSON, the error body
//! `{code, message, more_info, status}`, HTTP Basic credentials and form fields.

use super::state::{Refusal, Verification};
use crate::outbox::rfc3339;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::{json, Value};
use std::collections::HashMap;

/// A Twilio error reply.
pub(crate) fn error(status: StatusCode, code: u32, message: &str) -> Response {
    let body = json!({
        "code": code,
        "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
        "status": status.as_u16(),
    });
    (status, axum::Json(body)).into_response()
}

/// 400 60200 naming `parameter`.
pub(crate) fn invalid(parameter: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        60200,
        &format!("Invalid parameter: {parameter}"),
    )
}

/// The reply for a refused operation on `path`.
pub(crate) fn refused(refusal: Refusal, path: &str) -> Response {
    match refusal {
        Refusal::NotFound => error(
            StatusCode::NOT_FOUND,
            20404,
            &format!("The requested resource {path} was not found"),
        ),
        Refusal::MaxSends => error(
            StatusCode::TOO_MANY_REQUESTS,
            60203,
            "Max send attempts reached",
        ),
        Refusal::MaxChecks => error(
            StatusCode::TOO_MANY_REQUESTS,
            60202,
            "Max check attempts reached",
        ),
        Refusal::Busy => error(StatusCode::TOO_MANY_REQUESTS, 20429, "Too Many Requests"),
    }
}

/// 401 20003: no Basic credentials, or an empty Account SID or Auth Token.
pub(crate) fn unauthorised() -> Response {
    error(StatusCode::UNAUTHORIZED, 20003, "Authenticate")
}

/// The Basic user name (the Account SID) when both it and the password are non-empty: the
/// emulator checks presence, not identity, as it does for the Vonage APIs.
pub(crate) fn account_sid(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credentials) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(credentials.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (user, password) = decoded.split_once(':')?;
    (!user.is_empty() && !password.is_empty()).then(|| user.to_owned())
}

/// A form body's fields (the last value wins for a repeated name).
pub(crate) fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// `+` and 7 to 15 digits without a leading zero.
pub(crate) fn valid_e164(to: &str) -> bool {
    to.strip_prefix('+').is_some_and(crate::valid_number)
}

/// A language tag such as `en`, `en-GB`, `pt-BR`, `zh-HK`.
pub(crate) fn valid_locale(locale: &str) -> bool {
    let mut parts = locale.split('-');
    let language = parts.next().unwrap_or("");
    let region_ok = parts
        .next()
        .is_none_or(|r| (2..=4).contains(&r.len()) && r.chars().all(|c| c.is_ascii_alphanumeric()));
    (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && region_ok
        && parts.next().is_none()
}

/// Where the request says it came to, for the `url` field.
pub(crate) fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("verify.twilio.com");
    format!("http://{host}")
}

/// What a verification reply is for: a Verification resource (with its deliveries and URL)
/// or a VerificationCheck.
pub(crate) enum Shape<'a> {
    Verification { base: &'a str },
    Check,
}

/// The verification resource as Twilio returns it.
pub(crate) fn verification(v: &Verification, service: &str, account: &str, shape: Shape) -> Value {
    let mut body = json!({
        "sid": v.sid,
        "service_sid": service,
        "account_sid": account,
        "to": v.to,
        "channel": v.channel.as_str(),
        "status": v.status,
        "valid": v.status == "approved",
        "amount": null,
        "payee": null,
        "date_created": rfc3339(v.created_at),
        "date_updated": rfc3339(v.updated_at),
    });
    if let (Shape::Verification { base }, Some(map)) = (shape, body.as_object_mut()) {
        let attempts: Vec<Value> = v
            .attempts
            .iter()
            .map(|(at, channel, sid)| {
                json!({"time": rfc3339(*at), "channel": channel.as_str(), "attempt_sid": sid})
            })
            .collect();
        map.insert("send_code_attempts".into(), Value::Array(attempts));
        map.insert("lookup".into(), json!({}));
        map.insert("sna".into(), Value::Null);
        map.insert(
            "url".into(),
            Value::String(format!(
                "{base}/v2/Services/{service}/Verifications/{}",
                v.sid
            )),
        );
    }
    body
}
