//! The human check's server side: the siteverify client (Turnstile and hCaptcha share its
//! contract) and the [`Challenge`] built from the `CAPTCHA_*` settings, bound to the site
//! (`PUBLIC_URL`'s host, else the served host) and, for Turnstile, to our widget's action.

use crate::config::{default_script_url, default_verify_url, CaptchaConfig};
use crate::verify::http_client_for;
use app_core::auth::server::challenge::{
    Binding, Challenge, ChallengeSettings, ChallengeVerifier, SiteAnswer, Solved,
};
use app_core::auth::server::store::counters::CounterStore;
use app_core::auth::{CaptchaProvider, ChallengeWidget, TURNSTILE_ACTION};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Limit for a whole siteverify call: a visitor waits on it before their code is sent.
pub const SITEVERIFY_TIMEOUT: Duration = Duration::from_secs(3);

/// A siteverify endpoint and the secret it is called with.
pub struct SiteVerify {
    http: reqwest::Client,
    url: Url,
    secret: SecretString,
    /// hCaptcha checks the token was made for this site key (an optional parameter).
    site_key: Option<String>,
}

#[derive(Deserialize)]
struct SiteVerifyAnswer {
    success: bool,
    #[serde(rename = "error-codes", default)]
    error_codes: Vec<String>,
    /// Where the widget was solved (both providers, on success).
    #[serde(default)]
    hostname: Option<String>,
    /// The widget's action (Turnstile only).
    #[serde(default)]
    action: Option<String>,
}

impl SiteVerify {
    /// A client for `url`, timing out after `timeout`.
    pub fn new(
        url: Url,
        secret: SecretString,
        site_key: Option<String>,
        timeout: Duration,
    ) -> Result<Self, String> {
        let http = http_client_for(&url, timeout.min(Duration::from_secs(2)), timeout)
            .map_err(|e| e.to_string())?;
        Ok(Self {
            http,
            url,
            secret,
            site_key,
        })
    }
}

#[async_trait::async_trait]
impl ChallengeVerifier for SiteVerify {
    async fn verify(&self, token: &str, remote_ip: Option<IpAddr>) -> Result<SiteAnswer, String> {
        let ip = remote_ip.map(|ip| ip.to_string());
        let mut form = vec![("secret", self.secret.expose_secret()), ("response", token)];
        if let Some(ip) = &ip {
            form.push(("remoteip", ip));
        }
        if let Some(key) = &self.site_key {
            form.push(("sitekey", key));
        }
        let response = self
            .http
            .post(self.url.clone())
            .form(&form)
            .send()
            .await
            .map_err(|e| format!("siteverify unreachable: {}", e.without_url()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("siteverify answered {status}"));
        }
        let answer: SiteVerifyAnswer = response
            .json()
            .await
            .map_err(|e| format!("siteverify answer unreadable: {}", e.without_url()))?;
        Ok(match answer.success {
            true => SiteAnswer::Solved(Solved {
                hostname: answer.hostname,
                action: answer.action,
            }),
            false => SiteAnswer::Refused(answer.error_codes),
        })
    }
}

/// The challenge for `config`; `emulator_url` (the in-process emulator's base, when it is
/// the provider) makes its stand-ins the default script and siteverify.
pub fn challenge(
    config: &CaptchaConfig,
    emulator_url: Option<&Url>,
    counters: Arc<dyn CounterStore>,
) -> Result<Challenge, String> {
    let provider = config.provider;
    let script_url = match (&config.script_url, emulator_url) {
        (Some(url), _) => url.clone(),
        (None, Some(_)) => "/dev/captcha/api.js".to_owned(),
        (None, None) => default_script_url(provider).to_owned(),
    };
    let verify_url = match (&config.verify_url, emulator_url) {
        (Some(url), _) => url.clone(),
        (None, Some(emulator)) => emulator
            .join("/dev/captcha/siteverify")
            .map_err(|e| e.to_string())?,
        (None, None) => Url::parse(default_verify_url(provider)).map_err(|e| e.to_string())?,
    };
    let site_key = (provider == CaptchaProvider::Hcaptcha).then(|| config.site_key.clone());
    let binding = binding(config);
    if binding.test_hostname.is_some() && emulator_url.is_none() {
        tracing::warn!(
            provider = provider.name(),
            "CAPTCHA_SECRET is the provider's documented test secret: every check of its dummy token passes; never use it in production"
        );
    }
    let verifier = SiteVerify::new(
        verify_url,
        config.secret.clone(),
        site_key,
        SITEVERIFY_TIMEOUT,
    )?;
    let settings = ChallengeSettings {
        csp_origins: csp_origins(provider, &script_url),
        widget: ChallengeWidget {
            provider,
            site_key: config.site_key.clone(),
            script_url,
            action: binding.action.clone(),
        },
        when: config.when,
        ip_burst: config.ip_burst,
        binding,
    };
    Ok(Challenge::new(settings, Arc::new(verifier), counters))
}

/// Where a solved token must come from: `PUBLIC_URL`'s host (else the served host); for
/// Turnstile the action our widget is rendered with. With a provider's documented test
/// secret, whose canned answer names a fixed hostname (Turnstile's `example.com`, hCaptcha's
/// `dummy-key-pass`) and no action of ours, that hostname is accepted too: such a secret
/// vouches only for a dummy token anyone can have, so nothing is given away.
fn binding(config: &CaptchaConfig) -> Binding {
    let secret = config.secret.expose_secret();
    let (action, test_hostname) = match config.provider {
        CaptchaProvider::Turnstile => (
            Some(TURNSTILE_ACTION.to_owned()),
            emulator::captcha::test_hostname(secret)
                .filter(|h| *h == emulator::captcha::TURNSTILE_TEST_HOSTNAME),
        ),
        CaptchaProvider::Hcaptcha => (
            None,
            emulator::captcha::test_hostname(secret)
                .filter(|h| *h == emulator::captcha::HCAPTCHA_TEST_HOSTNAME),
        ),
    };
    Binding {
        site_host: config.site_host.clone(),
        action,
        test_hostname: test_hostname.map(str::to_owned),
    }
}

/// What the page CSP admits for the widget: the provider's documented origins when its own
/// script is used, the script's origin when another absolute URL is, nothing for a path on
/// this site.
fn csp_origins(provider: CaptchaProvider, script_url: &str) -> Vec<String> {
    if script_url.starts_with('/') {
        return Vec::new();
    }
    if script_url == default_script_url(provider) {
        return match provider {
            CaptchaProvider::Turnstile => vec!["https://challenges.cloudflare.com".into()],
            CaptchaProvider::Hcaptcha => {
                vec![
                    "https://hcaptcha.com".into(),
                    "https://*.hcaptcha.com".into(),
                ]
            }
        };
    }
    Url::parse(script_url)
        .map(|url| vec![url.origin().ascii_serialization()])
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
