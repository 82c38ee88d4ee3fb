//! The configuration read from a map of variables: defaults, provider and store choice,
//! and each setting's refusal naming its variable; the limits in [`limits`].

use super::*;
use std::collections::HashMap;

mod channels;
mod limits;
mod shared_sign_in;

fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|name| map.get(name).cloned())
}

#[test]
fn defaults_to_emulator_and_sqlite_without_credentials() {
    let c = config(&[]).expect("defaults are valid");
    assert!(matches!(c.provider, ProviderConfig::Emulator(_)));
    assert_eq!(
        c.session_store,
        SessionStoreConfig::Sqlite("data/sessions.db".into())
    );
    assert_eq!(c.pending_ttl, Duration::from_secs(600));
}

#[test]
fn credentials_select_vonage_v2() {
    let c = config(&[("VONAGE_API_KEY", "k"), ("VONAGE_API_SECRET", "s")]).expect("valid");
    match c.provider {
        ProviderConfig::Vonage(v) => assert_eq!(v.base_url.as_str(), "https://api.nexmo.com/"),
        other => panic!("expected vonage, got {other:?}"),
    }
}

#[test]
fn vonage_without_secret_names_the_variable() {
    let e = config(&[
        ("VERIFY_PROVIDER", "vonage-legacy"),
        ("VONAGE_API_KEY", "k"),
    ])
    .expect_err("invalid");
    assert_eq!(e.variable, "VONAGE_API_SECRET");
}

#[test]
fn rejects_unknown_provider() {
    assert_eq!(
        config(&[("VERIFY_PROVIDER", "twillio")])
            .expect_err("invalid")
            .variable,
        "VERIFY_PROVIDER"
    );
}

#[test]
fn rejects_bad_store_country_brand_and_base_url() {
    assert_eq!(
        config(&[("SESSION_STORE", "postgres://x")])
            .expect_err("e")
            .variable,
        "SESSION_STORE"
    );
    assert_eq!(
        config(&[("DEFAULT_COUNTRY", "Narnia")])
            .expect_err("e")
            .variable,
        "DEFAULT_COUNTRY"
    );
    assert_eq!(
        config(&[("VERIFY_BRAND", "A brand far too long")])
            .expect_err("e")
            .variable,
        "VERIFY_BRAND"
    );
    let bad_url = [
        ("VERIFY_PROVIDER", "vonage"),
        ("VONAGE_API_KEY", "k"),
        ("VONAGE_API_SECRET", "s"),
        ("VONAGE_BASE_URL", "nope"),
    ];
    assert_eq!(config(&bad_url).expect_err("e").variable, "VONAGE_BASE_URL");
}

#[test]
fn parses_allowed_countries() {
    assert_eq!(config(&[]).expect("valid").allowed_countries, None);
    let c = config(&[("ALLOWED_COUNTRIES", "gb, IE")]).expect("valid");
    assert_eq!(
        c.allowed_countries,
        Some(vec!["GB".to_owned(), "IE".to_owned()])
    );
    assert_eq!(
        config(&[("ALLOWED_COUNTRIES", "GB,XX1")])
            .expect_err("e")
            .variable,
        "ALLOWED_COUNTRIES"
    );
}

#[test]
fn parses_test_numbers() {
    let c = config(&[(
        "EMULATOR_TEST_NUMBERS",
        "+12015550100=123456, +447400123000=654321",
    )])
    .expect("valid");
    let ProviderConfig::Emulator(e) = c.provider else {
        panic!("emulator expected")
    };
    assert_eq!(
        e.test_numbers.get("+12015550100").map(String::as_str),
        Some("123456")
    );
    assert_eq!(
        config(&[("EMULATOR_TEST_NUMBERS", "5555=12")])
            .expect_err("e")
            .variable,
        "EMULATOR_TEST_NUMBERS"
    );
}

