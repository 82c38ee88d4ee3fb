use crate::config::{Config, ConfigError, ProviderConfig};
use std::collections::HashMap;

const TWILIO: &[(&str, &str)] = &[
    ("VERIFY_PROVIDER", "twilio"),
    ("TWILIO_ACCOUNT_SID", "ACtest"),
    ("TWILIO_AUTH_TOKEN", "twilio-token-secret"),
    ("TWILIO_VERIFY_SERVICE_SID", "VAtest"),
];

fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|name| map.get(name).cloned())
}

/// The Twilio settings with `variable` replaced by `value` (or added).
fn with(variable: &'static str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut vars: Vec<_> = TWILIO
        .iter()
        .copied()
        .filter(|(k, _)| *k != variable)
        .collect();
    vars.push((variable, value));
    vars
}

#[test]
fn twilio_reads_its_three_values_and_defaults_the_base_url() {
    let c = config(TWILIO).expect("valid");
    let ProviderConfig::Twilio(t) = c.provider else {
        panic!("twilio expected, got {:?}", c.provider)
    };
    assert_eq!(t.account_sid, "ACtest");
    assert_eq!(t.service_sid, "VAtest");
    assert_eq!(t.base_url.as_str(), "https://verify.twilio.com/");
    let other = config(&with("TWILIO_BASE_URL", "http://127.0.0.1:9999")).expect("valid");
    let ProviderConfig::Twilio(t) = other.provider else {
        panic!("twilio expected")
    };
    assert_eq!(t.base_url.as_str(), "http://127.0.0.1:9999/");
}

#[test]
fn twilio_missing_or_blank_values_name_the_variable() {
    for variable in [
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_VERIFY_SERVICE_SID",
    ] {
        let missing: Vec<_> = TWILIO
            .iter()
            .copied()
            .filter(|(k, _)| *k != variable)
            .collect();
        assert_eq!(config(&missing).expect_err(variable).variable, variable);
        assert_eq!(
            config(&with(variable, "  ")).expect_err(variable).variable,
            variable
        );
    }
    for bad in ["nope", "ftp://verify.twilio.com"] {
        let error = config(&with("TWILIO_BASE_URL", bad)).expect_err(bad);
        assert_eq!(error.variable, "TWILIO_BASE_URL");
    }
}

#[test]
fn twilio_token_is_not_in_debug_output() {
    let c = config(TWILIO).expect("valid");
    assert!(!format!("{c:?}").contains("twilio-token-secret"));
}
