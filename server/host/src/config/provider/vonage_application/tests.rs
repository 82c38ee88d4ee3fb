//! `VONAGE_APPLICATION_ID` and `VONAGE_PRIVATE_KEY` through [`Config::from_lookup`]: both or
//! neither, a key that signs, Verify v2 clients only, and the key kept out of `Debug`.

use crate::config::{Config, ConfigError, ProviderConfig};
use crate::verify::test_support::{APP_ID, APP_PRIVATE_PEM, APP_PUBLIC_PEM};
use crate::verify::VonageApplication;
use std::collections::HashMap;

/// A P-256 private key, made for the signer's tests.
const EC_PRIVATE_PEM: &str = include_str!("../../../verify/vonage_jwt/test_ec.key.pem");

const VONAGE: [(&str, &str); 3] = [
    ("VERIFY_PROVIDER", "vonage"),
    ("VONAGE_API_KEY", "key"),
    ("VONAGE_API_SECRET", "secret"),
];

fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|name| map.get(name).cloned())
}

/// Vonage v2 with `extra` set; answers its application.
fn vonage(extra: &[(&str, &str)]) -> Result<Option<VonageApplication>, ConfigError> {
    let vars: Vec<_> = VONAGE.iter().chain(extra).copied().collect();
    match config(&vars)?.provider {
        ProviderConfig::Vonage(credentials) => Ok(credentials.application),
        other => panic!("Vonage v2 expected, got {other:?}"),
    }
}

fn refused(vars: &[(&str, &str)]) -> ConfigError {
    let vars: Vec<_> = VONAGE.iter().chain(vars).copied().collect();
    config(&vars).expect_err("refused")
}

/// A file holding `text`, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> Self {
        let path = std::env::temp_dir().join(format!("{name}-{}.pem", std::process::id()));
        std::fs::write(&path, text).expect("write the key");
        Self(path)
    }

    fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        std::fs::remove_file(&self.0).ok();
    }
}

#[test]
fn no_application_by_default() {
    assert!(vonage(&[]).expect("valid").is_none());
}

#[test]
fn the_private_key_is_a_file_path_or_pem_text() {
    let file = TempFile::new("vonage-key-path", APP_PRIVATE_PEM);
    let escaped = APP_PRIVATE_PEM.trim().replace('\n', "\\n");
    for (value, why) in [
        (file.path(), "a path"),
        (APP_PRIVATE_PEM.to_owned(), "PEM text"),
        (escaped, "PEM text on one line with \\n escapes"),
    ] {
        let application = vonage(&[
            ("VONAGE_APPLICATION_ID", APP_ID),
            ("VONAGE_PRIVATE_KEY", &value),
        ])
        .expect(why)
        .expect(why);
        assert_eq!(application.application_id(), APP_ID, "{why}");
    }
}

#[test]
fn both_or_neither_and_each_error_names_the_missing_one() {
    let e = refused(&[("VONAGE_APPLICATION_ID", APP_ID)]);
    assert_eq!(e.variable, "VONAGE_PRIVATE_KEY");
    assert!(e.problem.contains("VONAGE_APPLICATION_ID"), "{}", e.problem);
    let e = refused(&[("VONAGE_PRIVATE_KEY", APP_PRIVATE_PEM)]);
    assert_eq!(e.variable, "VONAGE_APPLICATION_ID");
    assert!(e.problem.contains("VONAGE_PRIVATE_KEY"), "{}", e.problem);
}

#[test]
fn the_application_id_is_a_uuid() {
    let e = refused(&[
        ("VONAGE_APPLICATION_ID", "my-app"),
        ("VONAGE_PRIVATE_KEY", APP_PRIVATE_PEM),
    ]);
    assert_eq!(e.variable, "VONAGE_APPLICATION_ID");
    assert!(e.problem.contains("UUID"), "{}", e.problem);
}

