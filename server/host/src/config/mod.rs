//! One typed configuration tree, read from the environment (and `.env`), validated at start-up.
//! Every problem names the variable at fault.

use app_core::auth::server::rate_limit::LimitPolicy;
use app_core::domain::DefaultCountry;
use std::net::SocketAddr;
use std::time::Duration;

mod accounts;
mod captcha;
mod channels;
mod cookies;
mod delivery;
mod edge;
mod emulator_api;
mod guard;
mod language;
mod limits;
mod provider;
mod sending;
mod shared_sign_in;
mod store;
mod test_numbers;
mod twilio;
mod values;
use accounts::parse_account_store;
pub use accounts::AccountStoreConfig;
use app_core::auth::Channel;
use captcha::parse_captcha;
pub use captcha::{default_script_url, default_verify_url, CaptchaConfig};
use channels::parse_sequence;
pub use channels::ChannelSequence;
use cookies::{parse_cookie_secret, parse_cookie_secure};
use delivery::parse_delivery;
pub use delivery::VONAGE_LIFETIME;
pub use edge::Cidr;
use edge::{
    parse_client_ip_header, parse_ops, parse_public_origin, parse_trusted_proxies, parse_yes_no,
};
pub use emulator_api::EmulatorApi;
use guard::parse_guard;
use language::parse_default_language;
use limits::{check_room_for_a_login, parse_limits};
use provider::parse_provider;
pub use provider::{EmulatorSettings, ProviderConfig, VonageCredentials, DEFAULT_VONAGE_BASE_URL};
use sending::{
    parse_allowed_countries, parse_brand, parse_call_timeouts, parse_fallback_locale,
    parse_resend_after,
};
use shared_sign_in::parse_shared_sign_in;
pub use shared_sign_in::SharedSignIn;
pub use store::{RedisSettings, SessionStoreConfig};
use test_numbers::parse_test_numbers;
pub use twilio::{TwilioCredentials, DEFAULT_TWILIO_BASE_URL};
use values::parse_or;

