//! Operator data stays with operators. Without `OPS_ADDR`, `/readyz` (a provider probe) and
//! `/metrics` (conversion per country, guard decisions: what a pumper needs to stay under
//! the threshold) share the site's port; there they answer loopback peers only (the socket
//! peer, never a header; a request relayed by a proxy on this machine is not local), unless
//! the operator opts in with `OPS_PUBLIC=yes`. Anyone else gets 404, as if absent. Behind
//! that, the router checks `Host` as for the developer pages (a page rebound to 127.0.0.1
//! is a loopback peer: 421). `/healthz` says nothing and stays open.

use super::dev_guard::local_peer;
use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Who may read the operator endpoints on the site's port.
#[derive(Clone, Debug, Default)]
pub struct OpsExposure {
    /// `OPS_PUBLIC=yes`: anyone who reaches the port (e.g. a scraper on another host).
    pub public: bool,
    /// `CLIENT_IP_HEADER`, when set: a request carrying it was relayed, so is not local.
    pub client_ip_header: Option<HeaderName>,
}

/// Middleware for `/readyz` and `/metrics` on the site's port: 404 for a peer that is not
/// loopback (or unknown, or relayed), unless [`OpsExposure::public`].
pub async fn only_local_operators(
    State(exposure): State<OpsExposure>,
    request: Request,
    next: Next,
) -> Response {
    if exposure.public || local_peer(&request, exposure.client_ip_header.as_ref()) {
        return next.run(request).await;
    }
    tracing::warn!(
        path = request.uri().path(),
        "operator endpoint refused to a non-loopback peer (set OPS_ADDR, or OPS_PUBLIC=yes)"
    );
    (StatusCode::NOT_FOUND, "Not found.").into_response()
}