#[test]
fn secret_is_not_in_debug_output() {
    let c = config(&[
        ("VONAGE_API_KEY", "k"),
        ("VONAGE_API_SECRET", "hunter2-secret"),
    ])
    .expect("valid");
    assert!(!format!("{c:?}").contains("hunter2-secret"));
}

#[test]
fn redis_store_is_selected_by_url() {
    let c = config(&[("SESSION_STORE", "redis://127.0.0.1:6379/2")]).expect("valid");
    assert_eq!(
        c.session_store,
        SessionStoreConfig::Redis(RedisSettings {
            url: "redis://127.0.0.1:6379/2".into(),
            ca_file: None,
        })
    );
    let tls = config(&[
        ("SESSION_STORE", "rediss://cache.internal:6380"),
        ("REDIS_CA_FILE", "/etc/ssl/private-ca.pem"),
    ])
    .expect("valid");
    assert_eq!(
        tls.session_store,
        SessionStoreConfig::Redis(RedisSettings {
            url: "rediss://cache.internal:6380".into(),
            ca_file: Some("/etc/ssl/private-ca.pem".into()),
        })
    );
}

#[test]
fn redis_url_without_host_or_with_bad_db_is_refused() {
    for bad in ["redis://", "redis://:6379", "redis://host:6379/sessions"] {
        let error = config(&[("SESSION_STORE", bad)]).expect_err(bad);
        assert_eq!(error.variable, "SESSION_STORE", "{bad}");
    }
}

#[test]
fn edge_and_new_limit_settings_name_their_variable() {
    let c = config(&[]).expect("defaults");
    assert_eq!(c.limits.ipv6_prefix, 64);
    assert_eq!(c.limits.failed_per_number[0].max, 10);
    assert_eq!(c.trusted_proxies.len(), 2, "loopback v4 and v6");
    assert!(!c.emulator_public && c.public_origin.is_none());
    for (variable, value) in [
        ("TRUSTED_PROXIES", "10.0.0.0/99"),
        ("LIMIT_IPV6_PREFIX", "16"),
        ("LIMIT_FAILED_PER_NUMBER", "101/1d"),
        ("PUBLIC_URL", "login.example.com"),
        ("EMULATOR_PUBLIC", "maybe"),
        ("EMULATOR_PUBLIC", "yes"),
    ] {
        assert_eq!(
            config(&[(variable, value)]).expect_err(value).variable,
            variable,
            "{value}"
        );
    }
    let demo = config(&[("VERIFY_PROVIDER", "emulator"), ("EMULATOR_PUBLIC", "yes")])
        .expect("explicit opt-in");
    assert!(demo.emulator_public);
}

#[test]
fn ops_public_is_an_explicit_opt_in_that_needs_no_ops_addr() {
    assert!(!config(&[]).expect("defaults").ops_public);
    assert!(config(&[("OPS_PUBLIC", "yes")]).expect("opt-in").ops_public);
    assert_eq!(
        config(&[("OPS_PUBLIC", "maybe")])
            .expect_err("not yes or no")
            .variable,
        "OPS_PUBLIC"
    );
    let both = config(&[("OPS_PUBLIC", "yes"), ("OPS_ADDR", "127.0.0.1:9090")])
        .expect_err("contradictory");
    assert_eq!(both.variable, "OPS_PUBLIC");
}

#[test]
fn cookie_secret_is_optional_at_least_32_bytes_and_kept_out_of_debug_output() {
    assert!(config(&[]).expect("defaults").cookie_secret.is_none());
    let short =
        config(&[("COOKIE_SECRET", "only-31-bytes-long-0123456789ab")]).expect_err("too short");
    assert_eq!(short.variable, "COOKIE_SECRET");
    assert!(
        short.problem.contains("at least 32 bytes"),
        "{}",
        short.problem
    );
    let secret = "a-random-cookie-secret-of-40-bytes-xxxxx";
    let c = config(&[("COOKIE_SECRET", secret)]).expect("32 bytes or more");
    assert!(c.cookie_secret.is_some());
    assert!(!format!("{c:?}").contains(secret));
}
