//! The cookies the site sets: whether they are `Secure` with the `__Host-` prefix (and pages
//! send HSTS), and the signer of the one-shot message cookie.

use super::StartupError;
use app_core::auth::server::FlashCookies;
use std::net::SocketAddr;

/// Whether the session cookie is `Secure` with the `__Host-` prefix, and pages send HSTS:
/// `COOKIE_SECURE=always`/`never` say so; `auto` (`None`) follows `PUBLIC_URL`'s scheme when
/// it is set (browsers reach the site as it says, e.g. through a TLS proxy in front of a
/// plain-http listener on loopback), else the listening address (not loopback: secure).
pub(super) fn cookies_secure(
    setting: Option<bool>,
    site: SocketAddr,
    public_origin: Option<&str>,
) -> bool {
    setting.unwrap_or_else(|| match public_origin {
        Some(origin) => origin.starts_with("https://"),
        None => !site.ip().is_loopback(),
    })
}

/// The signer of the one-shot message cookie, `Secure` and `__Host-` named as the session
/// cookie is: keyed by `COOKIE_SECRET`, else by a random key of this process.
pub(super) fn flash_cookies(
    secret: Option<&secrecy::SecretString>,
    secure: bool,
) -> Result<FlashCookies, StartupError> {
    use secrecy::ExposeSecret;
    match secret {
        Some(secret) => FlashCookies::from_secret(secret.expose_secret().as_bytes(), secure)
            .map_err(|short| StartupError::CookieSecret(short.to_string())),
        None => {
            tracing::info!(
                "COOKIE_SECRET is unset: one-shot messages are signed with a random key of this \
                 process; deployments with several instances should set COOKIE_SECRET (the same \
                 on each), otherwise a message written by one instance is dropped by another \
                 (only the message is lost, never the login)"
            );
            Ok(FlashCookies::random(secure))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cookies_secure;

    #[test]
    fn auto_cookies_follow_public_url_then_the_listening_address() {
        let loopback = "127.0.0.1:3000".parse().expect("address");
        let public = "0.0.0.0:3000".parse().expect("address");
        let https = Some("https://login.example.com");
        let http = Some("http://localhost:3000");
        // A TLS proxy in front of a plain-http listener on loopback.
        assert!(cookies_secure(None, loopback, https));
        assert!(!cookies_secure(None, loopback, http));
        assert!(
            !cookies_secure(None, public, http),
            "browsers come over http"
        );
        assert!(!cookies_secure(None, loopback, None));
        assert!(cookies_secure(None, public, None));
        assert!(cookies_secure(Some(true), loopback, None));
        assert!(!cookies_secure(Some(false), loopback, https));
    }
}
