//! The wasm entry point. The app runs in Leptos islands mode: pages are server HTML, only the
//! `#[island]` components (countdowns, focus and the hydration marker) become reactive, and
//! the islands router turns form posts and link clicks into in-place page transitions.

/// Called by the loader script cargo-leptos emits; hydrates every island on the page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
