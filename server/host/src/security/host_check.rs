//! DNS-rebinding defence. A web page on `rebound.example` can point its name at 127.0.0.1
//! and then talk to a server on this machine as if same-origin: its requests carry
//! `Host: rebound.example:PORT` and a matching `Origin`, so the cross-site check alone lets
//! them through. The developer pages (`/dev/*`: the outbox lists every code) and, while
//! `PUBLIC_URL` is unset, every state-changing request therefore need a `Host` that names
//! this server: a loopback name or address (`localhost`, `*.localhost`, `127.0.0.0/8`,
//! `[::1]`, any port) or the site's configured address (`LEPTOS_SITE_ADDR`'s address,
//! `PUBLIC_URL`'s host). When the site listens on every address (`0.0.0.0`, `[::]`), any IP
//! address is its own: an IP-literal `Host` cannot be rebound (no name is looked up).
//!
//! Anything else is answered `421 Misdirected Request` ("this server does not answer for
//! that host"), with a short plain message. 421 rather than 403: the request is not refused
//! for who sent it but for where it was aimed, and an operator who forgot `PUBLIC_URL`
//! behind a proxy sees the cause at once (the log line names the host and the setting).

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};

/// Which `Host` values name this server.
#[derive(Clone, Debug, Default)]
pub struct HostPolicy {
    /// Host names accepted besides loopback ones (lower case, no port): `PUBLIC_URL`'s.
    names: Vec<String>,
    /// Addresses accepted besides loopback ones: `LEPTOS_SITE_ADDR`'s, `PUBLIC_URL`'s.
    addresses: Vec<IpAddr>,
    /// The server listens on every address: any IP-literal host is its own.
    any_address: bool,
    /// `PUBLIC_URL` is unset: state-changing requests are checked by `Host` too (with it
    /// set, their `Origin` must equal it, which a rebinding page cannot forge).
    check_state_changes: bool,
}

impl HostPolicy {
    /// The site's policy: it listens on `site_addr` and is reached as `public_origin`
    /// (`PUBLIC_URL` as an origin, e.g. `https://login.example.com`) when one is set.
    pub fn for_site(site_addr: SocketAddr, public_origin: Option<&str>) -> Self {
        let mut policy = Self {
            check_state_changes: public_origin.is_none(),
            ..Self::default()
        };
        if site_addr.ip().is_unspecified() {
            policy.any_address = true;
        } else {
            policy.addresses.push(site_addr.ip());
        }
        let public_host = public_origin
            .and_then(|origin| url::Url::parse(origin).ok())
            .and_then(|url| url.host().map(|host| host.to_owned()));
        match public_host {
            Some(url::Host::Domain(name)) => policy.names.push(name.to_ascii_lowercase()),
            Some(url::Host::Ipv4(ip)) => policy.addresses.push(ip.into()),
            Some(url::Host::Ipv6(ip)) => policy.addresses.push(ip.into()),
            None => {}
        }
        policy
    }

    /// A server whose address is not known here (the emulator's own port, possibly on a
    /// chosen address): loopback names and any IP address; every request checked.
    pub fn local_names_or_addresses() -> Self {
        Self {
            any_address: true,
            check_state_changes: true,
            ..Self::default()
        }
    }

    /// `true` when `authority` (a `Host` value: `name[:port]`, `address[:port]`,
    /// `[v6][:port]`) names this server.
    pub fn allows(&self, authority: &str) -> bool {
        let Some(host) = host_of(authority) else {
            return false;
        };
        match host.parse::<IpAddr>() {
            Ok(ip) => {
                let ip = canonical(ip);
                ip.is_loopback()
                    || self.any_address
                    || self.addresses.iter().any(|known| canonical(*known) == ip)
            }
            Err(_) => {
                let name = host.to_ascii_lowercase();
                let name = name.strip_suffix('.').unwrap_or(&name);
                name == "localhost"
                    || name.ends_with(".localhost")
                    || self.names.iter().any(|known| known == name)
            }
        }
    }

    /// `true` when `request` names this server: its `Host` header, or (HTTP/2) the
    /// authority of its URI. A request naming none is not one a browser sends.
    fn admits(&self, request: &Request) -> bool {
        let host = match request.headers().get(header::HOST) {
            Some(value) => value.to_str().ok(),
            None => request.uri().authority().map(|a| a.as_str()),
        };
        host.is_some_and(|host| self.allows(host))
    }
}

