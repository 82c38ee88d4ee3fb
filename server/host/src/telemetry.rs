//! Logging set-up. Log lines carry masked numbers only; codes, secrets and session ids are
//! never logged by this crate (the emulator prints its fake codes on purpose).

use tracing_subscriber::{fmt, EnvFilter};

/// Installs the global subscriber: level from `RUST_LOG` (default `info`, chatty dependencies
/// at `warn`); human-readable lines, or one JSON object per line with `LOG_FORMAT=json`.
/// Every line of a request carries the request span (id, client IP, method, path).
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn,hyper=warn"));
    let json = std::env::var("LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    // A second init (tests) is harmless: keep the first subscriber.
    let _ = if json {
        fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .try_init()
    } else {
        fmt().with_env_filter(filter).with_target(true).try_init()
    };
}
