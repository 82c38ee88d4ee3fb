//! Server functions for the account's signed-in sessions: sign one out, or every other one.
//! Both are plain form posts too (303 back to `/account`, or `/` when this browser signed
//! itself out), so they work without JavaScript.

use super::AuthError;
use leptos::prelude::*;

/// Signs out the account's session `id` (from the account page's list). Answers `true` when
/// that was this browser, which is now signed out.
#[server(prefix = "/api", endpoint = "session_end")]
pub async fn end_session(id: String) -> Result<bool, AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let result = service::end_session(&ctx, &session, &facts, &id).await;
    let destination = match result {
        Ok(true) => "/",
        _ => "/account",
    };
    form_redirect(
        &ctx,
        &facts,
        &session,
        result,
        destination,
        "/account",
        None,
    )
    .await
}

/// Signs out every other session of the account; answers how many were signed out.
#[server(prefix = "/api", endpoint = "session_end_others")]
pub async fn end_other_sessions() -> Result<usize, AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let result = service::end_other_sessions(&ctx, &session, &facts).await;
    form_redirect(&ctx, &facts, &session, result, "/account", "/account", None).await
}
