//! `GET /auth/check`: forward authentication for other apps behind a proxy (nginx
//! `auth_request`, Traefik `ForwardAuth`, Caddy `forward_auth`). `200` with the signed-in
//! account in `X-Auth-Account` and `X-Auth-Number` (E.164), or `401`; never a body, never
//! cached. The session check is the one every page and server function makes
//! ([`signed_in_with`]): a session signed out elsewhere answers `401`.

use app_core::auth::server::clock::unix_seconds;
use app_core::auth::server::{signed_in_with, AuthContext, ClientIp, LoginSession, RequestFacts};
use app_core::auth::AuthError;
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use std::sync::Arc;
use tower_sessions::Session;

/// The account's id.
pub const ACCOUNT_HEADER: HeaderName = HeaderName::from_static("x-auth-account");
/// The account's number, E.164.
pub const NUMBER_HEADER: HeaderName = HeaderName::from_static("x-auth-number");

/// The route, for the router to put inside its session layer.
pub fn routes(auth: Arc<AuthContext>) -> Router {
    Router::new()
        .route("/auth/check", get(check))
        .with_state(auth)
}

/// Answers who the request's session belongs to (see the module documentation). A store
/// failure is `503`, which proxies treat as an error rather than "signed out".
async fn check(
    State(ctx): State<Arc<AuthContext>>,
    client_ip: Option<Extension<ClientIp>>,
    session: Session,
) -> Response {
    let facts = RequestFacts {
        client_ip: client_ip.map(|Extension(ip)| ip.0),
        default_language: ctx.default_language,
        now: unix_seconds(ctx.clock.now()),
        ..RequestFacts::default()
    };
    let answer = match signed_in_with(&ctx, &LoginSession::new(session), &facts).await {
        Ok(account) => {
            let id = HeaderValue::from_str(&account.account_id);
            let number = HeaderValue::from_str(&account.number);
            match (id, number) {
                (Ok(id), Ok(number)) => (
                    StatusCode::OK,
                    [(ACCOUNT_HEADER, id), (NUMBER_HEADER, number)],
                )
                    .into_response(),
                _ => {
                    tracing::error!("account id or number not a header value");
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
            }
        }
        Err(AuthError::NotSignedIn) => StatusCode::UNAUTHORIZED.into_response(),
        Err(error) => {
            tracing::warn!(?error, "auth check could not read the session");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    };
    no_store(answer)
}

fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::VARY, HeaderValue::from_static("Cookie"));
    response
}
