//! Server functions: the only way the browser changes the login. Each one is a form post at a
//! stable URL, works without JavaScript (answering 303 to the next page) and with it (JSON).
//! Bodies stay thin: they hand the raw input to the login service and map the outcome.

use super::{AuthError, LoginStatus};
use leptos::prelude::*;

/// Starts a login: parses `number` and asks the provider to send a code.
/// No-JS: 303 to `/verify` on success, back to `/login` with the error otherwise.
#[server(prefix = "/api", endpoint = "start_login")]
pub async fn start_login(number: String) -> Result<(), AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session) = request_scope().await?;
    let result = service::start_login(&ctx, &session, &number).await;
    form_redirect(&session, result, "/verify", "/login", Some(number)).await
}

/// Checks the code typed on the PIN step; on success the user is signed in with a new
/// session id. No-JS: 303 to `/` on success, to `/verify` (or `/login` when the pending
/// login is over) with the error otherwise.
#[server(prefix = "/api", endpoint = "finish_login")]
pub async fn finish_login(code: String) -> Result<(), AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session) = request_scope().await?;
    let result = service::finish_login(&ctx, &session, &code).await;
    form_redirect(&session, result, "/", "/verify", None).await
}

/// Signs out and destroys the server-side session. No-JS: 303 to `/`.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session) = request_scope().await?;
    let result = service::logout(&ctx, &session).await;
    form_redirect(&session, result, "/", "/", None).await
}

/// Reports the current step (and consumes the one-shot no-JS error), so that every page
/// renders from server state and a refresh lands on the same step.
#[server(prefix = "/api", endpoint = "login_status")]
pub async fn get_login_status() -> Result<LoginStatus, AuthError> {
    use super::server::{request_scope, service};
    let (ctx, session) = request_scope().await?;
    service::status(&ctx, &session).await
}
