//! What the login service needs to know about the request it serves, as one explicit value
//! built at the server-function edge: nothing below the edge reads ambient request context,
//! so the service runs the same in-process (tests, model checks) as behind the router.

use super::clock::unix_seconds;
use super::AuthContext;
use crate::auth::Flash;
use crate::i18n::Locale;
use crate::language::tag;
use std::net::IpAddr;

/// The facts of one request: who asks (the client's address as the server decided it), on
/// which host, in which languages, with which browser, and when.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestFacts {
    /// The client's address (socket peer, or a trusted proxy's header); `None` when the
    /// server could not tell, and then no per-address limit applies.
    pub client_ip: Option<IpAddr>,
    /// The host the request was served on: its `Host` header (or, over HTTP/2, the URI's
    /// authority) without the port, lowercase; `None` when it names none. A human check is
    /// bound to it unless `PUBLIC_URL` names the site.
    pub host: Option<String>,
    /// The `Accept-Language` header, for the message's language.
    pub accept_language: Option<String>,
    /// The visitor's language when one was chosen (the `lang` cookie) or matched from
    /// `Accept-Language`; `None` when the page fell back to English. Texts the service
    /// returns are in [`RequestFacts::locale`]; the SMS follows it too when set.
    pub language: Option<Locale>,
    /// The site's default language (`DEFAULT_LANGUAGE`), for a visitor who names none.
    pub default_language: Locale,
    /// The `User-Agent` header, to name a new passkey.
    pub user_agent: Option<String>,
    /// Unix seconds at which the request is served: one reading of the clock per request.
    pub now: u64,
    /// The one-shot message the request's signed flash cookie carried; read (and the cookie
    /// expired) only where it is shown, the login status, so other requests leave it alone.
    pub flash: Option<Flash>,
}

/// The host of a `Host` header or authority (`login.example.com:3000`, `[::1]:3000`),
/// without the port, lowercase (IPv6 without brackets); `None` when it is not one.
pub fn served_host(authority: &str) -> Option<String> {
    let authority: http::uri::Authority = authority.trim().parse().ok()?;
    super::challenge::normalized_host(authority.host())
}

impl RequestFacts {
    /// The language of texts for this request: the visitor's, else the site's default.
    pub fn locale(&self) -> Locale {
        self.language.unwrap_or(self.default_language)
    }

    /// The languages to ask the provider for, best first: the visitor's page language, then
    /// the browser's `Accept-Language` (for a language the pages lack but the SMS has).
    pub fn message_languages(&self) -> Option<String> {
        let accept = self.accept_language.as_deref();
        match (self.language, accept) {
            (Some(language), Some(accept)) => Some(format!("{}, {accept}", tag(language))),
            (Some(language), None) => Some(tag(language).to_owned()),
            (None, accept) => accept.map(str::to_owned),
        }
    }

    /// Facts for a request from `client_ip` at the context clock's current time (tests and
    /// callers outside a web request).
    pub fn at(ctx: &AuthContext, client_ip: Option<IpAddr>) -> Self {
        Self {
            client_ip,
            now: unix_seconds(ctx.clock.now()),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::served_host;

    #[test]
    fn the_served_host_is_the_host_header_without_its_port() {
        assert_eq!(served_host("127.0.0.1:3000").as_deref(), Some("127.0.0.1"));
        assert_eq!(
            served_host("Login.Example.com").as_deref(),
            Some("login.example.com")
        );
        assert_eq!(served_host("[::1]:3000").as_deref(), Some("::1"));
        assert_eq!(served_host(""), None);
        assert_eq!(served_host("a b"), None);
    }
}
