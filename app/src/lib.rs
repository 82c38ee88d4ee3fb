//! Passwordless: the Leptos app shared by the server (SSR) and the browser (hydrate).
//! Pages and components render from the server's login status; server functions in
//! [`auth::api`] are the only way to change it.

mod app;
pub mod auth;
mod components;
pub mod domain;
mod pages;
#[cfg(feature = "ssr")]
mod security;

pub use app::{shell, App};
