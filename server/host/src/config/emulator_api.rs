//! `EMULATOR_API`: which of the app's Verify clients talks to the in-process emulator.

use super::ConfigError;

/// The API the app speaks to the emulator with `VERIFY_PROVIDER=emulator` (the emulator
/// answers all three at once), so each client can be exercised end to end without an account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EmulatorApi {
    /// `vonage` (default): Vonage Verify v2 through `VonageV2Client`.
    #[default]
    Vonage,
    /// `vonage-legacy`: Vonage Verify v1 through `VonageLegacyClient`.
    VonageLegacy,
    /// `twilio`: Twilio Verify v2 through `TwilioClient`.
    Twilio,
}

/// Reads `EMULATOR_API` (unset or blank: `vonage`); anything else than `vonage`,
/// `vonage-legacy` or `twilio` is a [`ConfigError`] naming the variable.
pub(super) fn parse_emulator_api(value: Option<String>) -> Result<EmulatorApi, ConfigError> {
    match value.as_deref().map(str::trim).unwrap_or("") {
        "" | "vonage" => Ok(EmulatorApi::Vonage),
        "vonage-legacy" => Ok(EmulatorApi::VonageLegacy),
        "twilio" => Ok(EmulatorApi::Twilio),
        other => Err(ConfigError {
            variable: "EMULATOR_API",
            problem: format!("`{other}` is not one of vonage, vonage-legacy, twilio"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, EmulatorApi, ProviderConfig};
    use std::collections::HashMap;

    fn api(vars: &[(&str, &str)]) -> Result<EmulatorApi, &'static str> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match Config::from_lookup(|name| map.get(name).cloned()) {
            Ok(Config {
                provider: ProviderConfig::Emulator(settings),
                ..
            }) => Ok(settings.api),
            Ok(_) => panic!("the emulator is the default provider"),
            Err(error) => Err(error.variable),
        }
    }

    #[test]
    fn emulator_api_chooses_the_client_and_defaults_to_vonage() {
        assert_eq!(api(&[]), Ok(EmulatorApi::Vonage));
        assert_eq!(api(&[("EMULATOR_API", "  ")]), Ok(EmulatorApi::Vonage));
        for (value, expected) in [
            ("vonage", EmulatorApi::Vonage),
            ("vonage-legacy", EmulatorApi::VonageLegacy),
            ("twilio", EmulatorApi::Twilio),
        ] {
            assert_eq!(api(&[("EMULATOR_API", value)]), Ok(expected), "{value}");
        }
        assert_eq!(api(&[("EMULATOR_API", "twillio")]), Err("EMULATOR_API"));
    }
}
