//! The login's core, shared by the views (`app`) and the host (`server/host`): domain types
//! parsed at the edge, the one error type, the server-function declarations and, with `ssr`,
//! the service behind them. No view code lives here, so editing a page rebuilds neither this
//! crate nor the host.

pub mod auth;
pub mod clock;
pub mod domain;
pub mod language;

// The translations: `build.rs` generates `i18n` (one typed key per text, `Locale`) from
// `locales/*.json`, so a missing key or argument does not build.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
