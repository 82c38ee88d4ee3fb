//! Decides the client IP used for limits: the socket peer, or, only when configured
//! (`CLIENT_IP_HEADER`, for a trusted reverse proxy), that header. `X-Forwarded-For` is never
//! read by default: any client could write it.

use app_core::auth::server::ClientIp;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderName;
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// Where the client IP comes from.
#[derive(Clone, Debug, Default)]
pub struct ClientIpSource {
    /// A header set by a trusted proxy; its last comma-separated entry is the address that
    /// proxy saw.
    pub trusted_header: Option<HeaderName>,
}

/// Middleware: puts a [`ClientIp`] in the request extensions when one can be determined.
pub async fn attach_client_ip(
    State(source): State<ClientIpSource>,
    mut request: Request,
    next: Next,
) -> Response {
    let from_header = source.trusted_header.as_ref().and_then(|name| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    });
    let from_socket = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(ip) = from_header.or(from_socket) {
        request.extensions_mut().insert(ClientIp(ip));
    }
    next.run(request).await
}
