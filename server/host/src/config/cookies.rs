//! `COOKIE_SECURE` and `COOKIE_SECRET`: whether cookies are `Secure` (then `__Host-` named),
//! and the key that signs the one-shot message cookie (a no-JavaScript post's error carried
//! to the next page without a stored session).

use super::ConfigError;
use app_core::auth::server::flash_cookie::FlashCookies;
use secrecy::SecretString;

/// Reads `COOKIE_SECRET`: any string of at least 32 bytes (`MIN_SECRET_BYTES`), surrounding
/// whitespace ignored, used as given as the master key the signing key is derived from
/// (HKDF-SHA256); it must be random, e.g. `openssl rand -base64 48`. Unset: `None`, a
/// random key per process.
pub(super) fn parse_cookie_secret(
    raw: Option<String>,
) -> Result<Option<SecretString>, ConfigError> {
    let Some(secret) = raw else {
        return Ok(None);
    };
    // The same check the signer makes, so a bad secret stops the start with its name.
    FlashCookies::from_secret(secret.as_bytes(), false).map_err(|short| ConfigError {
        variable: "COOKIE_SECRET",
        problem: short.to_string(),
    })?;
    Ok(Some(SecretString::from(secret)))
}

/// Reads `COOKIE_SECURE`: `auto` (default, `None`: decided at start-up from `PUBLIC_URL` or
/// the listening address), `always` or `never`.
pub(super) fn parse_cookie_secure(raw: Option<String>) -> Result<Option<bool>, ConfigError> {
    match raw.as_deref().unwrap_or("auto") {
        "auto" => Ok(None),
        "always" => Ok(Some(true)),
        "never" => Ok(Some(false)),
        other => Err(ConfigError {
            variable: "COOKIE_SECURE",
            problem: format!("`{other}` is not auto, always or never"),
        }),
    }
}
