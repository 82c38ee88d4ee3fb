//! `EMULATOR_APPLICATION_ID` and `EMULATOR_PUBLIC_KEY`: the Vonage application whose JWTs the
//! emulator's Verify v2 accepts besides its key and secret.

use super::ConfigError;
use crate::emulator::{ApplicationAuth, PublicKey};

/// Reads the application: none without `EMULATOR_APPLICATION_ID`. `EMULATOR_PUBLIC_KEY` is
/// the path of a PEM public key file, or the PEM text itself when it starts with
/// `-----BEGIN`; without it signatures are not verified (the claims still are).
pub(super) fn parse_application(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<ApplicationAuth>, ConfigError> {
    let fail = |variable: &'static str, problem: String| ConfigError { variable, problem };
    let public_key = get("EMULATOR_PUBLIC_KEY");
    let Some(application_id) = get("EMULATOR_APPLICATION_ID") else {
        return match public_key {
            Some(_) => Err(fail(
                "EMULATOR_PUBLIC_KEY",
                "needs EMULATOR_APPLICATION_ID, the application the key belongs to".to_owned(),
            )),
            None => Ok(None),
        };
    };
    let public_key = match public_key {
        None => None,
        Some(value) => {
            let pem = if value.trim_start().starts_with("-----BEGIN") {
                value.into_bytes()
            } else {
                std::fs::read(&value).map_err(|e| {
                    fail("EMULATOR_PUBLIC_KEY", format!("cannot read `{value}`: {e}"))
                })?
            };
            Some(PublicKey::from_pem(&pem).map_err(|e| fail("EMULATOR_PUBLIC_KEY", e))?)
        }
    };
    Ok(Some(ApplicationAuth {
        application_id,
        public_key,
    }))
}
