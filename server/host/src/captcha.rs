//! The human check's server side: the siteverify client (Turnstile and hCaptcha share its
//! contract) and the [`Challenge`] built from the `CAPTCHA_*` settings.

use crate::config::{default_script_url, default_verify_url, CaptchaConfig};
use crate::verify::http_client_for;
use app_core::auth::server::challenge::{Challenge, ChallengeSettings, ChallengeVerifier, Verdict};
use app_core::auth::server::rate_limit::CounterStore;
use app_core::auth::{CaptchaProvider, ChallengeWidget};
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
    async fn verify(&self, token: &str, remote_ip: Option<IpAddr>) -> Result<Verdict, String> {
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
            true => Verdict::Passed,
            false => Verdict::Refused(answer.error_codes),
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
        },
        when: config.when,
        ip_burst: config.ip_burst,
    };
    Ok(Challenge::new(settings, Arc::new(verifier), counters))
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
#[path = "captcha_tests.rs"]
mod tests;
