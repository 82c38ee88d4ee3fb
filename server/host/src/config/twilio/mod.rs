//! `VERIFY_PROVIDER=twilio`: the Twilio account and Verify service to send codes with.

use super::ConfigError;
use secrecy::SecretString;

/// The public Twilio Verify host, used unless `TWILIO_BASE_URL` says otherwise.
pub const DEFAULT_TWILIO_BASE_URL: &str = "https://verify.twilio.com";

/// Account and service settings for Twilio Verify. `Debug` hides the auth token.
#[derive(Debug, Clone)]
pub struct TwilioCredentials {
    /// `TWILIO_ACCOUNT_SID` (`AC…`), the Basic auth user name.
    pub account_sid: String,
    /// `TWILIO_AUTH_TOKEN`; never logged.
    pub auth_token: SecretString,
    /// `TWILIO_VERIFY_SERVICE_SID` (`VA…`).
    pub service_sid: String,
    /// `TWILIO_BASE_URL` (default [`DEFAULT_TWILIO_BASE_URL`]).
    pub base_url: url::Url,
}

/// Reads the Twilio settings; a missing or blank required value, or a base URL that is not
/// http(s), is a [`ConfigError`] naming its variable. `get` answers trimmed, non-blank values.
pub(super) fn parse_twilio(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<TwilioCredentials, ConfigError> {
    let required = |variable: &'static str| {
        get(variable).ok_or_else(|| ConfigError {
            variable,
            problem: "required when VERIFY_PROVIDER=twilio".to_owned(),
        })
    };
    let account_sid = required("TWILIO_ACCOUNT_SID")?;
    let auth_token = SecretString::from(required("TWILIO_AUTH_TOKEN")?);
    let service_sid = required("TWILIO_VERIFY_SERVICE_SID")?;
    let raw = get("TWILIO_BASE_URL").unwrap_or_else(|| DEFAULT_TWILIO_BASE_URL.to_owned());
    let base_url = url::Url::parse(&raw)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| ConfigError {
            variable: "TWILIO_BASE_URL",
            problem: format!("`{raw}` is not an http(s) URL"),
        })?;
    Ok(TwilioCredentials {
        account_sid,
        auth_token,
        service_sid,
        base_url,
    })
}

#[cfg(test)]
mod tests;
