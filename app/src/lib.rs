//! Passwordless: the Leptos views shared by the server (SSR) and the browser (hydrate).
//! Pages and components render from the server's login status; server functions in
//! [`auth::api`] (from `app-core`) are the only way to change it.

mod app;
mod components;
mod pages;
#[cfg(feature = "ssr")]
mod security;

pub use app::{shell, App};
pub use app_core::{auth, domain};
