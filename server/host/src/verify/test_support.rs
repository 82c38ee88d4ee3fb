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
