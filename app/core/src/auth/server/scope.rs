//! Per-request plumbing for server functions: context, session, and no-JS redirects.

use super::clock::unix_seconds;
use super::{AuthContext, LoginSession, RequestFacts};
use crate::auth::{AuthError, Flash};
use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::sync::Arc;

/// The client's IP address as the server decided it (socket peer, or a trusted proxy
/// header when configured); put in request extensions by the server crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

/// The current request's [`ClientIp`], if the server provided one.
fn client_ip() -> Option<std::net::IpAddr> {
    use_context::<Parts>().and_then(|parts| parts.extensions.get::<ClientIp>().map(|ip| ip.0))
}

/// The host the request was served on: `Host` (or the URI's authority, over HTTP/2),
/// without its port.
fn served_host() -> Option<String> {
    use_context::<Parts>().and_then(|parts| {
        let header = parts
            .headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok());
        let authority = parts.uri.authority().map(|a| a.as_str());
        header
            .or(authority)
            .and_then(super::request_facts::served_host)
    })
}

/// The request's `Accept-Language` header, if any.
fn accept_language() -> Option<String> {
    use_context::<Parts>().and_then(|parts| {
        parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    })
}

/// The request's `User-Agent` header, if any (names a new passkey).
fn user_agent() -> Option<String> {
    use_context::<Parts>().and_then(|parts| {
        parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    })
}

/// The login context (provided once per request as an `Arc`), the caller's session and the
/// request's facts (address, host, languages, browser, time). Fails with
/// `ServiceUnavailable` when the server was wired without them (a deployment bug, logged).
pub async fn request_scope() -> Result<(Arc<AuthContext>, LoginSession, RequestFacts), AuthError> {
    let ctx = use_context::<Arc<AuthContext>>().ok_or_else(|| {
        tracing::error!("AuthContext missing from server function context");
        AuthError::ServiceUnavailable
    })?;
    let session = leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|error| {
            tracing::error!(%error, "session layer missing");
            AuthError::ServiceUnavailable
        })?;
    let facts = RequestFacts {
        client_ip: client_ip(),
        host: served_host(),
        accept_language: accept_language(),
        language: crate::language::request_language(),
        default_language: ctx.default_language,
        user_agent: user_agent(),
        now: unix_seconds(ctx.clock.now()),
        // Read only where it is shown (`get_login_status`), see `take_flash_cookie`.
        flash: None,
    };
    Ok((ctx, LoginSession::new(session), facts))
}

/// Keeps `flash` for the next page render in the signed flash cookie (a `Set-Cookie` on
/// this answer), not in the session: a visitor with nothing else to keep gets no stored
/// session for a message. Outside a web request, or when the message is too large for its
/// cookie (logged), nothing is kept: only the message is lost.
pub fn keep_flash(ctx: &AuthContext, facts: &RequestFacts, flash: &Flash) {
    if let (Some(options), Some(cookie)) = (
        use_context::<ResponseOptions>(),
        ctx.flash_cookies.set_cookie(flash, facts.now),
    ) {
        options.append_header(header::SET_COOKIE, cookie);
    }
}

/// For a plain form post (no JavaScript), keeps `notice` (a confirmation such as "We're
/// calling … now") for the page the post is redirected to; a hydrated page shows the answer
/// itself.
pub fn keep_notice_for_form(ctx: &AuthContext, facts: &RequestFacts, notice: &str) {
    if is_html_form_post() {
        let flash = Flash {
            notice: Some(notice.to_owned()),
            ..Flash::default()
        };
        // In the signed flash cookie; losing it only loses a confirmation line.
        keep_flash(ctx, facts, &flash);
    }
}

/// The one-shot message the request's flash cookie carries, when its signature verifies and
/// it is fresh at `now`; a present cookie (valid or not) is expired on this answer, so the
/// message shows once. Without a flash cookie the answer sets none.
pub fn take_flash_cookie(ctx: &AuthContext, now: u64) -> Option<Flash> {
    let parts = use_context::<Parts>()?;
    if !ctx.flash_cookies.is_present(&parts.headers) {
        return None;
    }
    if let Some(options) = use_context::<ResponseOptions>() {
        options.append_header(header::SET_COOKIE, ctx.flash_cookies.clearing());
    }
    ctx.flash_cookies.read(&parts.headers, now)
}

/// For a plain HTML form post (JavaScript off), answers `303 See Other`: to `success_path`
/// on `Ok`; on `Err` to `failure_path` (or `/login` when the pending login is over), with
/// the error kept for the next render in the signed flash cookie (see [`keep_flash`]; no
/// session is stored for it). Fetch calls from the hydrated app get the result as JSON,
/// errors with [`AuthError::http_status`] instead of a blanket 500. `success_path` must be
/// a checked destination (see [`super::RedirectHosts::checked_next`]). `_session` is unused since
/// the message left the session.
pub async fn form_redirect<T>(
    ctx: &AuthContext,
    facts: &RequestFacts,
    _session: &LoginSession,
    result: Result<T, AuthError>,
    success_path: &str,
    failure_path: &'static str,
    typed_number: Option<String>,
) -> Result<T, AuthError> {
    if !is_html_form_post() {
        if let (Err(error), Some(options)) = (&result, use_context::<ResponseOptions>()) {
            options.set_status(
                StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
            );
            if let Some(retry_after_secs) = error.retry_after_secs() {
                options.insert_header(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
        }
        return result;
    }
    let target = match &result {
        Ok(_) => success_path,
        Err(error) => {
            let flash = Flash {
                error: Some(error.clone()),
                typed_number: typed_number.map(|n| n.chars().take(64).collect()),
                notice: None,
            };
            keep_flash(ctx, facts, &flash);
            if error.restarts_login() {
                "/login"
            } else {
                failure_path
            }
        }
    };
    if let (Some(options), Ok(location)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(target),
    ) {
        options.set_status(StatusCode::SEE_OTHER);
        options.insert_header(header::LOCATION, location);
    }
    result
}

/// For a fetch call from the hydrated app (not a page render nor a form post), answers an
/// error with its [`AuthError::http_status`] (`401` for "not signed in") instead of `500`.
pub fn error_status_for_fetch<T>(result: &Result<T, AuthError>) {
    if let (Err(error), false, Some(options)) = (
        result,
        is_html_form_post(),
        use_context::<ResponseOptions>(),
    ) {
        options.set_status(
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
        );
    }
}

/// `true` for a plain HTML form post (a browser without JavaScript), which wants a redirect.
pub fn is_html_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|accept| accept.contains("text/html"))
        })
        .unwrap_or(false)
}
