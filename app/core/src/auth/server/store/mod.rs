//! The storage ports of the login, one per concern, each with its in-process double:
//! [`accounts`] (accounts and their passkeys), [`session_index`] (each account's signed-in
//! sessions), [`locks`] (one owner per pending code), [`counters`] (rate-limit and guard
//! counts) and [`blocks`] (the fraud guard's blocks). Every method of every port is one
//! atomic store operation and fails only with [`StoreError`]; the host implements the ports
//! on SQLite, Redis and PostgreSQL (`server/host/src/store/`) and checks every backend
//! against one conformance suite per port. The rules (when to count, block or lock) stay
//! with their callers: `rate_limit`, `guard`, `service`.

pub mod accounts;
pub mod blocks;
pub mod counters;
mod error;
pub mod locks;
pub mod session_index;

pub use error::StoreError;
