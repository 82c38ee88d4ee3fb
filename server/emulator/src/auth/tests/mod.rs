//! Unit tests of the v2 credentials: the `Authorization` header's schemes ([`presented`])
//! and the application JWT rules ([`jwt`]), on explicit times. The `test_*.key.pem` RSA keys
//! were made for these tests and sign nothing else.

mod jwt;
mod presented;

use super::jwt::{ApplicationAuth, PublicKey};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};

/// The application id the tests configure.
pub(crate) const APP_ID: &str = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab";
/// The application's key pair.
pub(crate) const APP_PRIVATE: &str = include_str!("test_app.key.pem");
pub(crate) const APP_PUBLIC: &str = include_str!("test_app.pub.pem");
/// Another application's private key.
pub(crate) const OTHER_PRIVATE: &str = include_str!("test_other.key.pem");

/// A fixed "now", 2023-11-14.
fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// `now` in seconds, shifted by `by` seconds.
fn at(by: i64) -> i64 {
    1_700_000_000 + by
}

/// Claims as Vonage's SDKs make them, issued now, valid 15 minutes.
fn claims() -> Value {
    json!({
        "application_id": APP_ID,
        "iat": at(0),
        "exp": at(900),
        "jti": "4f0c4c1c-5e43-4b7e-9a9e-5d4c1f2f8a11",
    })
}

/// `claims` signed RS256 with `private_pem`, header `typ: JWT` as the SDKs send.
pub(crate) fn sign(claims: &Value, private_pem: &str) -> String {
    let key = EncodingKey::from_rsa_pem(private_pem.as_bytes()).expect("test key");
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), claims, &key).expect("sign")
}

/// The tests' application, verifying signatures or not.
pub(crate) fn application(verify_signatures: bool) -> ApplicationAuth {
    ApplicationAuth {
        application_id: APP_ID.to_owned(),
        public_key: verify_signatures
            .then(|| PublicKey::from_pem(APP_PUBLIC.as_bytes()).expect("test public key")),
    }
}
