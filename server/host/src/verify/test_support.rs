//! Helpers shared by the client tests.

use super::VonageSettings;
use app_core::domain::{PhoneNumber, Pin};
use secrecy::SecretString;
use std::time::Duration;
use url::Url;

pub const KEY: &str = "test-key";
pub const SECRET: &str = "test-secret-value";
pub const DIGITS: &str = "447911123456";

pub fn number() -> PhoneNumber {
    PhoneNumber::parse("+447911123456", "GB".parse().expect("GB is a country"))
        .expect("valid test number")
}

pub fn pin(code: &str) -> Pin {
    Pin::parse(code).expect("valid test code")
}

/// Settings for a local fake with a small total timeout.
pub fn settings(base_url: &str, timeout: Duration) -> VonageSettings {
    let mut settings = VonageSettings::new(KEY, SecretString::from(SECRET))
        .with_base_url(Url::parse(base_url).expect("test base URL"));
    settings.connect_timeout = timeout;
    settings.timeout = timeout;
    settings
}

/// A loopback URL nothing listens on.
pub async fn refused_base_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind an ephemeral port");
    let addr = listener.local_addr().expect("bound address");
    drop(listener);
    format!("http://{addr}")
}

/// The Vonage application the JWT tests sign as: a UUID, and an RSA key pair made for the
/// emulator's tests (it signs nothing else).
pub const APP_ID: &str = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab";
pub const APP_PRIVATE_PEM: &str = include_str!("../../../emulator/src/auth/tests/test_app.key.pem");
pub const APP_PUBLIC_PEM: &str = include_str!("../../../emulator/src/auth/tests/test_app.pub.pem");
/// Another application's public key: the application's tokens do not verify with it.
pub const OTHER_PUBLIC_PEM: &str =
    include_str!("../../../emulator/src/auth/tests/test_other.pub.pem");

/// The tests' application.
pub fn application() -> super::VonageApplication {
    super::VonageApplication::from_pem(APP_ID, APP_PRIVATE_PEM.as_bytes()).expect("test key")
}

/// The claims of an application JWT as Vonage wants them, or why not: header
/// `{"alg":"RS256","typ":"JWT"}`, a signature that verifies with `public_pem`,
/// `application_id` = `application_id`, `jti` a UUID v4, `iat` not after `now` (a minute of
/// skew allowed), `exp` = `iat` + 900 and after `now`.
pub fn application_claims(
    token: &str,
    public_pem: &str,
    application_id: &str,
    now: std::time::SystemTime,
) -> Result<serde_json::Value, String> {
    use jsonwebtoken::{Algorithm, DecodingKey, Validation};
    let header = jsonwebtoken::decode_header(token).map_err(|e| format!("header: {e}"))?;
    if header.alg != Algorithm::RS256 || header.typ.as_deref() != Some("JWT") {
        return Err(format!("header {header:?}"));
    }
    let key = DecodingKey::from_rsa_pem(public_pem.as_bytes()).expect("test public key");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let claims = jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation)
        .map_err(|e| format!("signature: {e}"))?
        .claims;
    if claims["application_id"] != application_id {
        return Err(format!("application_id in {claims}"));
    }
    let jti = claims["jti"].as_str().unwrap_or_default();
    match uuid::Uuid::parse_str(jti) {
        Ok(uuid) if uuid.get_version_num() == 4 => {}
        _ => return Err(format!("jti in {claims}")),
    }
    let now = now
        .duration_since(std::time::SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let (Some(iat), Some(exp)) = (claims["iat"].as_u64(), claims["exp"].as_u64()) else {
        return Err(format!("iat and exp in {claims}"));
    };
    if iat > now + 60 || exp != iat + 900 || exp <= now {
        return Err(format!("times in {claims} at {now}"));
    }
    Ok(claims)
}
