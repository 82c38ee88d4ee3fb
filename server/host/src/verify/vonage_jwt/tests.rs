//! The application JWT signer: tokens Vonage accepts, renewed before they expire, and a key
//! that never shows.

use super::{VonageApplication, RENEW_BEFORE_EXPIRY, TOKEN_LIFETIME};
use crate::verify::test_support::{
    application, application_claims, APP_ID, APP_PRIVATE_PEM, APP_PUBLIC_PEM, OTHER_PUBLIC_PEM,
};
use app_core::clock::{Clock, ManualClock};
use secrecy::ExposeSecret;
use std::sync::Arc;
use std::time::Duration;

fn on(clock: &ManualClock) -> VonageApplication {
    application().with_clock(Arc::new(clock.clone()))
}

fn token(application: &VonageApplication) -> String {
    let token = application.token().expect("signed");
    token.expose_secret().to_owned()
}

#[test]
fn a_token_verifies_with_the_public_key_and_has_vonages_claims() {
    let clock = ManualClock::new();
    let token = token(&on(&clock));
    let claims = application_claims(&token, APP_PUBLIC_PEM, APP_ID, clock.now()).expect("valid");
    let iat = claims["iat"].as_u64().expect("iat");
    let exp = claims["exp"].as_u64().expect("exp");
    assert_eq!(exp - iat, 900);
    assert_eq!(TOKEN_LIFETIME, Duration::from_secs(900));
    let now = clock
        .now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    assert_eq!(iat, now.as_secs(), "issued now");
    let header = jsonwebtoken::decode_header(&token).expect("header");
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    assert!(
        application_claims(&token, OTHER_PUBLIC_PEM, APP_ID, clock.now()).is_err(),
        "another key does not verify it"
    );
}

#[test]
fn the_token_is_reused_until_a_minute_before_exp_then_renewed_with_a_fresh_jti() {
    let clock = ManualClock::new();
    let application = on(&clock);
    let first = token(&application);
    clock.advance(TOKEN_LIFETIME - RENEW_BEFORE_EXPIRY - Duration::from_secs(1));
    assert_eq!(token(&application), first, "still valid for over a minute");
    clock.advance(Duration::from_secs(1));
    let second = token(&application);
    assert_ne!(second, first, "renewed a minute before exp");
    let jti = |token: &str| {
        application_claims(token, APP_PUBLIC_PEM, APP_ID, clock.now()).expect("valid")["jti"]
            .clone()
    };
    assert_ne!(jti(&first), jti(&second), "a fresh jti");
    assert_eq!(
        token(&application),
        second,
        "clones and calls share the token"
    );
}

#[test]
fn every_new_token_has_a_fresh_jti() {
    let clock = ManualClock::new();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..3 {
        // A new clock starts with no token.
        let token = token(&on(&clock));
        let claims = application_claims(&token, APP_PUBLIC_PEM, APP_ID, clock.now()).expect("ok");
        assert!(seen.insert(claims["jti"].to_string()), "jti repeated");
    }
}

#[test]
fn concurrent_calls_all_get_a_valid_token() {
    let clock = ManualClock::new();
    let application = on(&clock);
    let tokens: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| token(&application)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    for token in &tokens {
        assert!(application_claims(token, APP_PUBLIC_PEM, APP_ID, clock.now()).is_ok());
    }
    let current = token(&application);
    assert!(tokens.contains(&current), "one of them is kept");
}

#[test]
fn a_clock_moved_back_gets_a_new_token() {
    let clock = ManualClock::new();
    let later = ManualClock::new();
    later.advance(Duration::from_secs(120));
    let application = on(&later);
    let first = token(&application);
    let application = application.with_clock(Arc::new(clock.clone()));
    let second = token(&application);
    assert_ne!(first, second);
    assert!(application_claims(&second, APP_PUBLIC_PEM, APP_ID, clock.now()).is_ok());
}

#[test]
fn debug_shows_the_id_and_never_the_key_or_token() {
    let application = application();
    let token = token(&application);
    let debug = format!("{application:?}");
    assert!(debug.contains(APP_ID), "{debug}");
    let key_line = APP_PRIVATE_PEM.lines().nth(1).expect("a base64 line");
    assert!(!debug.contains(key_line), "{debug}");
    assert!(!debug.contains(&token), "{debug}");
}

#[test]
fn keys_that_cannot_sign_are_refused_with_a_hint() {
    for (pem, why, says) in [
        (APP_PUBLIC_PEM, "a public key", "public key"),
        ("not a key", "not PEM", "openssl genpkey -algorithm RSA"),
        (EC_PRIVATE_PEM, "an EC key", "not an RSA private key"),
        (
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nabc\n-----END ENCRYPTED PRIVATE KEY-----",
            "an encrypted key",
            "encrypted",
        ),
    ] {
        let error = VonageApplication::from_pem(APP_ID, pem.as_bytes()).expect_err(why);
        assert!(error.contains(says), "{why}: {error}");
        assert!(error.contains("dashboard"), "{why}: {error}");
    }
}

#[test]
fn a_pkcs1_rsa_private_key_signs_too() {
    let pkcs1 = pkcs1_of_test_key();
    let application = VonageApplication::from_pem(APP_ID, pkcs1.as_bytes()).expect("PKCS#1");
    let clock = ManualClock::new();
    let token = token(&application.with_clock(Arc::new(clock.clone())));
    assert!(application_claims(&token, APP_PUBLIC_PEM, APP_ID, clock.now()).is_ok());
}

/// A P-256 key (`openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`), made for
/// this test.
const EC_PRIVATE_PEM: &str = include_str!("test_ec.key.pem");

/// The test key in PKCS#1 (`BEGIN RSA PRIVATE KEY`, as `openssl genrsa` and
/// `openssl pkey -traditional` write it).
fn pkcs1_of_test_key() -> &'static str {
    include_str!("test_app.pkcs1.pem")
}