/// The whole configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `VERIFY_PROVIDER` and its settings.
    pub provider: ProviderConfig,
    /// `VERIFY_BRAND`: product name in the message, 1–16 characters.
    pub brand: String,
    /// `VERIFY_LOCALE`: message language when neither the page's nor the browser's is one the
    /// provider has (e.g. `en-gb`); unset leaves it to the provider.
    pub fallback_locale: Option<String>,
    /// `DEFAULT_COUNTRY`: ISO code for numbers typed without `+` (default GB).
    pub default_country: DefaultCountry,
    /// `DEFAULT_LANGUAGE`: the pages' language when the visitor names none we have.
    pub default_language: app_core::i18n::Locale,
    /// `SESSION_STORE` (default `sqlite://data/sessions.db`).
    pub session_store: SessionStoreConfig,
    /// `ACCOUNT_STORE` (default `sqlite://data/accounts.db`; `postgres://…` for several
    /// instances).
    pub account_store: AccountStoreConfig,
    /// `LOGIN_TTL`: seconds a pending login stays usable (default 600, at most 600).
    pub pending_ttl: Duration,
    /// `VONAGE_WORKFLOW` and `AUTO_CALL_AFTER`: SMS, then (by default) a call Vonage makes
    /// by itself 150 s later unless the code was typed.
    pub delivery: crate::verify::VonageDelivery,
    /// `TWILIO_CHANNELS` (default `sms,call`): what the Twilio client sends first (`sms`,
    /// `whatsapp`, or both as the person's choice) and on request after it (`call`, or `sms`).
    pub twilio_channels: ChannelSequence,
    /// `VERIFY_CONNECT_TIMEOUT_MS`: connect limit for provider calls (default 2000, at most 2000).
    pub connect_timeout: Duration,
    /// `VERIFY_TIMEOUT_MS`: total limit for a provider call (default 10000, at most 10000).
    pub timeout: Duration,
    /// `RESEND_AFTER`: seconds before "Send again" (default 30).
    pub resend_after: Duration,
    /// `LIMIT_PER_NUMBER`, `LIMIT_PER_IP`, `LIMIT_PER_SESSION`, `LIMIT_GLOBAL_PER_HOUR`,
    /// `LIMIT_CHECKS_PER_IP`, `LIMIT_FAILED_PER_NUMBER` (default `10/1d`) and
    /// `LIMIT_IPV6_PREFIX` (default 64), `LIMIT_IPV6_WIDER` (default `56:4,48:16`).
    pub limits: LimitPolicy,
    /// `GUARD_*`: the SMS-pumping guard (mode, threshold, volume, blocks, safe list).
    pub guard: app_core::auth::server::guard::GuardSettings,
    /// `CAPTCHA_*`: the human check before risky sends; `None` when no provider is set.
    pub captcha: Option<CaptchaConfig>,
    /// `ALLOWED_COUNTRIES`: ISO codes codes may be sent to (`GB,IE`); unset allows all.
    pub allowed_countries: Option<Vec<String>>,
    /// `COOKIE_SECURE`: `auto` (default, `None`: `Secure`, `__Host-` and HSTS when
    /// `PUBLIC_URL` is `https://…`; without `PUBLIC_URL`, unless the site listens on
    /// loopback), `always` or `never`.
    pub cookie_secure: Option<bool>,
    /// `COOKIE_SECRET`: at least 32 random bytes (any string, e.g. `openssl rand -base64 48`)
    /// from which the key signing the one-shot message cookie is derived; set the same on
    /// every instance. Unset (`None`): a random key per process, so a message written by one
    /// instance is dropped by another (only the message is lost).
    pub cookie_secret: Option<secrecy::SecretString>,
    /// `CLIENT_IP_HEADER`: header a trusted reverse proxy sets to the client address
    /// (e.g. `X-Real-IP`); unset means the socket peer address. Honoured only on requests
    /// whose socket peer is in `trusted_proxies`.
    pub client_ip_header: Option<http::HeaderName>,
    /// `TRUSTED_PROXIES`: addresses or CIDR ranges of the proxies allowed to set
    /// `CLIENT_IP_HEADER` (default: loopback only, `127.0.0.0/8,::1`).
    pub trusted_proxies: Vec<Cidr>,
    /// `PUBLIC_URL`: the site's public origin (`https://login.example.com`); when set, the
    /// `Origin` of every state-changing request must equal it. Unset: compared with `Host`,
    /// which must then name this server (a loopback name or address, or the site's).
    pub public_origin: Option<String>,
    /// `EMULATOR_PUBLIC=yes` with `VERIFY_PROVIDER=emulator`: serve the emulator (and its
    /// outbox of codes) on a non-loopback address, for a demo. Default `no`.
    pub emulator_public: bool,
    /// `OPS_ADDR`: where `/healthz`, `/readyz` and `/metrics` are served instead of the site's
    /// port (e.g. `127.0.0.1:9090`, reachable only by the orchestrator); unset: the site port.
    pub ops_addr: Option<SocketAddr>,
    /// `OPS_PUBLIC=yes`: without `OPS_ADDR`, `/readyz` and `/metrics` answer any peer on the
    /// site's port. Default `no`: loopback peers only.
    pub ops_public: bool,
    /// `TEST_NUMBERS` (`NUMBER=CODE,…`, at most 10), `TEST_NUMBERS_UNTIL` (required with it)
    /// and `TEST_NUMBERS_ANY_RANGE`: numbers that sign in with their code under any provider
    /// and send nothing; `None` when unset.
    pub test_numbers: Option<app_core::auth::server::test_numbers::TestNumbers>,
    /// `AUTH_REDIRECT_HOSTS` and `COOKIE_DOMAIN`: sign-in in front of other apps.
    pub shared_sign_in: SharedSignIn,
}

/// A setting that cannot be used, with the variable's name.
#[derive(Debug, thiserror::Error)]
#[error("configuration error in {variable}: {problem}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub variable: &'static str,
    /// What is wrong and what is expected.
    pub problem: String,
}

