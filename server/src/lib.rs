//! The axum host: configuration, telemetry, session stores, Verify provider clients, the
//! Verify emulator and the router that wires them to the Leptos app.

mod bad_request;
pub mod config;
pub mod emulator;
pub mod operations;
pub mod router;
pub mod security;
pub mod session_store;
pub mod startup;
mod store_outage;
pub mod telemetry;
pub mod verify;
