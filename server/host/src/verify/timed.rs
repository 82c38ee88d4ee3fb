//! A provider decorator that records every upstream call's duration and outcome in the
//! `passwordless_upstream_seconds` histogram (labels `op`, `ok`).

use app_core::auth::server::verify_port::{
    CheckFailure, ControlFailure, RequestId, StartFailure, StartVerification, Started,
    VerifyProvider,
};
use app_core::domain::Pin;
use async_trait::async_trait;
use std::time::Instant;

/// Histogram of upstream call durations.
pub const UPSTREAM_SECONDS: &str = "passwordless_upstream_seconds";

/// Wraps a provider; behaves exactly like it.
pub struct Timed<P>(pub P);

fn record<T, E>(op: &'static str, started: Instant, result: &Result<T, E>) {
    let ok = if result.is_ok() { "true" } else { "false" };
    metrics::histogram!(UPSTREAM_SECONDS, "op" => op, "ok" => ok)
        .record(started.elapsed().as_secs_f64());
}

#[async_trait]
impl<P: VerifyProvider> VerifyProvider for Timed<P> {
    async fn start(&self, request: &StartVerification) -> Result<Started, StartFailure> {
        let started = Instant::now();
        let result = self.0.start(request).await;
        record("start", started, &result);
        result
    }

    async fn check(&self, request_id: &RequestId, code: &Pin) -> Result<(), CheckFailure> {
        let started = Instant::now();
        let result = self.0.check(request_id, code).await;
        record("check", started, &result);
        result
    }

    async fn next_channel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        let started = Instant::now();
        let result = self.0.next_channel(request_id).await;
        record("next_channel", started, &result);
        result
    }

    async fn cancel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        let started = Instant::now();
        let result = self.0.cancel(request_id).await;
        record("cancel", started, &result);
        result
    }

    fn throttled_for_secs(&self) -> Option<u64> {
        self.0.throttled_for_secs()
    }

    fn name(&self) -> &'static str {
        self.0.name()
    }
}
