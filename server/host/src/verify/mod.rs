//! Verify provider adapters: HTTP clients implementing
//! [`VerifyProvider`](app_core::auth::server::verify_port::VerifyProvider), one file per API.
//!
//! - [`VonageV2Client`] speaks Vonage Verify v2 (`POST /v2/verify`, JSON, HTTP Basic auth, or
//!   a Vonage application's JWT when [`VonageSettings::application`] is set).
//! - [`VonageLegacyClient`] speaks Vonage Verify v1 (`POST /verify/json`, form-encoded), the API
//!   of the original tutorial.
//!
//! Both also move a request to its next channel and cancel it (v2 `next_workflow` / `DELETE`,
//! v1 `/verify/control/json` with `cmd=trigger_next_event` / `cmd=cancel`).
//!
//! - [`TwilioClient`] speaks Twilio Verify v2 (`POST /v2/Services/{VA}/Verifications`,
//!   form-encoded, HTTP Basic auth with the Account SID and Auth Token).
//!
//! Both Vonage clients take a [`VonageSettings`] (base URL, credentials, explicit timeouts), so they can be
//! pointed at the real API, at the built-in [emulator](crate::emulator) or at a test double.
//! Every upstream answer maps to exactly one domain outcome; anything unexpected becomes
//! `Unavailable(detail)`, where the detail is for logs and never contains the secret or the
//! code.

mod backoff;
mod locales;
mod recently_cancelled;
mod timed;
mod twilio;
mod twilio_reply;
mod twilio_settings;
mod vonage_delivery;
mod vonage_jwt;
mod vonage_legacy;
mod vonage_v2;
mod vonage_v2_problem;

pub use timed::{ProviderHealth, Timed, PROVIDER_FAULTS, UPSTREAM_SECONDS};
pub use twilio::{TwilioClient, TwilioSettings};
pub use vonage_delivery::VonageDelivery;
pub use vonage_jwt::VonageApplication;
pub use vonage_legacy::VonageLegacyClient;
pub use vonage_v2::VonageV2Client;

use secrecy::SecretString;
use std::net::IpAddr;
use std::time::Duration;
use url::Url;

/// The public Vonage API host used when no other base URL is configured.
pub const DEFAULT_BASE_URL: &str = "https://api.nexmo.com";
/// Default limit for establishing the TCP + TLS connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Default limit for a whole request, from connecting to reading the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How to reach a Vonage-compatible Verify API. Shared by the v2 and the legacy client.
///
/// `Debug` prints `api_secret` as `[REDACTED]` and the application's id without its key.
#[derive(Clone, Debug)]
pub struct VonageSettings {
    /// Scheme, host and optional path prefix; the API paths (`/v2/verify`, `/verify/json`) are
    /// appended to it. Default [`DEFAULT_BASE_URL`] (`https://api.nexmo.com`).
    pub base_url: Url,
    /// The account's API key (not secret: it appears in dashboards and logs).
    pub api_key: String,
    /// The account's API secret.
    pub api_secret: SecretString,
    /// Limit for establishing the connection. Default [`DEFAULT_CONNECT_TIMEOUT`] (2 s).
    pub connect_timeout: Duration,
    /// Limit for a whole request. Default [`DEFAULT_TIMEOUT`] (10 s).
    pub timeout: Duration,
    /// The delivery sequence sent with every start. Default SMS, then a call at 150 s, for
    /// a 300 s login.
    pub delivery: VonageDelivery,
    /// The Vonage application whose JWTs (`Authorization: Bearer`) authenticate every Verify
    /// v2 call instead of the key and secret. Default none: HTTP Basic. The v1 client
    /// ignores it (v1 has no application authentication; configuration refuses it there).
    pub application: Option<VonageApplication>,
}

impl VonageSettings {
    /// Settings for the public Vonage API with the default timeouts.
    pub fn new(api_key: impl Into<String>, api_secret: SecretString) -> Self {
        Self {
            base_url: default_base_url(),
            api_key: api_key.into(),
            api_secret,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            delivery: VonageDelivery::default(),
            application: None,
        }
    }

