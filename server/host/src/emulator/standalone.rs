//! `server emulator [--addr HOST:PORT]`: the Verify emulator as its own process, so several
//! site instances (`VERIFY_PROVIDER=vonage`, `VONAGE_BASE_URL=http://HOST:PORT`, and
//! `VONAGE_API_KEY` / `VONAGE_API_SECRET` equal to the emulator's `EMULATOR_API_KEY` /
//! `EMULATOR_API_SECRET`, default `emulator` / `emulator`) share one set of pending codes and
//! one outbox at `/dev/outbox`.

use super::{Emulator, EmulatorConfig};
use crate::config::EmulatorSettings;
use app_core::clock::SystemClock;
use secrecy::ExposeSecret;
use std::net::SocketAddr;
use std::sync::Arc;

/// Where the standalone emulator listens unless `--addr` or `EMULATOR_ADDR` says otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:4010";

/// What went wrong before the emulator could serve.
#[derive(Debug, thiserror::Error)]
pub enum StandaloneError {
    /// A command-line argument or setting is invalid.
    #[error("{0}")]
    Usage(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Parses `args` (after the `emulator` word), serves until SIGINT/SIGTERM.
/// `EMULATOR_CODE_TTL`, `EMULATOR_TEST_NUMBERS`, `EMULATOR_API_KEY`, `EMULATOR_API_SECRET`,
/// `EMULATOR_CANCEL_SETTLE`, `EMULATOR_APPLICATION_ID`, `EMULATOR_PUBLIC_KEY`,
/// `EMULATOR_NO_RCS`, `EMULATOR_NO_WHATSAPP` and `EMULATOR_SILENT_AUTH_FAIL` apply as for the
/// in-process emulator.
pub async fn run(
    args: &[String],
    env: impl Fn(&str) -> Option<String>,
) -> Result<(), StandaloneError> {
    let addr_arg = match args {
        [] => None,
        [flag, addr] if flag == "--addr" => Some(addr.clone()),
        _ => {
            return Err(StandaloneError::Usage(
                "usage: server emulator [--addr HOST:PORT]".into(),
            ))
        }
    };
    let settings = EmulatorSettings::from_lookup(|name| {
        if name == "EMULATOR_ADDR" {
            addr_arg
                .clone()
                .or_else(|| env(name))
                .or_else(|| Some(DEFAULT_ADDR.to_owned()))
        } else {
            env(name).filter(|v| !v.trim().is_empty())
        }
    })
    .map_err(|e| StandaloneError::Usage(e.to_string()))?;
    let emulator = Emulator::new(
        EmulatorConfig {
            code_ttl: settings.code_ttl,
            test_numbers: settings.test_numbers,
            api_key: settings.api_key,
            api_secret: settings.api_secret.expose_secret().to_owned(),
            cancel_settle: settings.cancel_settle,
            application: settings.application.clone(),
            no_rcs: settings.no_rcs.clone(),
            no_whatsapp: settings.no_whatsapp.clone(),
            silent_auth_fails: settings.silent_auth_fail.clone(),
            ..EmulatorConfig::default()
        },
        Arc::new(SystemClock),
    );
    let bound = emulator
        .serve(settings.addr, super::guard_dev)
        .await
        .map_err(|source| StandaloneError::Bind {
            addr: settings.addr,
            source,
        })?;
    tracing::info!(addr = %bound, "Verify emulator listening; codes appear at /dev/outbox");
    if let Some(application) = &settings.application {
        let signatures = if application.public_key.is_some() {
            "verified with EMULATOR_PUBLIC_KEY"
        } else {
            "not verified (no EMULATOR_PUBLIC_KEY)"
        };
        tracing::info!(
            application_id = %application.application_id,
            "Verify v2 accepts this application's JWTs; signatures {signatures}"
        );
    }
    // The line tests and scripts wait for.
    println!("emulator listening on http://{bound}");
    crate::shutdown_signal().await;
    Ok(())
}
