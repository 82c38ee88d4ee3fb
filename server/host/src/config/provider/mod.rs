//! `VERIFY_PROVIDER` and the settings of the provider it names.

mod application;
mod reach;
mod vonage_application;

use super::emulator_api::{parse_emulator_api, EmulatorApi};
use super::values::{parse_or, parse_test_numbers};
use super::ConfigError;
use crate::emulator::ApplicationAuth;
use crate::verify::VonageApplication;
use secrecy::SecretString;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

/// The real Vonage API host, used unless `VONAGE_BASE_URL` says otherwise.
pub const DEFAULT_VONAGE_BASE_URL: &str = "https://api.nexmo.com";

/// Which Verify provider sends the codes.
#[derive(Debug, Clone)]
pub enum ProviderConfig {
    /// The built-in emulator (no account, codes in the outbox).
    Emulator(EmulatorSettings),
    /// Vonage Verify v2.
    Vonage(VonageCredentials),
    /// Vonage Verify v1 (the seed's API).
    VonageLegacy(VonageCredentials),
    /// Twilio Verify v2.
    Twilio(super::twilio::TwilioCredentials),
}

/// Account settings for either Vonage API.
#[derive(Debug, Clone)]
pub struct VonageCredentials {
    /// `VONAGE_API_KEY`.
    pub api_key: String,
    /// `VONAGE_API_SECRET`; never logged.
    pub api_secret: SecretString,
    /// `VONAGE_BASE_URL`.
    pub base_url: url::Url,
    /// `VONAGE_APPLICATION_ID` and `VONAGE_PRIVATE_KEY` (a PEM file's path, or the PEM text):
    /// the application whose JWTs authenticate Verify v2 calls instead of the key and
    /// secret (default none; refused for v1). `Debug` shows its id only.
    pub application: Option<VonageApplication>,
}

/// How the in-process emulator behaves.
#[derive(Debug, Clone)]
pub struct EmulatorSettings {
    /// `EMULATOR_ADDR`: where its Vonage-compatible API listens (default an ephemeral
    /// loopback port).
    pub addr: SocketAddr,
    /// `EMULATOR_CODE_TTL`: seconds a code lives (default 300).
    pub code_ttl: Duration,
    /// `EMULATOR_TEST_NUMBERS`: `+12015550100=123456,...` fixed codes for test numbers.
    pub test_numbers: HashMap<String, String>,
    /// `EMULATOR_API`: the client the app talks to it with (default `vonage`).
    pub api: EmulatorApi,
    /// `EMULATOR_API_KEY`: the only API key the emulator accepts (default `emulator`).
    pub api_key: String,
    /// `EMULATOR_API_SECRET`: the only API secret it accepts (default `emulator`); never
    /// logged.
    pub api_secret: SecretString,
    /// `EMULATOR_CANCEL_SETTLE`: seconds a number still answers 409 after a v2 cancel
    /// (default 5, as Vonage is reported to do; 0 frees it at once).
    pub cancel_settle: Duration,
    /// `EMULATOR_APPLICATION_ID` and `EMULATOR_PUBLIC_KEY` (a PEM file's path, or the PEM
    /// text): the Vonage application whose JWTs its Verify v2 accepts (default none).
    pub application: Option<ApplicationAuth>,
    /// `EMULATOR_NO_RCS`: `+447700900001,...` numbers whose phones cannot receive RCS (a
    /// v2 RCS step falls back to the next channel at once; default none).
    pub no_rcs: Vec<String>,
    /// `EMULATOR_NO_WHATSAPP`: numbers not on WhatsApp (default none).
    pub no_whatsapp: Vec<String>,
    /// `EMULATOR_SILENT_AUTH_FAIL`: numbers whose silent authentication fails (default none).
    pub silent_auth_fail: Vec<String>,
    /// `VONAGE_APPLICATION_ID` and `VONAGE_PRIVATE_KEY` with `EMULATOR_API=vonage`: the
    /// application the app's v2 client signs its JWTs as, which `application` must name.
    /// Read by [`super::Config`] only (`from_lookup` leaves it none: the standalone emulator
    /// has no client). `Debug` shows its id only.
    pub vonage_application: Option<VonageApplication>,
}

