//! The translations: `build.rs` generates the `i18n` module (one typed key per text, the
//! `Locale` enum, `t!`/`td_string!`) from `app/core/locales/*.json`, so a missing key or
//! argument does not build. Re-exported as `app_core::i18n`; kept in a crate of its own
//! because the generated code is large and changes only with the catalogues.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
