//! Settings about the edge of the site: which proxies may name the client's address
//! (`CLIENT_IP_HEADER`, `TRUSTED_PROXIES`), the public origin cross-site checks compare
//! against (`PUBLIC_URL`), where the operator endpoints listen (`OPS_ADDR`), and whether the
//! emulator and the operator endpoints may face the public (`EMULATOR_PUBLIC`, `OPS_PUBLIC`).

use super::ConfigError;
use std::net::{IpAddr, SocketAddr};

/// An address range such as `10.0.0.0/8` or `fd00::/8` (a bare address is a /32 or /128).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `ADDRESS[/PREFIX]`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| format!("`{text}` is not an IP address or CIDR range"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}`: the prefix length must be 0 to {max}"))?,
        };
        Ok(Self { network, prefix })
    }

    /// `true` when `ip` is inside the range (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// Reads `TRUSTED_PROXIES`: a comma-separated list of addresses or CIDR ranges.
pub(super) fn parse_trusted_proxies(raw: Option<String>) -> Result<Vec<Cidr>, ConfigError> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            Cidr::parse(p).map_err(|problem| ConfigError {
                variable: "TRUSTED_PROXIES",
                problem,
            })
        })
        .collect()
}

/// Reads `PUBLIC_URL` (`https://login.example.com[:PORT]`) into the exact `Origin` a browser
/// sends from it: scheme, host and port (default ports omitted), no path.
pub(super) fn parse_public_origin(raw: Option<String>) -> Result<Option<String>, ConfigError> {
    let Some(raw) = raw else { return Ok(None) };
    let fail = |problem: String| ConfigError {
        variable: "PUBLIC_URL",
        problem,
    };
    let url = url::Url::parse(&raw).map_err(|e| fail(format!("`{raw}` is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(fail(format!(
            "`{raw}` must be an http(s) URL with a host, e.g. https://login.example.com"
        )));
    }
    if url.path() != "/" || url.query().is_some() || !url.username().is_empty() {
        return Err(fail(format!(
            "`{raw}` must be only scheme, host and port (no path, query or user)"
        )));
    }
    Ok(Some(url.origin().ascii_serialization()))
}

/// Reads a `yes`/`no` setting (`EMULATOR_PUBLIC`, `OPS_PUBLIC`), default `no`.
pub(super) fn parse_yes_no(
    variable: &'static str,
    raw: Option<String>,
) -> Result<bool, ConfigError> {
    match raw.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("no" | "false" | "0") => Ok(false),
        Some("yes" | "true" | "1") => Ok(true),
        Some(other) => Err(ConfigError {
            variable,
            problem: format!("`{other}` is not yes or no"),
        }),
    }
}

/// Reads `CLIENT_IP_HEADER`: the header a trusted reverse proxy sets to the client address.
pub(super) fn parse_client_ip_header(
    raw: Option<String>,
) -> Result<Option<http::HeaderName>, ConfigError> {
    raw.map(|name| {
        http::HeaderName::try_from(name.as_str()).map_err(|_| ConfigError {
            variable: "CLIENT_IP_HEADER",
            problem: format!("`{name}` is not a header name"),
        })
    })
    .transpose()
}

/// Reads `OPS_ADDR` (`HOST:PORT`, the operator endpoints' own listener) and `OPS_PUBLIC`
/// (`yes`: any peer on the site's port), which has no effect with `OPS_ADDR` set.
pub(super) fn parse_ops(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<(Option<SocketAddr>, bool), ConfigError> {
    let ops_addr = get("OPS_ADDR")
        .map(|raw| {
            raw.parse::<SocketAddr>().map_err(|e| ConfigError {
                variable: "OPS_ADDR",
                problem: format!("`{raw}` is not HOST:PORT ({e})"),
            })
        })
        .transpose()?;
    let ops_public = parse_yes_no("OPS_PUBLIC", get("OPS_PUBLIC"))?;
    if ops_public && ops_addr.is_some() {
        return Err(ConfigError {
            variable: "OPS_PUBLIC",
            problem:
                "has no effect with OPS_ADDR set (the operator endpoints are served only there)"
                    .into(),
        });
    }
    Ok((ops_addr, ops_public))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_ranges_match_their_addresses_only() {
        let private = Cidr::parse("10.0.0.0/8").expect("cidr");
        assert!(private.contains("10.1.2.3".parse().expect("ip")));
        assert!(private.contains("::ffff:10.1.2.3".parse().expect("ip")));
        assert!(!private.contains("11.0.0.1".parse().expect("ip")));
        let single = Cidr::parse("fd00::1").expect("single");
        assert!(single.contains("fd00::1".parse().expect("ip")));
        assert!(!single.contains("fd00::2".parse().expect("ip")));
        assert!(Cidr::parse("0.0.0.0/0")
            .expect("all")
            .contains("8.8.8.8".parse().expect("ip")));
        for bad in ["10.0.0.0/33", "nope", "fd00::/129", "10.0.0.0/x"] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn public_url_becomes_an_origin() {
        let origin = |s: &str| parse_public_origin(Some(s.into()));
        assert_eq!(
            origin("https://Login.Example.com").expect("ok"),
            Some("https://login.example.com".into())
        );
        assert_eq!(
            origin("http://example.com:8080/").expect("ok"),
            Some("http://example.com:8080".into())
        );
        assert_eq!(
            origin("https://example.com:443").expect("ok"),
            Some("https://example.com".into())
        );
        for bad in [
            "example.com",
            "ftp://example.com",
            "https://example.com/login",
        ] {
            assert_eq!(origin(bad).expect_err(bad).variable, "PUBLIC_URL");
        }
    }
}
