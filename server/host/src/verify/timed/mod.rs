//! The one place around every provider call, whatever the vendor: its duration and outcome
//! in the `passwordless_upstream_seconds` histogram (labels `op`, `ok`), the log line for a
//! failure, and operator faults counted in `passwordless_provider_faults_total{kind}` and
//! remembered for `/readyz`.

use app_core::auth::server::verify_port::{
    CheckFailure, ControlFailure, DeliveryPlan, OperatorFault, RequestId, StartFailure,
    StartVerification, Started, VerifyProvider,
};
use app_core::domain::Pin;
use async_trait::async_trait;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Histogram of upstream call durations.
pub const UPSTREAM_SECONDS: &str = "passwordless_upstream_seconds";
/// Counter of operator faults met upstream, by `kind` (`credentials`, `balance`, `account`,
/// `request`).
pub const PROVIDER_FAULTS: &str = "passwordless_provider_faults_total";

/// A fault older than this no longer shows in `/readyz` (nobody asked the provider since).
const FAULT_SHOWN_FOR: Duration = Duration::from_secs(600);

/// The last operator fault a provider call met, until a later call succeeds. Clones share it.
#[derive(Clone, Debug, Default)]
pub struct ProviderHealth(Arc<Mutex<Option<(OperatorFault, Instant)>>>);

impl ProviderHealth {
    /// The operator fault seen in the last ten minutes and not cleared by a later answer.
    pub fn fault(&self) -> Option<OperatorFault> {
        let last = *self.0.lock().ok()?;
        last.filter(|(_, at)| at.elapsed() < FAULT_SHOWN_FOR)
            .map(|(fault, _)| fault)
    }

    fn set(&self, fault: Option<OperatorFault>) {
        if let Ok(mut last) = self.0.lock() {
            *last = fault.map(|fault| (fault, Instant::now()));
        }
    }
}

/// Wraps a provider; answers exactly what it answers.
pub struct Timed<P> {
    inner: P,
    health: ProviderHealth,
}

impl<P: VerifyProvider> Timed<P> {
    /// Wraps `inner`, reporting operator faults to `health`.
    pub fn new(inner: P, health: ProviderHealth) -> Self {
        Self { inner, health }
    }

    /// Records, logs and remembers one call's outcome.
    fn observe(&self, op: &'static str, started: Instant, trouble: Trouble<'_>, number: &str) {
        let ok = if matches!(trouble, Trouble::None) {
            "true"
        } else {
            "false"
        };
        metrics::histogram!(UPSTREAM_SECONDS, "op" => op, "ok" => ok)
            .record(started.elapsed().as_secs_f64());
        let provider = self.inner.name();
        match trouble {
            Trouble::None => self.health.set(None),
            Trouble::Throttled => {
                tracing::warn!(provider, op, number, "verify call throttled upstream")
            }
            Trouble::Unavailable(detail) => {
                tracing::warn!(provider, op, number, %detail, "verify call failed upstream")
            }
            Trouble::Operator(fault, detail) => {
                tracing::error!(
                    alert = true,
                    provider,
                    op,
                    kind = fault.as_str(),
                    %detail,
                    "verify provider refused our account or settings: fix the configuration"
                );
                metrics::counter!(PROVIDER_FAULTS, "kind" => fault.as_str()).increment(1);
                self.health.set(Some(fault));
            }
        }
    }
}

/// What about an outcome is worth a log line.
enum Trouble<'a> {
    /// Success or an outcome of the login itself (wrong code, expired, …).
    None,
    Throttled,
    Unavailable(&'a str),
    Operator(OperatorFault, &'a str),
}

fn start_trouble(result: &Result<Started, StartFailure>) -> Trouble<'_> {
    match result {
        Err(StartFailure::Throttled) => Trouble::Throttled,
        Err(StartFailure::Unavailable(detail)) => Trouble::Unavailable(detail),
        Err(StartFailure::OperatorFault(fault, detail)) => Trouble::Operator(*fault, detail),
        _ => Trouble::None,
    }
}

fn check_trouble(result: &Result<(), CheckFailure>) -> Trouble<'_> {
    match result {
        Err(CheckFailure::Throttled) => Trouble::Throttled,
        Err(CheckFailure::Unavailable(detail)) => Trouble::Unavailable(detail),
        Err(CheckFailure::OperatorFault(fault, detail)) => Trouble::Operator(*fault, detail),
        _ => Trouble::None,
    }
}

fn control_trouble(result: &Result<(), ControlFailure>) -> Trouble<'_> {
    match result {
        Err(ControlFailure::Throttled) => Trouble::Throttled,
        Err(ControlFailure::Unavailable(detail)) => Trouble::Unavailable(detail),
        Err(ControlFailure::OperatorFault(fault, detail)) => Trouble::Operator(*fault, detail),
        _ => Trouble::None,
    }
}

#[async_trait]
impl<P: VerifyProvider> VerifyProvider for Timed<P> {
    async fn start(&self, request: &StartVerification) -> Result<Started, StartFailure> {
        let started = Instant::now();
        let result = self.inner.start(request).await;
        let number = request.number.masked();
        self.observe("start", started, start_trouble(&result), &number);
        result
    }

    async fn check(&self, request_id: &RequestId, code: &Pin) -> Result<(), CheckFailure> {
        let started = Instant::now();
        let result = self.inner.check(request_id, code).await;
        self.observe("check", started, check_trouble(&result), "-");
        result
    }

    async fn next_channel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        let started = Instant::now();
        let result = self.inner.next_channel(request_id).await;
        self.observe("next_channel", started, control_trouble(&result), "-");
        result
    }

    async fn cancel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        let started = Instant::now();
        let result = self.inner.cancel(request_id).await;
        self.observe("cancel", started, control_trouble(&result), "-");
        result
    }

    fn delivery_plan(&self) -> DeliveryPlan {
        self.inner.delivery_plan()
    }

    fn throttled_for_secs(&self) -> Option<u64> {
        self.inner.throttled_for_secs()
    }

    fn name(&self) -> &'static str {
        self.inner.name()
    }
}

#[cfg(test)]
mod tests;
