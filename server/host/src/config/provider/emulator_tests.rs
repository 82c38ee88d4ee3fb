//! `EmulatorSettings`: credentials, the cancel settling window and the Vonage application.

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

#[test]
fn numbers_the_channels_cannot_reach_are_read() {
    let s = settings(&[
        ("EMULATOR_NO_RCS", "447700900001, +447700900002"),
        ("EMULATOR_SILENT_AUTH_FAIL", "+15555550100"),
    ])
    .expect("valid");
    assert_eq!(s.no_rcs, ["+447700900001", "+447700900002"]);
    assert!(s.no_whatsapp.is_empty());
    assert_eq!(s.silent_auth_fail, ["+15555550100"]);
    let e = settings(&[("EMULATOR_NO_WHATSAPP", "+4477,abc")]).expect_err("invalid");
    assert_eq!(e.variable, "EMULATOR_NO_WHATSAPP");
}

/// A public key made for the emulator's own tests.
const PUBLIC_PEM: &str = include_str!("../../../../emulator/src/auth/tests/test_app.pub.pem");

#[test]
fn no_application_by_default() {
    assert!(settings(&[]).expect("defaults").application.is_none());
}

#[test]
fn an_application_without_a_key_checks_claims_only() {
    let s = settings(&[("EMULATOR_APPLICATION_ID", "app-1")]).expect("valid");
    let application = s.application.expect("application");
    assert_eq!(application.application_id, "app-1");
    assert!(application.public_key.is_none());
}

#[test]
fn the_public_key_is_a_file_path_or_pem_text() {
    let path = std::env::temp_dir().join(format!("emulator-key-{}.pem", std::process::id()));
    std::fs::write(&path, PUBLIC_PEM).expect("write the key");
    let path_text = path.to_string_lossy().into_owned();
    for value in [path_text.as_str(), PUBLIC_PEM] {
        let s = settings(&[
            ("EMULATOR_APPLICATION_ID", "app-1"),
            ("EMULATOR_PUBLIC_KEY", value),
        ])
        .expect("valid");
        assert!(s.application.expect("application").public_key.is_some());
    }
    std::fs::remove_file(&path).ok();
}

#[test]
fn a_bad_public_key_names_its_variable() {
    for (vars, why) in [
        (
            vec![("EMULATOR_PUBLIC_KEY", PUBLIC_PEM)],
            "no application id",
        ),
        (
            vec![
                ("EMULATOR_APPLICATION_ID", "app-1"),
                ("EMULATOR_PUBLIC_KEY", "/nonexistent/key.pem"),
            ],
            "missing file",
        ),
        (
            vec![
                ("EMULATOR_APPLICATION_ID", "app-1"),
                (
                    "EMULATOR_PUBLIC_KEY",
                    "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
                ),
            ],
            "a private key",
        ),
    ] {
        let e = settings(&vars).expect_err(why);
        assert_eq!(e.variable, "EMULATOR_PUBLIC_KEY", "{why}");
    }
}