    /// The same settings with another delivery sequence.
    pub fn with_delivery(mut self, delivery: VonageDelivery) -> Self {
        self.delivery = delivery;
        self
    }

    /// The same settings with other connect and total timeouts.
    pub fn with_timeouts(mut self, connect_timeout: Duration, timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self.timeout = timeout;
        self
    }

    /// The same settings authenticating Verify v2 calls as `application` (Bearer JWTs)
    /// instead of with the key and secret.
    pub fn with_application(mut self, application: VonageApplication) -> Self {
        self.application = Some(application);
        self
    }

    /// The same settings pointed at another host, e.g. the emulator.
    pub fn with_base_url(mut self, base_url: Url) -> Self {
        self.base_url = base_url;
        self
    }
}

/// Why a client could not be built. Raised at startup, never on a request.
#[derive(Debug, thiserror::Error)]
pub enum ClientBuildError {
    /// The base URL cannot take path segments (e.g. `mailto:`) or is not http(s).
    #[error("the Verify base URL `{0}` must be an http:// or https:// URL")]
    InvalidBaseUrl(String),
    /// The HTTP client could not be initialised (TLS backend).
    #[error("could not build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}

// A constant, covered by a unit test: cannot fail at runtime.
fn default_base_url() -> Url {
    Url::parse(DEFAULT_BASE_URL).expect("DEFAULT_BASE_URL is a valid URL")
}

/// Builds the HTTP client every Verify adapter uses: explicit connect and total timeouts, no
/// redirects (an API answering with a redirect is misconfigured, and following one could
/// resend credentials elsewhere), and no proxy for loopback hosts such as the emulator.
pub(crate) fn http_client(settings: &VonageSettings) -> Result<reqwest::Client, ClientBuildError> {
    http_client_for(
        &settings.base_url,
        settings.connect_timeout,
        settings.timeout,
    )
}

/// [`http_client`] for any provider: checks `base_url` (http(s) with a host) and applies the
/// given connect and total timeouts.
pub(crate) fn http_client_for(
    base_url: &Url,
    connect_timeout: Duration,
    timeout: Duration,
) -> Result<reqwest::Client, ClientBuildError> {
    check_base_url(base_url)?;
    let mut builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("passwordless/", env!("CARGO_PKG_VERSION")));
    if is_loopback(base_url) {
        builder = builder.no_proxy();
    }
    Ok(builder.build()?)
}

fn check_base_url(base_url: &Url) -> Result<(), ClientBuildError> {
    let http = matches!(base_url.scheme(), "http" | "https");
    if !http || base_url.cannot_be_a_base() || base_url.host().is_none() {
        return Err(ClientBuildError::InvalidBaseUrl(base_url.to_string()));
    }
    Ok(())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `base` with `segments` appended as percent-encoded path segments. The base URL was checked
/// by [`http_client`], so the `None` branch is unreachable in practice.
pub(crate) fn endpoint(base: &Url, segments: &[&str]) -> Option<Url> {
    let mut url = base.clone();
    url.path_segments_mut()
        .ok()?
        .pop_if_empty()
        .extend(segments);
    Some(url)
}

/// Describes a transport failure for logs: kind plus the error without its URL (the URL can
/// hold a request id, which is kept out of logs).
pub(crate) fn transport_detail(error: reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect error"
    } else if error.is_decode() || error.is_body() {
        "unreadable body"
    } else {
        "transport error"
    };
    format!("{kind}: {}", error.without_url())
}

/// At most `max` characters of `text`, for brands and for log excerpts of upstream bodies.
pub(crate) fn truncate_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Sends a request and reads the whole reply (bounded by the client's total timeout).
/// `Err` is a log-ready transport failure detail.
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
) -> Result<(reqwest::StatusCode, Vec<u8>), String> {
    let response = request.send().await.map_err(transport_detail)?;
    let status = response.status();
    let body = response.bytes().await.map_err(transport_detail)?;
    Ok((status, body.to_vec()))
}

/// A short, printable excerpt of an upstream body for logs.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = truncate_chars(text.trim(), 200);
    if text.is_empty() {
        "<empty body>".to_owned()
    } else {
        text
    }
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod emulator_tests;

#[cfg(test)]
mod contract;
