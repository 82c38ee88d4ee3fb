//! Decides the client IP used for limits: the socket peer, or, only when the peer is a
//! trusted proxy (`TRUSTED_PROXIES`) and a header is configured (`CLIENT_IP_HEADER`), the
//! address that header names. A direct client can never choose its IP, and
//! `X-Forwarded-For` is never read unless configured.

use crate::config::Cidr;
use app_core::auth::server::ClientIp;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// Where the client IP comes from.
#[derive(Clone, Debug, Default)]
pub struct ClientIpSource {
    /// A header set by a trusted proxy (`X-Real-IP`, `X-Forwarded-For`, …); a list is read
    /// from the right, skipping trusted proxies.
    pub trusted_header: Option<HeaderName>,
    /// The proxies whose header is believed; requests from any other peer use the peer.
    pub trusted_proxies: Vec<Cidr>,
}

impl ClientIpSource {
    fn is_trusted(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|range| range.contains(ip))
    }

    /// The client address for a request from `peer` carrying `headers`: the rightmost
    /// address in the configured header that is not a trusted proxy, when `peer` is one;
    /// otherwise `peer`.
    pub fn resolve(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let (Some(name), Some(peer_ip)) = (&self.trusted_header, peer) else {
            return peer;
        };
        if !self.is_trusted(peer_ip) {
            return peer;
        }
        // Every copy of the header, in order, as one list (proxies may append a line).
        let hops: Vec<&str> = headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else {
                // Unreadable entry: what lies left of it cannot be trusted.
                return peer;
            };
            if !self.is_trusted(ip) {
                return Some(ip);
            }
        }
        // Every hop is a trusted proxy: the leftmost is as close to the client as we know.
        hops.first().and_then(|hop| parse_hop(hop)).or(peer)
    }
}

/// `203.0.113.7`, `2001:db8::1`, `[2001:db8::1]:443` or `203.0.113.7:5000`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// Middleware: puts a [`ClientIp`] in the request extensions when one can be determined.
pub async fn attach_client_ip(
    State(source): State<ClientIpSource>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(ip) = source.resolve(peer, request.headers()) {
        request.extensions_mut().insert(ClientIp(ip));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn source(header: &str, proxies: &str) -> ClientIpSource {
        ClientIpSource {
            trusted_header: Some(HeaderName::try_from(header).expect("name")),
            trusted_proxies: proxies
                .split(',')
                .map(|p| Cidr::parse(p).expect("cidr"))
                .collect(),
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn headers(name: &'static str, values: &[&'static str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(name, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn a_direct_client_cannot_choose_its_address() {
        let s = source("x-real-ip", "10.0.0.0/8");
        let h = headers("x-real-ip", &["198.51.100.9"]);
        assert_eq!(
            s.resolve(Some(ip("203.0.113.5")), &h),
            Some(ip("203.0.113.5"))
        );
        assert_eq!(
            s.resolve(Some(ip("10.0.0.2")), &h),
            Some(ip("198.51.100.9"))
        );
    }

    #[test]
    fn forwarded_for_is_read_from_the_right_skipping_trusted_proxies() {
        let s = source("x-forwarded-for", "10.0.0.0/8");
        // The client forged the first entry; the proxies appended the real one and themselves.
        let h = headers("x-forwarded-for", &["1.2.3.4, 198.51.100.9", "10.0.0.7"]);
        assert_eq!(
            s.resolve(Some(ip("10.0.0.2")), &h),
            Some(ip("198.51.100.9"))
        );
        let garbage = headers("x-forwarded-for", &["1.2.3.4, nonsense, 10.0.0.7"]);
        assert_eq!(
            s.resolve(Some(ip("10.0.0.2")), &garbage),
            Some(ip("10.0.0.2"))
        );
        let ported = headers("x-forwarded-for", &["[2001:db8::1]:443"]);
        assert_eq!(
            s.resolve(Some(ip("10.0.0.2")), &ported),
            Some(ip("2001:db8::1"))
        );
    }

    #[test]
    fn no_header_configured_means_the_peer() {
        let s = ClientIpSource::default();
        let h = headers("x-forwarded-for", &["198.51.100.9"]);
        assert_eq!(
            s.resolve(Some(ip("203.0.113.5")), &h),
            Some(ip("203.0.113.5"))
        );
    }
}
