//! The services and settings server functions reach through Leptos context.

use super::challenge::Challenge;
use super::clock::Clock;
use super::flash_cookie::FlashCookies;
use super::guard::FraudGuard;
use super::passkeys::RelyingParty;
use super::rate_limit::RateLimiter;
use super::store::accounts::AccountStore;
use super::store::locks::LockStore;
use super::store::session_index::SessionIndex;
use super::verify_port::VerifyProvider;
use crate::domain::DefaultCountry;
use std::sync::Arc;
use std::time::Duration;

/// Everything the login service needs, built once at start-up by the server crate and
/// provided to every server function and SSR render.
#[derive(Clone)]
pub struct AuthContext {
    /// The Verify provider (Vonage v2, v1, or the emulator through the v2 client).
    pub provider: Arc<dyn VerifyProvider>,
    /// The time source for expiry.
    pub clock: Arc<dyn Clock>,
    /// Country assumed for numbers typed without `+`.
    pub default_country: DefaultCountry,
    /// Product name in the message.
    pub brand: String,
    /// Message language when the browser asks for none we support (`VERIFY_LOCALE`).
    pub fallback_locale: Option<String>,
    /// How long a pending login (and its code) stays usable: `LOGIN_TTL`, capped at the
    /// provider's code lifetime.
    pub pending_ttl: Duration,
    /// Wait before "Send again" (`RESEND_AFTER`).
    pub resend_after: Duration,
    /// Wrong codes allowed per pending login: our cap (5) or the provider's, whichever is lower.
    pub max_wrong_codes: u32,
    /// `true` when codes go to the development outbox (emulator).
    pub dev_outbox: bool,
    /// ISO codes of the countries codes may be sent to; `None` allows every country.
    pub allowed_countries: Option<Vec<String>>,
    /// Send, check and wrong-code limits, shared by every instance through the store.
    pub limits: RateLimiter,
    /// One owner per number's pending code, shared by every instance through the store.
    pub locks: Arc<dyn LockStore>,
    /// The SMS-pumping guard (conversion per country and prefix), shared through the store.
    pub guard: FraudGuard,
    /// The human check before risky sends; `None` unless `CAPTCHA_PROVIDER` is set.
    pub challenge: Option<Challenge>,
    /// Accounts (`ACCOUNT_STORE`): one per number that ever signed in.
    pub accounts: Arc<dyn AccountStore>,
    /// Each account's signed-in sessions, shared by every instance through the store; a
    /// session is signed in only while listed here.
    pub sessions: Arc<dyn SessionIndex>,
    /// This site as a WebAuthn relying party; `None` when passkeys cannot work here (a
    /// `PUBLIC_URL` without a domain name).
    pub passkeys: Option<Arc<RelyingParty>>,
    /// Signs and reads the one-shot message cookie (`COOKIE_SECRET`, else a key per
    /// process), so a message needs no stored session.
    pub flash_cookies: FlashCookies,
    /// The pages' language when the visitor's `lang` cookie and `Accept-Language` name none
    /// we have (`DEFAULT_LANGUAGE`, else English).
    pub default_language: crate::i18n::Locale,
    /// Other sites a sign-in may return to (`AUTH_REDIRECT_HOSTS`); empty: same-site paths
    /// only.
    pub redirect_hosts: super::RedirectHosts,
    /// The site's public origin (`PUBLIC_URL`, `https://login.example.com`), where the mobile
    /// network sends the browser back after silent authentication; `None`: only a loopback
    /// `Host` (development) gets silent authentication's way back.
    pub public_origin: Option<String>,
}