impl EmulatorSettings {
    /// Reads `EMULATOR_ADDR`, `EMULATOR_CODE_TTL`, `EMULATOR_TEST_NUMBERS`,
    /// `EMULATOR_API_KEY`, `EMULATOR_API_SECRET`, `EMULATOR_CANCEL_SETTLE`, `EMULATOR_API`,
    /// `EMULATOR_APPLICATION_ID`, `EMULATOR_PUBLIC_KEY`, `EMULATOR_NO_RCS`,
    /// `EMULATOR_NO_WHATSAPP` and `EMULATOR_SILENT_AUTH_FAIL` (blank values count as unset);
    /// used by the site and by the standalone `server emulator`.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(Self {
            addr: parse_or("EMULATOR_ADDR", get("EMULATOR_ADDR"), "127.0.0.1:0")?,
            code_ttl: Duration::from_secs(parse_or(
                "EMULATOR_CODE_TTL",
                get("EMULATOR_CODE_TTL"),
                "300",
            )?),
            test_numbers: parse_test_numbers(
                get("EMULATOR_TEST_NUMBERS").as_deref().unwrap_or(""),
            )?,
            api: parse_emulator_api(get("EMULATOR_API"))?,
            api_key: get("EMULATOR_API_KEY").unwrap_or_else(|| "emulator".to_owned()),
            api_secret: SecretString::from(
                get("EMULATOR_API_SECRET").unwrap_or_else(|| "emulator".to_owned()),
            ),
            cancel_settle: Duration::from_secs(parse_or(
                "EMULATOR_CANCEL_SETTLE",
                get("EMULATOR_CANCEL_SETTLE"),
                "5",
            )?),
            application: application::parse_application(&get)?,
            no_rcs: reach::parse_numbers("EMULATOR_NO_RCS", &get)?,
            no_whatsapp: reach::parse_numbers("EMULATOR_NO_WHATSAPP", &get)?,
            silent_auth_fail: reach::parse_numbers("EMULATOR_SILENT_AUTH_FAIL", &get)?,
            vonage_application: None,
        })
    }
}

/// Chooses the provider: `VERIFY_PROVIDER`, else Vonage v2 when both credentials are set,
/// else the emulator; then reads that provider's settings, with the Vonage application
/// (`VONAGE_APPLICATION_ID`, `VONAGE_PRIVATE_KEY`) for a Verify v2 client only. `get`
/// answers trimmed, non-blank values only.
pub(super) fn parse_provider(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<ProviderConfig, ConfigError> {
    let fail = |variable: &'static str, problem: String| ConfigError { variable, problem };
    let has_credentials = get("VONAGE_API_KEY").is_some() && get("VONAGE_API_SECRET").is_some();
    let provider_name = get("VERIFY_PROVIDER").unwrap_or_else(|| {
        if has_credentials {
            "vonage"
        } else {
            "emulator"
        }
        .to_owned()
    });
    let credentials = || -> Result<VonageCredentials, ConfigError> {
        let required = |variable: &'static str| {
            get(variable).ok_or_else(|| {
                fail(
                    variable,
                    format!("required when VERIFY_PROVIDER={provider_name}"),
                )
            })
        };
        let base_url = get("VONAGE_BASE_URL").unwrap_or_else(|| DEFAULT_VONAGE_BASE_URL.to_owned());
        let parsed = url::Url::parse(&base_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                fail(
                    "VONAGE_BASE_URL",
                    format!("`{base_url}` is not an http(s) URL"),
                )
            })?;
        Ok(VonageCredentials {
            api_key: required("VONAGE_API_KEY")?,
            api_secret: SecretString::from(required("VONAGE_API_SECRET")?),
            base_url: parsed,
            application: None,
        })
    };
    let provider = match provider_name.as_str() {
        "emulator" => {
            let mut settings = EmulatorSettings::from_lookup(get)?;
            settings.vonage_application = match settings.api {
                EmulatorApi::Vonage => {
                    vonage_application::parse_for_emulator(get, settings.application.as_ref())?
                }
                EmulatorApi::VonageLegacy => {
                    vonage_application::refuse(get, "EMULATOR_API=vonage-legacy (Verify v1)")?;
                    None
                }
                EmulatorApi::Twilio => {
                    vonage_application::refuse(get, "EMULATOR_API=twilio")?;
                    None
                }
            };
            ProviderConfig::Emulator(settings)
        }
        "vonage" => {
            let credentials = credentials()?;
            ProviderConfig::Vonage(VonageCredentials {
                application: vonage_application::parse_vonage_application(get)?,
                ..credentials
            })
        }
        "vonage-legacy" => {
            vonage_application::refuse(get, "VERIFY_PROVIDER=vonage-legacy (Verify v1)")?;
            ProviderConfig::VonageLegacy(credentials()?)
        }
        "twilio" => {
            vonage_application::refuse(get, "VERIFY_PROVIDER=twilio")?;
            ProviderConfig::Twilio(super::twilio::parse_twilio(get)?)
        }
        other => {
            return Err(fail(
                "VERIFY_PROVIDER",
                format!("`{other}` is not one of emulator, vonage, vonage-legacy, twilio"),
            ))
        }
    };
    Ok(provider)
}

#[cfg(test)]
mod emulator_tests;