#[test]
fn a_key_that_cannot_sign_names_the_variable_with_a_hint() {
    for (value, why, says) in [
        (
            "/nonexistent/private.key",
            "an unreadable file",
            "cannot read `/nonexistent/private.key`",
        ),
        (APP_PUBLIC_PEM, "a public key", "this is a public key"),
        (EC_PRIVATE_PEM, "an EC key", "not an RSA private key"),
        (
            "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
            "garbage",
            "not an RSA",
        ),
    ] {
        let e = refused(&[
            ("VONAGE_APPLICATION_ID", APP_ID),
            ("VONAGE_PRIVATE_KEY", value),
        ]);
        assert_eq!(e.variable, "VONAGE_PRIVATE_KEY", "{why}");
        assert!(e.problem.contains(says), "{why}: {}", e.problem);
        assert!(e.problem.contains("dashboard"), "{why}: {}", e.problem);
    }
    let e = refused(&[
        ("VONAGE_APPLICATION_ID", APP_ID),
        ("VONAGE_PRIVATE_KEY", APP_PUBLIC_PEM),
    ]);
    assert!(
        e.problem.contains("openssl genpkey -algorithm RSA"),
        "{}",
        e.problem
    );
}

#[test]
fn debug_output_shows_the_id_not_the_key() {
    let vars: Vec<_> = VONAGE
        .iter()
        .chain(&[
            ("VONAGE_APPLICATION_ID", APP_ID),
            ("VONAGE_PRIVATE_KEY", APP_PRIVATE_PEM),
        ])
        .copied()
        .collect();
    let debug = format!("{:?}", config(&vars).expect("valid"));
    assert!(debug.contains(APP_ID), "the id is shown");
    for line in APP_PRIVATE_PEM.lines().skip(1).take(3) {
        assert!(!debug.contains(line), "a line of the key is in Debug");
    }
    assert!(!debug.contains("PRIVATE KEY"), "{debug}");
}

#[test]
fn clients_without_application_auth_refuse_the_settings() {
    let application = [
        ("VONAGE_APPLICATION_ID", APP_ID),
        ("VONAGE_PRIVATE_KEY", APP_PRIVATE_PEM),
    ];
    for provider in [
        vec![("VERIFY_PROVIDER", "vonage-legacy")],
        vec![("VERIFY_PROVIDER", "twilio")],
        vec![
            ("VERIFY_PROVIDER", "emulator"),
            ("EMULATOR_API", "vonage-legacy"),
        ],
        vec![("VERIFY_PROVIDER", "emulator"), ("EMULATOR_API", "twilio")],
    ] {
        let vars: Vec<_> = provider.iter().chain(&application).copied().collect();
        let e = config(&vars).expect_err("refused");
        assert_eq!(e.variable, "VONAGE_APPLICATION_ID", "{provider:?}");
        assert!(e.problem.contains("no Vonage application"), "{}", e.problem);
        let key_only: Vec<_> = provider.iter().chain(&application[1..]).copied().collect();
        let e = config(&key_only).expect_err("refused");
        assert_eq!(e.variable, "VONAGE_PRIVATE_KEY", "{provider:?}");
    }
}

/// The emulator spoken to with Verify v2, with `extra`; answers the client's application.
fn emulator(extra: &[(&str, &str)]) -> Result<Option<VonageApplication>, ConfigError> {
    let vars: Vec<_> = [("VERIFY_PROVIDER", "emulator")]
        .iter()
        .chain(extra)
        .copied()
        .collect();
    match config(&vars)?.provider {
        ProviderConfig::Emulator(settings) => Ok(settings.vonage_application),
        other => panic!("the emulator expected, got {other:?}"),
    }
}

#[test]
fn the_emulator_over_v2_signs_as_the_application_it_accepts() {
    let client = [
        ("VONAGE_APPLICATION_ID", APP_ID),
        ("VONAGE_PRIVATE_KEY", APP_PRIVATE_PEM),
    ];
    assert!(emulator(&[]).expect("defaults").is_none());
    let accepted: Vec<_> = client
        .iter()
        .chain(&[
            ("EMULATOR_APPLICATION_ID", APP_ID),
            ("EMULATOR_PUBLIC_KEY", APP_PUBLIC_PEM),
        ])
        .copied()
        .collect();
    let application = emulator(&accepted).expect("valid").expect("an application");
    assert_eq!(application.application_id(), APP_ID);

    let e = emulator(&client).expect_err("the emulator would refuse every JWT");
    assert_eq!(e.variable, "VONAGE_APPLICATION_ID");
    assert!(
        e.problem.contains("EMULATOR_APPLICATION_ID"),
        "{}",
        e.problem
    );

    let other: Vec<_> = client
        .iter()
        .chain(&[("EMULATOR_APPLICATION_ID", "another-app")])
        .copied()
        .collect();
    let e = emulator(&other).expect_err("another application");
    assert_eq!(e.variable, "VONAGE_APPLICATION_ID");
    assert!(e.problem.contains("another-app"), "{}", e.problem);
}
