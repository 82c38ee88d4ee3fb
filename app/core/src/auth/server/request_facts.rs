//! What the login service needs to know about the request it serves, as one explicit value
//! built at the server-function edge: nothing below the edge reads ambient request context,
//! so the service runs the same in-process (tests, model checks) as behind the router.

use super::clock::unix_seconds;
use super::AuthContext;
use std::net::IpAddr;

/// The facts of one request: who asks (the client's address as the server decided it), in
/// which languages, with which browser, and when.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestFacts {
    /// The client's address (socket peer, or a trusted proxy's header); `None` when the
    /// server could not tell, and then no per-address limit applies.
    pub client_ip: Option<IpAddr>,
    /// The `Accept-Language` header, for the message's language.
    pub accept_language: Option<String>,
    /// The `User-Agent` header, to name a new passkey.
    pub user_agent: Option<String>,
    /// Unix seconds at which the request is served: one reading of the clock per request.
    pub now: u64,
}

impl RequestFacts {
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
