//! The axum router around the site's Leptos routes: operator endpoints, the dev outbox, the
//! session layer and every security layer. The Leptos routes themselves (pages and server
//! functions) come from the `server` crate, which knows the views.

use app_core::auth::server::AuthContext;
use axum::Router;
use leptos::prelude::*;
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

use crate::bad_request::undecodable_input_is_400;
use crate::operations::{self, Readiness};
use crate::security::{
    assign_request_id, attach_client_ip, buffer_api_bodies, known_hosts_only,
    no_store_for_personal_answers, only_local_operators, only_loopback_peers,
    reject_cross_site_posts, security_headers, state_changes_need_a_known_host, ClientIpSource,
    DevExposure, HostPolicy, OpsExposure, OriginPolicy, REQUEST_ID,
};
use crate::store::outage::store_failure_is_503;
use crate::store::AnyStore;
use app_core::auth::server::ClientIp;
use tower_http::trace::TraceLayer;

/// Everything the router needs, built by [`crate::startup`].
#[derive(Clone)]
pub struct AppState {
    /// Leptos site settings (site root, output name, address).
    pub leptos_options: LeptosOptions,
    /// The login's services, provided to every server function and render.
    pub auth: AuthContext,
    /// The session store.
    pub store: AnyStore,
    /// Where the client IP for limits comes from.
    pub client_ip: ClientIpSource,
    /// What `/readyz` checks, when the operator endpoints are on the site's port (`None`
    /// when `OPS_ADDR` puts them on their own listener).
    pub readiness: Option<Readiness>,
    /// Who may read `/readyz` and `/metrics` on the site's port (loopback peers only,
    /// unless opted in).
    pub ops_exposure: OpsExposure,
    /// Extra routes served only in development (the emulator's outbox).
    pub dev_routes: Option<Router>,
    /// Who may read `dev_routes` (loopback peers only, unless opted in).
    pub dev_exposure: DevExposure,
    /// What the `Origin` of state-changing requests must match.
    pub origin_policy: OriginPolicy,
    /// Which `Host` names this server (for `dev_routes`, and for state-changing requests
    /// while `PUBLIC_URL` is unset).
    pub host_policy: HostPolicy,
    /// Mark the session cookie `Secure`, name it with the `__Host-` prefix and send HSTS.
    pub secure_cookies: bool,
    /// `COOKIE_DOMAIN`: send the session cookie to this parent domain's hosts too (then
    /// named `__Secure-session`, as `__Host-` forbids a domain); `None`: this host only.
    pub cookie_domain: Option<String>,
}

/// Idle lifetime of a session cookie and its server-side record.
const SESSION_IDLE: time::Duration = time::Duration::days(7);

/// The Leptos routes (pages, server functions, static files) for `options`, with `auth`
/// provided to every render and server function. Supplied by the crate that knows the views.
pub type SiteRoutes = fn(&LeptosOptions, AuthContext) -> Router;

/// Builds the whole application router around `site_routes`.
pub fn router(state: AppState, site_routes: SiteRoutes) -> Router {
    let AppState {
        leptos_options,
        auth,
        store,
        client_ip,
        readiness,
        ops_exposure,
        dev_routes,
        dev_exposure,
        origin_policy,
        host_policy,
        secure_cookies,
        cookie_domain,
    } = state;
    let default_language = auth.default_language;
    let check = crate::forward_auth::routes(std::sync::Arc::new(auth.clone()));
    let mut router = crate::static_files::pkg_routes(&leptos_options)
        .merge(site_routes(&leptos_options, auth))
        .merge(check);
    if let Some(readiness) = readiness {
        let mut private = operations::private_routes(readiness);
        // Local readers only: a page rebound to 127.0.0.1 is not one.
        if !ops_exposure.public {
            private = private.layer(axum::middleware::from_fn_with_state(
                host_policy.clone(),
                known_hosts_only,
            ));
        }
        let private = private.layer(axum::middleware::from_fn_with_state(
            ops_exposure,
            only_local_operators,
        ));
        router = router.merge(operations::health_route()).merge(private);
    }
    if let Some(mut dev) = dev_routes {
        // A public demo's outbox is public anyway: no name to protect it from.
        if !dev_exposure.public {
            dev = dev.layer(axum::middleware::from_fn_with_state(
                host_policy.clone(),
                known_hosts_only,
            ));
        }
        // The peer is checked first: to a stranger the pages do not exist (404).
        router = router.merge(dev.layer(axum::middleware::from_fn_with_state(
            dev_exposure,
            only_loopback_peers,
        )));
    }
    let sessions = SessionManagerLayer::new(store)
        .with_name(session_cookie_name(secure_cookies, cookie_domain.is_some()))
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_secure(secure_cookies)
        .with_expiry(Expiry::OnInactivity(SESSION_IDLE));
    let sessions = match cookie_domain {
        Some(domain) => sessions.with_domain(domain),
        None => sessions,
    };
    let router = router
        .layer(axum::middleware::map_response(undecodable_input_is_400))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(
            default_language,
            store_failure_is_503,
        ))
        .layer(axum::middleware::from_fn_with_state(
            origin_policy,
            reject_cross_site_posts,
        ))
        // DNS rebinding: before the origin check, which a rebound page's Origin passes.
        .layer(axum::middleware::from_fn_with_state(
            host_policy,
            state_changes_need_a_known_host,
        ))
        .layer(axum::middleware::from_fn(no_store_for_personal_answers))
        .layer(axum::middleware::from_fn(buffer_api_bodies))
        // Audit trail: every log line of a request carries its id and client IP.
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(axum::middleware::from_fn_with_state(
            client_ip,
            attach_client_ip,
        ))
        .layer(axum::middleware::from_fn(assign_request_id));
    security_headers(router, secure_cookies)
}

/// The session cookie's name: `__Host-session` when secure and host-only; a cookie with a
/// `Domain` may not be `__Host-`, so `__Secure-session` then; `session` when not secure.
pub fn session_cookie_name(secure: bool, shared_domain: bool) -> &'static str {
    match (secure, shared_domain) {
        (true, false) => "__Host-session",
        (true, true) => "__Secure-session",
        (false, _) => "session",
    }
}

/// The span every request's log lines sit in: request id, client IP, method and path.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let ip = request
        .extensions()
        .get::<ClientIp>()
        .map(|ip| ip.0.to_string())
        .unwrap_or_default();
    tracing::info_span!("request", id, ip, method = %request.method(), path = request.uri().path())
}
