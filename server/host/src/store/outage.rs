//! When the session store cannot save at the end of a request, `tower-sessions` answers an
//! empty 500. Users and API clients get a clear 503 instead: a short page for browsers, the
//! `TemporarilyUnavailable` JSON error for server-function callers, both with `Retry-After`.

use app_core::auth::AuthError;
use app_core::i18n::{td_string, Locale};
use app_core::language;
use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use leptos_i18n::display::DisplayComp;

/// Seconds a client should wait before retrying; the store reconnects well within this.
const RETRY_AFTER_SECS: u32 = 5;
/// Header server functions use to mark an error body (value: the function's path).
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";

/// Middleware (outside the session layer): an empty 500 becomes a 503 that says what happened.
pub async fn store_failure_is_503(
    State(default_language): State<Locale>,
    request: Request,
    next: Next,
) -> Response {
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let path = request.uri().path().to_owned();
    let locale = request_locale(request.headers(), default_language);
    let response = next.run(request).await;
    let empty_500 = response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && !response.headers().contains_key(header::CONTENT_TYPE)
        && response.body().size_hint().exact() == Some(0);
    if !empty_500 {
        return response;
    }
    metrics::counter!(app_core::auth::server::metrics_names::STORE_ERRORS).increment(1);
    unavailable(wants_html, &path, locale)
}

fn unavailable(wants_html: bool, path: &str, locale: Locale) -> Response {
    let error = AuthError::TemporarilyUnavailable;
    let (content_type, body) = if wants_html {
        (
            "text/html; charset=utf-8",
            Body::from(page(locale, &error.message(locale))),
        )
    } else {
        (
            "application/json",
            Body::from(serde_json::to_vec(&error).unwrap_or_default()),
        )
    };
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !wants_html && path.starts_with("/api/") {
        if let Ok(value) = HeaderValue::from_str(path) {
            headers.insert(SERVER_FN_ERROR_HEADER, value);
        }
    }
    response
}

/// The visitor's language, as the pages choose it (the `lang` cookie, else
/// `Accept-Language`).
fn request_locale(headers: &axum::http::HeaderMap, default_language: Locale) -> Locale {
    language::headers_language(headers).unwrap_or(default_language)
}

/// A page with no script or external resource, so it renders under any CSP and outage, in
/// the visitor's language.
fn page(locale: Locale, message: &str) -> String {
    let start_over = DisplayComp::new("a", &[("href", "/login")]);
    let title = td_string!(locale, outage.title);
    let back = td_string!(locale, outage.back, <start> = start_over);
    let dir = if language::is_rtl(locale) {
        "rtl"
    } else {
        "ltr"
    };
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Passwordless</title></head><body><main>\
         <h1>{title}</h1><p role=\"alert\">{message}</p><p>{back}</p></main></body></html>",
        lang = language::tag(locale),
    )
}
