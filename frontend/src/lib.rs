//! The wasm entry point: hydrates the server-rendered page into the reactive [`app::App`],
//! whose router then handles every step in the browser.

/// Called by the loader script cargo-leptos emits; attaches reactivity to the SSR HTML.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
