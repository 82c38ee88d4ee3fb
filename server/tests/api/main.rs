//! Integration tests: the whole server over HTTP, against the in-process emulator.

mod emulator_process;
mod exposure;
mod faults;
mod graceful_shutdown;
mod helpers;
mod hostile_input;
mod http_fuzz;
mod lifecycle;
mod limits;
mod load;
mod login_flow;
mod no_js_flow;
mod no_leaks;
mod operations;
mod ownership;
mod parallel_limits;
mod pending_rules;
mod real_provider_fakes;
mod scale_out;
mod scale_out_support;
mod scheduled_call;
mod security;
mod session_lifetime;
mod sqlite_sessions;
mod store_faults;
