//! The axum host's view-independent parts: configuration, telemetry, stores, Verify
//! provider clients, the Verify emulator, security layers and operator endpoints. The
//! `server` package wires them to the Leptos views; this crate never sees a page, so editing
//! one does not rebuild it.

mod bad_request;
pub mod captcha;
pub mod config;
pub mod emulator;
pub mod forward_auth;
pub mod guard_ops;
pub mod operations;
pub mod router;
pub mod security;
pub mod startup;
pub mod static_files;
pub mod store;
pub mod telemetry;
pub mod verify;

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