impl Config {
    /// Reads the process environment, after loading `.env` if one exists.
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds the configuration from any variable lookup (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let fail = |variable: &'static str, problem: String| ConfigError { variable, problem };

        let provider = parse_provider(&get)?;

        let brand = parse_brand(get("VERIFY_BRAND"))?;
        let default_country = get("DEFAULT_COUNTRY")
            .unwrap_or_else(|| "GB".to_owned())
            .parse()
            .map_err(|problem| fail("DEFAULT_COUNTRY", problem))?;
        let session_store = SessionStoreConfig::from_lookup(get)?;
        let account_store = parse_account_store(&get)?;
        let pending_secs: u64 = parse_or("LOGIN_TTL", get("LOGIN_TTL"), "600")?;
        if !(60..=600).contains(&pending_secs) {
            return Err(fail(
                "LOGIN_TTL",
                "must be 60 to 600 seconds (NIST: codes live at most 10 minutes)".into(),
            ));
        }
        let limits = parse_limits(&get)?;
        let guard = parse_guard(&get)?;
        let captcha = parse_captcha(&get)?;
        // The emulator's codes may be set to live shorter (EMULATOR_CODE_TTL, for fast
        // expiry in development and tests): the call must come within that life too.
        let code_life = match &provider {
            ProviderConfig::Emulator(settings) => settings.code_ttl,
            _ => Duration::MAX,
        };
        let delivery = parse_delivery(
            &get,
            Duration::from_secs(pending_secs).min(code_life),
            matches!(
                &provider,
                ProviderConfig::VonageLegacy(_)
                    | ProviderConfig::Emulator(EmulatorSettings {
                        api: EmulatorApi::VonageLegacy,
                        ..
                    })
            ),
        )?;
        let twilio_channels = parse_sequence(
            &get("TWILIO_CHANNELS").unwrap_or_else(|| "sms,call".to_owned()),
            "call",
            &[Channel::Sms, Channel::WhatsApp, Channel::Voice],
            false,
        )
        .map_err(|problem| fail("TWILIO_CHANNELS", problem))?;
        let calls_by_itself = delivery.next.is_some()
            && !matches!(
                &provider,
                ProviderConfig::Twilio(_)
                    | ProviderConfig::Emulator(EmulatorSettings {
                        api: EmulatorApi::Twilio,
                        ..
                    })
            );
        if calls_by_itself {
            check_room_for_a_login(&limits)?;
        }
        let client_ip_header = parse_client_ip_header(get("CLIENT_IP_HEADER"))?;
        let trusted_proxies = parse_trusted_proxies(Some(
            get("TRUSTED_PROXIES").unwrap_or_else(|| "127.0.0.0/8,::1".into()),
        ))?;
        let public_origin = parse_public_origin(get("PUBLIC_URL"))?;
        if delivery.silent
            && public_origin.is_none()
            && matches!(&provider, ProviderConfig::Vonage(_))
        {
            return Err(fail(
                "PUBLIC_URL",
                "required with silent_auth in VONAGE_WORKFLOW: the mobile network sends the browser back to PUBLIC_URL/login/silent".into(),
            ));
        }
        if delivery.silent
            && matches!(&provider, ProviderConfig::Vonage(c) if c.application.is_none())
        {
            return Err(fail(
                "VONAGE_APPLICATION_ID",
                "required with silent_auth in VONAGE_WORKFLOW: Vonage takes silent authentication only from an application's JWT (set VONAGE_APPLICATION_ID and VONAGE_PRIVATE_KEY)".into(),
            ));
        }
        let emulator_public = parse_yes_no("EMULATOR_PUBLIC", get("EMULATOR_PUBLIC"))?;
        if emulator_public && get("VERIFY_PROVIDER").as_deref() != Some("emulator") {
            return Err(fail(
                "EMULATOR_PUBLIC",
                "serving the emulator publicly needs VERIFY_PROVIDER=emulator set explicitly"
                    .into(),
            ));
        }
        let (ops_addr, ops_public) = parse_ops(&get)?;
        let allowed_countries = parse_allowed_countries(get("ALLOWED_COUNTRIES"))?;
        let (connect_timeout, timeout) = parse_call_timeouts(&get)?;
        let resend_after = parse_resend_after(get("RESEND_AFTER"))?;
        let cookie_secure = parse_cookie_secure(get("COOKIE_SECURE"))?;
        let cookie_secret = parse_cookie_secret(get("COOKIE_SECRET"))?;
        let fallback_locale = parse_fallback_locale(get("VERIFY_LOCALE"))?;
        let default_language = parse_default_language(get("DEFAULT_LANGUAGE"))?;
        let test_numbers = parse_test_numbers(&get, default_country, std::time::SystemTime::now())?;
        let public_host = public_origin
            .as_deref()
            .and_then(shared_sign_in::origin_host);
        let shared_sign_in = parse_shared_sign_in(&get, public_host.as_deref())?;
        Ok(Self {
            test_numbers,
            shared_sign_in,
            connect_timeout,
            timeout,
            fallback_locale,
            resend_after,
            cookie_secure,
            cookie_secret,
            allowed_countries,
            provider,
            brand,
            default_country,
            default_language,
            session_store,
            account_store,
            pending_ttl: Duration::from_secs(pending_secs),
            delivery,
            twilio_channels,
            limits,
            guard,
            captcha,
            client_ip_header,
            trusted_proxies,
            public_origin,
            emulator_public,
            ops_addr,
            ops_public,
        })
    }
}

#[cfg(test)]
mod tests;