/// IPv4-mapped IPv6 addresses compare as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The host part of a `Host` value, without port or brackets; `None` when malformed.
fn host_of(authority: &str) -> Option<&str> {
    let port_ok = |port: &str| port.bytes().all(|b| b.is_ascii_digit());
    let host = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        match after.strip_prefix(':') {
            Some(port) if port_ok(port) => host,
            None if after.is_empty() => host,
            _ => return None,
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) if port_ok(port) => host,
            Some(_) => return None,
            None => authority,
        }
    };
    let plausible = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':'));
    plausible.then_some(host)
}

/// The answer to a request aimed at another host.
fn misdirected(request: &Request) -> Response {
    tracing::warn!(
        path = request.uri().path(),
        host = request
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-"),
        "request for a host this server does not answer for refused (421); \
         behind a proxy that keeps the browser's Host, set PUBLIC_URL"
    );
    (
        StatusCode::MISDIRECTED_REQUEST,
        "Misdirected request: this server does not answer for that host.",
    )
        .into_response()
}

/// Middleware for pages that must never answer another site's name (`/dev/*`): 421 unless
/// the `Host` names this server, whatever the method.
pub async fn known_hosts_only(
    State(policy): State<HostPolicy>,
    request: Request,
    next: Next,
) -> Response {
    if policy.admits(&request) {
        next.run(request).await
    } else {
        misdirected(&request)
    }
}

/// Middleware for the whole site: while `PUBLIC_URL` is unset, a state-changing request
/// (any method but GET, HEAD, OPTIONS) gets 421 unless its `Host` names this server.
pub async fn state_changes_need_a_known_host(
    State(policy): State<HostPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || !policy.check_state_changes || policy.admits(&request) {
        next.run(request).await
    } else {
        misdirected(&request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(addr: &str, public: Option<&str>) -> HostPolicy {
        HostPolicy::for_site(addr.parse().expect("address"), public)
    }

    #[test]
    fn loopback_names_and_addresses_pass_with_any_port() {
        let policy = site("127.0.0.1:3000", None);
        for host in [
            "localhost",
            "localhost:3015",
            "LOCALHOST:3000",
            "localhost.:3000",
            "app.localhost:3000",
            "127.0.0.1:3000",
            "127.0.0.1:4010",
            "127.9.8.7",
            "[::1]:3000",
            "[::1]",
            "[::ffff:127.0.0.1]:3000",
        ] {
            assert!(policy.allows(host), "{host}");
        }
    }

    #[test]
    fn a_rebound_name_or_a_malformed_host_is_refused() {
        let policy = site("127.0.0.1:3000", None);
        for host in [
            "rebound.example:3000",
            "rebound.example",
            "localhost.rebound.example:3000",
            "localhostx:3000",
            "127.0.0.1.rebound.example",
            "10.0.0.5:3000",
            "[fe80::1]:3000",
            "",
            ":3000",
            "localhost:30x0",
            "user@localhost:3000",
            "[::1]x",
            "[::1",
            "local host",
        ] {
            assert!(!policy.allows(host), "{host:?}");
        }
    }

    #[test]
    fn the_configured_site_address_and_public_host_pass() {
        let policy = site("10.0.0.5:3000", Some("https://Login.Example.com"));
        assert!(policy.allows("10.0.0.5:3000"));
        assert!(policy.allows("login.example.com"));
        assert!(policy.allows("LOGIN.example.com:443"));
        assert!(!policy.allows("10.0.0.6:3000"));
        assert!(!policy.allows("example.com"));
        assert!(!policy.allows("evil.login.example.com"));
        let v6 = site("[2001:db8::5]:3000", Some("http://[2001:db8::7]:8080"));
        assert!(v6.allows("[2001:db8::5]:3000") && v6.allows("[2001:db8::7]:8080"));
        assert!(!v6.allows("[2001:db8::6]"));
    }

    #[test]
    fn listening_on_every_address_admits_any_ip_but_no_foreign_name() {
        for addr in ["0.0.0.0:3000", "[::]:3000"] {
            let policy = site(addr, None);
            assert!(policy.allows("192.0.2.10:3000"), "{addr}");
            assert!(policy.allows("[2001:db8::1]:3000"), "{addr}");
            assert!(!policy.allows("rebound.example:3000"), "{addr}");
        }
        let emulator = HostPolicy::local_names_or_addresses();
        assert!(emulator.allows("127.0.0.1:4010") && emulator.allows("10.1.2.3:4010"));
        assert!(!emulator.allows("rebound.example:4010"));
    }

    #[test]
    fn state_changes_are_checked_only_without_public_url() {
        assert!(site("127.0.0.1:3000", None).check_state_changes);
        assert!(!site("127.0.0.1:3000", Some("https://login.example.com")).check_state_changes);
        assert!(HostPolicy::local_names_or_addresses().check_state_changes);
    }
}
