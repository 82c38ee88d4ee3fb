//! The axum host wired to the Leptos views. The view-independent parts (configuration,
//! stores, Verify clients, emulator, security, operations, telemetry, the router around the
//! site and start-up) live in the `host` crate, re-exported here under their usual paths;
//! this crate adds only the site's Leptos routes, so a view edit rebuilds little.

pub mod router;

pub use host::{config, emulator, operations, security, store, telemetry, verify};

/// Start-up: [`host::startup`] with this crate's pages and server functions.
pub mod startup {
    use app::auth::server::clock::Clock;
    pub use host::startup::*;
    use leptos::config::LeptosOptions;
    use std::sync::Arc;

    /// Wires everything from `config` with the site's routes; the site listens on
    /// `leptos_options.site_addr` (port 0 picks a free one).
    pub async fn build(
        config: crate::config::Config,
        leptos_options: LeptosOptions,
        clock: Arc<dyn Clock>,
    ) -> Result<Application, StartupError> {
        Application::build(config, leptos_options, clock, crate::router::site_routes).await
    }
}
