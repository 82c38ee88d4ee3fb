//! Server functions for passkeys. The ceremonies need JavaScript (WebAuthn is a browser
//! API), so they answer JSON; removing a passkey is also a plain form post (303 back to
//! `/account`).

use super::{AuthError, PasskeyView};
use leptos::prelude::*;

/// Starts adding a passkey to the signed-in account (signed in within 10 minutes). Answers
/// the creation options as JSON for `PublicKeyCredential.parseCreationOptionsFromJSON`.
#[server(prefix = "/api", endpoint = "passkey_register_start")]
pub async fn begin_passkey_registration() -> Result<String, AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let result = service::begin_passkey_registration(&ctx, &session, &facts).await;
    form_redirect(&ctx, &facts, &session, result, "/account", "/account", None).await
}

/// Finishes adding a passkey with the browser's `credential.toJSON()` (as JSON text);
/// answers the new passkey.
#[server(prefix = "/api", endpoint = "passkey_register_finish")]
pub async fn finish_passkey_registration(credential: String) -> Result<PasskeyView, AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let result = service::finish_passkey_registration(&ctx, &session, &facts, &credential).await;
    form_redirect(&ctx, &facts, &session, result, "/account", "/account", None).await
}

/// Starts a passkey sign-in (no number needed). Answers the request options as JSON for
/// `PublicKeyCredential.parseRequestOptionsFromJSON`.
#[server(prefix = "/api", endpoint = "passkey_sign_in_start")]
pub async fn begin_passkey_sign_in() -> Result<String, AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let result = service::begin_passkey_sign_in(&ctx, &session, &facts).await;
    form_redirect(&ctx, &facts, &session, result, "/login", "/login", None).await
}

/// Finishes a passkey sign-in with the browser's `credential.toJSON()` (as JSON text): signs
/// in with a new session id and answers where to go (`next` when it is a same-site path).
#[server(prefix = "/api", endpoint = "passkey_sign_in_finish")]
pub async fn finish_passkey_sign_in(
    credential: String,
    next: Option<String>,
) -> Result<String, AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let result =
        service::finish_passkey_sign_in(&ctx, &session, &facts, &credential, next.as_deref()).await;
    let destination = result.as_deref().unwrap_or("/").to_owned();
    form_redirect(&ctx, &facts, &session, result, &destination, "/login", None).await
}

/// Removes one of the signed-in account's passkeys (signed in within 10 minutes); with
/// `end_sessions` set (a checked box sends "on"), the other sessions it signed in are signed
/// out too. No-JS: 303 back to `/account`, with the error shown there when it failed.
#[server(prefix = "/api", endpoint = "passkey_remove")]
pub async fn remove_passkey(id: String, end_sessions: Option<String>) -> Result<(), AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let end_sessions = end_sessions.is_some_and(|value| !value.is_empty());
    let result = service::remove_passkey(&ctx, &session, &facts, &id, end_sessions).await;
    form_redirect(&ctx, &facts, &session, result, "/account", "/account", None).await
}
