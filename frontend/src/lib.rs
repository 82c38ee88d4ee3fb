//! The wasm entry point. The app runs in Leptos islands mode: pages are server HTML, only the
//! `#[island]` components (countdowns, focus and the hydration marker) become reactive, and
//! the islands router turns form posts and link clicks into in-place page transitions.

// Links the views crate: its `#[island]`s export the functions `hydrate_islands` calls, and
// an unreferenced dependency would not be linked at all.
extern crate app;

/// Called by the loader script cargo-leptos emits; hydrates every island on the page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
