//! How codes are sent: the brand and language of the message (`VERIFY_BRAND`,
//! `VERIFY_LOCALE`), the countries codes may go to (`ALLOWED_COUNTRIES`), when the visitor may
//! ask again (`RESEND_AFTER`), and the time limits of each provider call
//! (`VERIFY_CONNECT_TIMEOUT_MS`, `VERIFY_TIMEOUT_MS`).

use super::values::parse_or;
use super::ConfigError;
use app_core::domain::DefaultCountry;
use std::time::Duration;

fn fail(variable: &'static str, problem: String) -> ConfigError {
    ConfigError { variable, problem }
}

/// Reads `VERIFY_BRAND`: the product name in the message, 1–16 characters (default
/// `Passwordless`).
pub(super) fn parse_brand(raw: Option<String>) -> Result<String, ConfigError> {
    let brand = raw.unwrap_or_else(|| "Passwordless".to_owned());
    if brand.chars().count() > 16 {
        return Err(fail(
            "VERIFY_BRAND",
            "must be 1 to 16 characters (a Vonage limit)".into(),
        ));
    }
    Ok(brand)
}

/// Reads `VERIFY_LOCALE`: one of the message locales in Vonage's spelling such as `en-gb`
/// (any case; see [`SUPPORTED`](app_core::auth::server::locale::SUPPORTED), which includes
/// `ar-xa`), the last language choice after the page's and the browser's; a provider whose
/// API lacks it sends none. Unset leaves the language to the provider.
pub(super) fn parse_fallback_locale(raw: Option<String>) -> Result<Option<String>, ConfigError> {
    let fallback_locale = raw.map(|l| l.to_ascii_lowercase());
    if let Some(locale) = &fallback_locale {
        if app_core::auth::server::locale::preferred_locale(None, Some(locale)).is_none() {
            return Err(fail(
                "VERIFY_LOCALE",
                format!("`{locale}` is not a Vonage Verify locale such as en-gb"),
            ));
        }
    }
    Ok(fallback_locale)
}

/// Reads `ALLOWED_COUNTRIES`: comma-separated ISO codes (`GB,IE`), kept in capitals; unset
/// allows all.
pub(super) fn parse_allowed_countries(
    raw: Option<String>,
) -> Result<Option<Vec<String>>, ConfigError> {
    raw.map(|list| {
        list.split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|code| {
                code.parse::<DefaultCountry>()
                    .map(|_| code.to_ascii_uppercase())
                    .map_err(|problem| fail("ALLOWED_COUNTRIES", problem))
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .transpose()
}

/// Reads `VERIFY_CONNECT_TIMEOUT_MS` (50 to 2000, default 2000) and `VERIFY_TIMEOUT_MS`
/// (100 to 10000, default 10000): the connect and total limits of a provider call.
pub(super) fn parse_call_timeouts(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<(Duration, Duration), ConfigError> {
    let connect_ms: u64 = parse_or(
        "VERIFY_CONNECT_TIMEOUT_MS",
        get("VERIFY_CONNECT_TIMEOUT_MS"),
        "2000",
    )?;
    if !(50..=2000).contains(&connect_ms) {
        return Err(fail(
            "VERIFY_CONNECT_TIMEOUT_MS",
            "must be 50 to 2000".into(),
        ));
    }
    let timeout_ms: u64 = parse_or("VERIFY_TIMEOUT_MS", get("VERIFY_TIMEOUT_MS"), "10000")?;
    if !(100..=10_000).contains(&timeout_ms) {
        return Err(fail("VERIFY_TIMEOUT_MS", "must be 100 to 10000".into()));
    }
    Ok((
        Duration::from_millis(connect_ms),
        Duration::from_millis(timeout_ms),
    ))
}

/// Reads `RESEND_AFTER`: seconds before "Send again" (5 to 300, default 30).
pub(super) fn parse_resend_after(raw: Option<String>) -> Result<Duration, ConfigError> {
    let resend_secs: u64 = parse_or("RESEND_AFTER", raw, "30")?;
    if !(5..=300).contains(&resend_secs) {
        return Err(fail("RESEND_AFTER", "must be 5 to 300 seconds".into()));
    }
    Ok(Duration::from_secs(resend_secs))
}
