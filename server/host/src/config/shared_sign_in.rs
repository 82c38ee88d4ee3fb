//! Sign-in shared with other apps behind a proxy (`GET /auth/check`): `AUTH_REDIRECT_HOSTS`,
//! the hosts a sign-in may send the browser back to, and `COOKIE_DOMAIN`, the parent domain
//! the session cookie is sent to.

use super::ConfigError;

/// At most this many `AUTH_REDIRECT_HOSTS`.
const MAX_REDIRECT_HOSTS: usize = 32;

/// `AUTH_REDIRECT_HOSTS` and `COOKIE_DOMAIN`; both empty by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedSignIn {
    /// Hosts (`app.example.com`, or `app.example.com:8443` for that port only), lowercase,
    /// an absolute `next` URL may name; empty: `next` is a same-site path only.
    pub redirect_hosts: Vec<String>,
    /// The parent domain (`example.com`, given as `.example.com` or `example.com`) the
    /// session cookie is scoped to, so that `/auth/check` behind a proxy on a sibling host
    /// receives it; `None`: the cookie is this host's only (`__Host-` when secure).
    pub cookie_domain: Option<String>,
}

/// Reads both settings. `public_host` is `PUBLIC_URL`'s host, which must lie inside
/// `COOKIE_DOMAIN` (or the browser would refuse the cookie).
pub(super) fn parse_shared_sign_in(
    get: &impl Fn(&str) -> Option<String>,
    public_host: Option<&str>,
) -> Result<SharedSignIn, ConfigError> {
    let redirect_hosts = parse_redirect_hosts(get("AUTH_REDIRECT_HOSTS"))?;
    let cookie_domain = parse_cookie_domain(get("COOKIE_DOMAIN"), public_host)?;
    Ok(SharedSignIn {
        redirect_hosts,
        cookie_domain,
    })
}

/// The host of a checked `PUBLIC_URL` origin, lowercase.
pub(super) fn origin_host(origin: &str) -> Option<String> {
    url::Url::parse(origin)
        .ok()?
        .host_str()
        .map(str::to_ascii_lowercase)
}

fn refuse(variable: &'static str, problem: String) -> ConfigError {
    ConfigError { variable, problem }
}

/// `true` for a DNS name (`app.example.com`, `localhost`) or an IPv4 address: labels of
/// letters, digits and inner hyphens, 1–63 characters each, 253 in all.
fn is_host_name(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Reads `AUTH_REDIRECT_HOSTS`: comma-separated `host` or `host:port`, no scheme, path or
/// wildcard.
fn parse_redirect_hosts(raw: Option<String>) -> Result<Vec<String>, ConfigError> {
    const VARIABLE: &str = "AUTH_REDIRECT_HOSTS";
    let hosts = raw
        .unwrap_or_default()
        .split(',')
        .map(|entry| entry.trim().to_ascii_lowercase())
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let (host, port) = match entry.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (entry.as_str(), None),
            };
            let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
            if is_host_name(host) && port_ok {
                Ok(entry)
            } else {
                Err(refuse(
                    VARIABLE,
                    format!(
                        "`{entry}` is not a host name (`app.example.com`, or \
                         `app.example.com:8443`): no scheme, path or wildcard"
                    ),
                ))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    if hosts.len() > MAX_REDIRECT_HOSTS {
        return Err(refuse(
            VARIABLE,
            format!("at most {MAX_REDIRECT_HOSTS} hosts"),
        ));
    }
    Ok(hosts)
}

/// Reads `COOKIE_DOMAIN`: a domain of at least two labels (`.example.com`), not an address,
/// containing `PUBLIC_URL`'s host when that is set.
fn parse_cookie_domain(
    raw: Option<String>,
    public_host: Option<&str>,
) -> Result<Option<String>, ConfigError> {
    const VARIABLE: &str = "COOKIE_DOMAIN";
    let Some(raw) = raw else {
        return Ok(None);
    };
    let domain = raw.trim_start_matches('.').to_ascii_lowercase();
    let is_address = domain.parse::<std::net::Ipv4Addr>().is_ok();
    if !is_host_name(&domain) || !domain.contains('.') || is_address {
        return Err(refuse(
            VARIABLE,
            format!("`{raw}` is not a parent domain such as `.example.com`"),
        ));
    }
    if let Some(host) = public_host {
        let inside = host == domain || host.ends_with(&format!(".{domain}"));
        if !inside {
            return Err(refuse(
                VARIABLE,
                format!("PUBLIC_URL's host `{host}` is not inside `{domain}`"),
            ));
        }
    }
    Ok(Some(domain))
}
