//! `server`: runs the site on `LEPTOS_SITE_ADDR` with the configured Verify provider.
//! `server emulator [--addr HOST:PORT]` runs only the Verify emulator, for several instances
//! to share.

use app::auth::server::clock::SystemClock;
use server::{config::Config, telemetry};
use std::process::ExitCode;
use std::sync::Arc;

/// mimalloc instead of glibc malloc: a profile of `make bench` showed about a quarter of the
/// server's CPU time in glibc's allocator (`_int_malloc`, `_int_free`, `malloc_consolidate`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => {}
        Some("emulator") => {
            let _ = dotenvy::dotenv();
            let env = |name: &str| std::env::var(name).ok();
            return match server::emulator::standalone::run(&args[1..], env).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("{error}");
                    ExitCode::from(2)
                }
            };
        }
        Some(other) => {
            eprintln!("unknown argument `{other}`; usage: server [emulator [--addr HOST:PORT]]");
            return ExitCode::from(2);
        }
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let leptos_options = match leptos::config::get_configuration(None) {
        Ok(conf) => with_hashed_names_if_built(conf.leptos_options),
        Err(error) => {
            eprintln!("configuration error in LEPTOS_* settings: {error}");
            return ExitCode::from(2);
        }
    };
    let app = match server::startup::build(config, leptos_options, Arc::new(SystemClock)).await {
        Ok(app) => app,
        Err(error) => {
            eprintln!("cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Ok(addr) = app.local_addr() {
        if addr.ip().is_loopback() {
            // WebAuthn refuses IP addresses: passkeys work when the site is opened by name.
            tracing::info!(
                "listening on http://{addr}; open http://localhost:{} (passkeys need a host name)",
                addr.port()
            );
        } else {
            tracing::info!("listening on http://{addr}");
        }
    }
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("server error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// cargo-leptos passes `LEPTOS_HASH_FILES=true` to the server it starts; a binary started by
/// hand from a `hash-files` build finds the hash file beside itself instead, so its pages
/// still name the content-hashed files that exist.
fn with_hashed_names_if_built(
    mut options: leptos::config::LeptosOptions,
) -> leptos::config::LeptosOptions {
    let hash_file_beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
        .is_some_and(|path| path.is_file());
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() && hash_file_beside_binary {
        options.hash_files = true;
    }
    options
}
