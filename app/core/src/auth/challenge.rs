//! What the browser needs to show a human check (CAPTCHA) before a risky code send: which
//! provider's widget, its public site key, where its script comes from and the action it is
//! rendered with. Never the secret.

use serde::{Deserialize, Serialize};

/// The CAPTCHA services the phone step can show (`CAPTCHA_PROVIDER`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaptchaProvider {
    /// Cloudflare Turnstile.
    Turnstile,
    /// hCaptcha.
    Hcaptcha,
}

/// The action the Turnstile widget is rendered with; siteverify names it back, and a token
/// whose answer names another (solved in another site's or another form's widget) is refused.
/// Turnstile allows up to 32 letters, digits, `-` and `_`; hCaptcha has no action.
pub const TURNSTILE_ACTION: &str = "login";

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
    /// The action the widget is rendered with (Turnstile's `action`, [`TURNSTILE_ACTION`]),
    /// checked in siteverify's answer; `None` for hCaptcha, which has none.
    #[serde(default)]
    pub action: Option<String>,
}
