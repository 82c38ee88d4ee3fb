//! The login's core, shared by the views (`app`) and the host (`server/host`): domain types
//! parsed at the edge, the one error type, the server-function declarations and, with `ssr`,
//! the service behind them. No view code lives here, so editing a page rebuilds neither this
//! crate nor the host.

pub mod auth;
pub mod clock;
pub mod domain;
pub mod language;

/// The translations (one typed key per text, `Locale`), generated from `locales/*.json` by
/// the `app-i18n` crate, so a missing key or argument does not build.
pub use app_i18n::i18n;
