//! Operator endpoints: `GET /healthz` (the process answers), `GET /readyz` (the session
//! store and the Verify provider are reachable; 503 otherwise; plus the operator fault the
//! provider last reported, if any) and `GET /metrics` (Prometheus text format).
//!
//! The provider probe is shared: its result is reused for [`PROBE_REUSE`], and requests
//! that come while one is under way wait for it, so however many requests arrive the
//! provider sees at most one call per 5 s.

use crate::store::AnyStore;
use crate::verify::ProviderHealth;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// How long a provider probe's result answers `/readyz` before the next probe.
pub const PROBE_REUSE: Duration = Duration::from_secs(5);

/// The last provider probe: when it ended, and what it found.
type LastProbe = Option<(Instant, Result<(), String>)>;

/// What readiness checks.
#[derive(Clone)]
pub struct Readiness {
    /// The session store.
    pub store: AnyStore,
    /// The provider's base URL; any HTTP answer means reachable.
    pub provider_url: url::Url,
    /// The operator fault provider calls last met (credentials, balance, account, request).
    pub health: ProviderHealth,
    /// The client the probe uses, built once (see [`Readiness::new`]).
    http: reqwest::Client,
    /// The last probe, shared by every clone; its lock is held while a probe runs.
    last_probe: Arc<Mutex<LastProbe>>,
}

impl Readiness {
    /// Checks `store` and `provider_url`, with a 2 s limit per probe. Loopback hosts are never
    /// reached through a proxy (the same rule as the Verify clients).
    pub fn new(
        store: AnyStore,
        provider_url: url::Url,
        health: ProviderHealth,
    ) -> Result<Self, reqwest::Error> {
        let host = provider_url.host_str().unwrap_or("");
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let mut builder = reqwest::Client::builder().timeout(Duration::from_secs(2));
        if loopback {
            builder = builder.no_proxy();
        }
        Ok(Self {
            store,
            provider_url,
            health,
            http: builder.build()?,
            last_probe: Arc::new(Mutex::new(None)),
        })
    }

    /// Whether the provider is reachable: the last probe's answer if it ended less than
    /// [`PROBE_REUSE`] ago, else a new probe's. The probe runs in a task of its own that
    /// holds the lock until it has stored its answer, so requests that come meanwhile wait
    /// for it, and one whose client hangs up does not cancel it (and so cannot cause another).
    async fn provider(&self) -> Result<(), String> {
        let mut last = self.last_probe.clone().lock_owned().await;
        if let Some((at, result)) = last.as_ref() {
            if at.elapsed() < PROBE_REUSE {
                return result.clone();
            }
        }
        let (http, url) = (self.http.clone(), self.provider_url.clone());
        let probe = tokio::spawn(async move {
            let result = reachable(&http, &url).await;
            *last = Some((Instant::now(), result.clone()));
            result
        });
        probe
            .await
            .unwrap_or_else(|_| Err("unreachable".to_owned()))
    }
}

/// The process-wide Prometheus recorder (installed on first use).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(&[
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                ])
                .map(PrometheusBuilder::build_recorder)
                .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
            let handle = recorder.handle();
            // Fails only if another recorder was installed first; the handle still renders.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// The three endpoints.
pub fn routes(readiness: Readiness) -> Router {
    health_route().merge(private_routes(readiness))
}

/// `GET /healthz`: says only that the process answers.
pub fn health_route() -> Router {
    Router::new().route("/healthz", get(|| async { "ok" }))
}

/// `GET /readyz` and `GET /metrics`: what only operators should read (on the site's port,
/// the router lets only loopback peers through, see `security::only_local_operators`).
pub fn private_routes(readiness: Readiness) -> Router {
    Router::new()
        .route("/readyz", get(ready))
        .route("/metrics", get(render_metrics))
        .with_state(readiness)
}

async fn ready(State(readiness): State<Readiness>) -> impl IntoResponse {
    let store = readiness.store.ping().await;
    let provider = readiness.provider().await;
    let status = if store.is_ok() && provider.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let word = |r: &Result<(), String>| r.as_ref().map_or_else(Clone::clone, |()| "ok".to_owned());
    // Shown, not turned into a 503: the fault is the same on every instance, and taking them
    // all out of a load balancer would replace the site's own "temporarily unavailable" page
    // with the balancer's error, and stop the traffic whose success clears the fault.
    let fault = readiness.health.fault().map(|f| f.as_str());
    (
        status,
        Json(serde_json::json!({
            "store": word(&store),
            "provider": word(&provider),
            "provider_fault": fault,
        })),
    )
}

async fn reachable(http: &reqwest::Client, url: &url::Url) -> Result<(), String> {
    http.head(url.clone())
        .send()
        .await
        .map(|_| ())
        .map_err(|_| "unreachable".to_owned())
}

async fn render_metrics() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        metrics_handle().render(),
    )
}
