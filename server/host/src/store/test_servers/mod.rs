//! Private database servers for tests: a `redis-server` and a PostgreSQL cluster of the
//! test's own, on free loopback ports, removed on drop. Built only for tests: the host's own
//! (the conformance suites) and other crates' through the `test-support` feature, which
//! `server` enables in its dev-dependencies only; never in the production library.

mod postgres;
mod redis;

pub use postgres::{HeldTransaction, PostgresServer};
pub use redis::RedisServer;
