//! Integration tests: the whole server over HTTP, against the in-process emulator.

mod helpers;
mod faults;
mod hostile_input;
mod lifecycle;
mod limits;
mod login_flow;
mod no_js_flow;
mod no_leaks;
mod pending_rules;
mod real_provider_fakes;
mod security;
mod session_lifetime;
mod sqlite_sessions;
