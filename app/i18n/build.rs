//! Generates the `i18n` module from `app/core/locales/*.json`: one typed key per text,
//! checked at compile time in every `t!`/`td_string!` call (a missing key or argument does
//! not build).

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = std::env::var_os("OUT_DIR").ok_or("cargo sets OUT_DIR for build scripts")?;
    let module_dir = PathBuf::from(out_dir).join("i18n");
    let options = ParseOptions::default().interpolate_display(true);
    let config = Config::new("en")?
        .add_locales(["es", "fr", "de", "pt-BR", "ar"])?
        .parse_options(options);
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").ok_or("cargo sets CARGO_MANIFEST_DIR")?;
    // The catalogues stay beside the login's core, where their tests read them.
    let catalogues = PathBuf::from(manifest).join("../core");
    let translations = TranslationsInfos::parse_at_dir(catalogues, config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(module_dir)?;
    Ok(())
}
