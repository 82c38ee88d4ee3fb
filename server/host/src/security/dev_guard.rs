//! The emulator's developer pages (`/dev/*`: the outbox lists every code in clear) answer
//! only loopback peers, unless the operator opted in with `EMULATOR_PUBLIC=yes`. The socket
//! peer decides, never a header; a request that came through a proxy on the same machine
//! (it carries a forwarding header) is not local either.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// Who may read the developer pages.
#[derive(Clone, Copy, Debug, Default)]
pub struct DevExposure {
    /// `EMULATOR_PUBLIC=yes`: anyone (a public demo).
    pub public: bool,
}

/// Middleware for the `/dev/*` routes: 404 (as if absent) for a peer that is not loopback,
/// or whose address is unknown, unless [`DevExposure::public`].
pub async fn only_loopback_peers(
    State(exposure): State<DevExposure>,
    request: Request,
    next: Next,
) -> Response {
    if exposure.public || local_peer(&request, None) {
        return next.run(request).await;
    }
    tracing::warn!(
        path = request.uri().path(),
        "developer page refused to a non-loopback peer"
    );
    (StatusCode::NOT_FOUND, "Not found.").into_response()
}

/// `true` when the socket peer (`ConnectInfo`) is a loopback address and no proxy relayed
/// the request (no forwarding header, nor `client_ip_header` when one is configured).
pub(super) fn local_peer(request: &Request, client_ip_header: Option<&HeaderName>) -> bool {
    let loopback = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|info| match info.0.ip() {
            std::net::IpAddr::V6(v6) => v6
                .to_ipv4_mapped()
                .map_or(v6.is_loopback(), |v4| v4.is_loopback()),
            ip => ip.is_loopback(),
        });
    let headers = request.headers();
    loopback
        && !forwarded(headers)
        && !client_ip_header.is_some_and(|name| headers.contains_key(name))
}

/// `true` when a proxy relayed the request (it named the client it relayed for).
fn forwarded(headers: &HeaderMap) -> bool {
    [
        "forwarded",
        "x-forwarded-for",
        "x-real-ip",
        "x-forwarded-host",
    ]
    .iter()
    .any(|name| headers.contains_key(*name))
}
