//! `EmulatorSettings`: credentials and the cancel settling window.

use super::EmulatorSettings;
use secrecy::ExposeSecret;
use std::collections::HashMap;
use std::time::Duration;

fn settings(vars: &[(&str, &str)]) -> Result<EmulatorSettings, super::ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    EmulatorSettings::from_lookup(|name| map.get(name).cloned())
}

#[test]
fn credentials_and_settling_have_defaults() {
    let s = settings(&[]).expect("defaults are valid");
    assert_eq!(s.api_key, "emulator");
    assert_eq!(s.api_secret.expose_secret(), "emulator");
    assert_eq!(s.cancel_settle, Duration::from_secs(5));
}

#[test]
fn credentials_and_settling_are_read() {
    let s = settings(&[
        ("EMULATOR_API_KEY", "dev-key"),
        ("EMULATOR_API_SECRET", "dev-secret"),
        ("EMULATOR_CANCEL_SETTLE", "0"),
    ])
    .expect("valid");
    assert_eq!(s.api_key, "dev-key");
    assert_eq!(s.api_secret.expose_secret(), "dev-secret");
    assert_eq!(s.cancel_settle, Duration::ZERO);
    assert!(
        !format!("{s:?}").contains("dev-secret"),
        "secret not in Debug"
    );
}

#[test]
fn a_bad_settling_window_names_its_variable() {
    let e = settings(&[("EMULATOR_CANCEL_SETTLE", "soon")]).expect_err("invalid");
    assert_eq!(e.variable, "EMULATOR_CANCEL_SETTLE");
}
