//! What the browser needs to show a human check (CAPTCHA) before a risky code send: which
//! provider's widget, its public site key and where its script comes from. Never the secret.

use serde::{Deserialize, Serialize};

/// The CAPTCHA services the phone step can show (`CAPTCHA_PROVIDER`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaptchaProvider {
    /// Cloudflare Turnstile.
    Turnstile,
    /// hCaptcha.
    Hcaptcha,
}

impl CaptchaProvider {
    /// The global object the provider's script defines (`turnstile`, `hcaptcha`); both offer
    /// `render(container, {sitekey, callback, 'error-callback', 'expired-callback'})` and
    /// `reset(widgetId)`.
    pub fn global(self) -> &'static str {
        match self {
            Self::Turnstile => "turnstile",
            Self::Hcaptcha => "hcaptcha",
        }
    }

    /// The setting's value and the name in logs.
    pub fn name(self) -> &'static str {
        self.global()
    }
}

/// The widget the phone step renders when the server asks for a human check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeWidget {
    /// Whose widget.
    pub provider: CaptchaProvider,
    /// The public site key (`CAPTCHA_SITE_KEY`).
    pub site_key: String,
    /// The provider's script, loaded only when a check is asked for (`CAPTCHA_SCRIPT_URL`).
    pub script_url: String,
}
