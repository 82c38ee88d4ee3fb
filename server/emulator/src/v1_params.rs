//! How a Verify v1 call is read, as Vonage accepts it: parameters from the query string and
//! from a form (`application/x-www-form-urlencoded`) or JSON (`application/json`, what
//! Vonage's current SDKs send) body, the body winning on a clash; credentials from the
//! `api_key` / `api_secret` parameters or, when neither is given, from an HTTP Basic
//! `Authorization` header.

use super::auth::{presented, Presented};
use super::state::EmulatorState;
use axum::http::{header, HeaderMap, Uri};
use serde_json::{json, Value};
use std::collections::HashMap;

/// A call's parameters by name (one value each; the last one wins).
pub(crate) type Params = HashMap<String, String>;

/// Query-string parameters, then the body's (form or JSON by `Content-Type`). JSON strings,
/// numbers and booleans become their text; `null` counts as absent. `Err` is the v1 error
/// reply: status "3" for a JSON body that is not an object of such values.
pub(crate) fn params(uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Result<Params, Value> {
    let query = uri.query().unwrap_or("").as_bytes();
    let mut params: Params = url::form_urlencoded::parse(query).into_owned().collect();
    if is_json(headers) {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(params);
        }
        let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
            return Err(invalid("body"));
        };
        for (name, value) in fields {
            let text = match value {
                Value::Null => continue,
                Value::String(text) => text,
                Value::Number(number) => number.to_string(),
                Value::Bool(flag) => flag.to_string(),
                Value::Array(_) | Value::Object(_) => return Err(invalid(&name)),
            };
            params.insert(name, text);
        }
    } else {
        params.extend(url::form_urlencoded::parse(body).into_owned());
    }
    Ok(params)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|essence| essence.trim().to_ascii_lowercase())
        .is_some_and(|essence| essence == "application/json" || essence.ends_with("+json"))
}

/// `api_key` / `api_secret` from the parameters when either is there, else HTTP Basic.
/// Missing credentials are status "2"; a pair other than the configured one (empty values,
/// a Bearer token or an unreadable header included) is status "4" `Bad credentials`.
pub(crate) fn credentials(
    state: &EmulatorState,
    params: &Params,
    headers: &HeaderMap,
) -> Result<(), Value> {
    let bad = || json!({ "status": "4", "error_text": "Bad credentials" });
    if params.contains_key("api_key") || params.contains_key("api_secret") {
        let key = params.get("api_key").ok_or_else(|| missing("api_key"))?;
        let secret = params
            .get("api_secret")
            .ok_or_else(|| missing("api_secret"))?;
        return if state.accepts(key, secret) {
            Ok(())
        } else {
            Err(bad())
        };
    }
    match presented(headers) {
        Presented::Nothing => Err(missing("api_key")),
        Presented::Basic { key, secret } if state.accepts(&key, &secret) => Ok(()),
        Presented::Basic { .. } | Presented::Bearer(_) | Presented::Unreadable => Err(bad()),
    }
}

/// A non-empty parameter, else status "2" naming it.
pub(crate) fn required<'a>(params: &'a Params, name: &str) -> Result<&'a str, Value> {
    match params.get(name) {
        Some(value) if !value.is_empty() => Ok(value),
        _ => Err(missing(name)),
    }
}

fn missing(name: &str) -> Value {
    json!({
        "status": "2",
        "error_text": format!("Your request is incomplete and missing the mandatory parameter {name}"),
    })
}

/// Status "3" naming the parameter.
pub(crate) fn invalid(name: &str) -> Value {
    json!({ "status": "3", "error_text": format!("Invalid value for parameter {name}") })
}
