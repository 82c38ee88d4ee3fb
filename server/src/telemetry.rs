//! Logging set-up. Log lines carry masked numbers only; codes, secrets and session ids are
//! never logged by this crate (the emulator prints its fake codes on purpose).

use tracing_subscriber::{fmt, EnvFilter};

/// Installs the global subscriber: human-readable lines, level from `RUST_LOG`
/// (default `info`, with chatty dependencies at `warn`).
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn,hyper=warn"));
    // A second init (tests) is harmless: keep the first subscriber.
    let _ = fmt().with_env_filter(filter).with_target(true).try_init();
}
