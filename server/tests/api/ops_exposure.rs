//! Operator data stays with operators: without `OPS_ADDR`, `/readyz` and `/metrics` answer
//! loopback peers only (the socket peer, set in-process here, never a header), unless
//! `OPS_PUBLIC=yes`; and `/readyz` never turns a flood into provider calls: one probe per 5 s,
//! shared by every request that comes meanwhile.

use crate::helpers::{spawn_against, spawn_app_seen_from, TestApp};
use reqwest::StatusCode;
use std::time::Duration;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn status_of(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> StatusCode {
    let mut request = app.client.get(format!("{}{path}", app.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("reachable").status()
}

#[tokio::test]
async fn metrics_and_readyz_are_absent_to_a_non_loopback_peer() {
    let app = spawn_app_seen_from("203.0.113.9:50000", &[]).await;
    for path in ["/metrics", "/readyz"] {
        assert_eq!(
            status_of(&app, path, &[]).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // Liveness says nothing, and the site itself still answers that peer.
    assert_eq!(status_of(&app, "/healthz", &[]).await, StatusCode::OK);
    assert_eq!(app.get("/login").await.status, StatusCode::OK);
    // IPv6 peers too.
    let v6 = spawn_app_seen_from("[2001:db8::9]:50000", &[]).await;
    assert_eq!(status_of(&v6, "/metrics", &[]).await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn metrics_and_readyz_answer_a_loopback_peer_not_a_rebound_page_or_a_relayed_stranger() {
    for peer in ["127.0.0.1:50000", "[::1]:50000"] {
        let app = spawn_app_seen_from(peer, &[]).await;
        for path in ["/metrics", "/readyz"] {
            assert_eq!(
                status_of(&app, path, &[]).await,
                StatusCode::OK,
                "{peer}{path}"
            );
        }
    }
    // A page on another name rebound to 127.0.0.1 is a loopback peer, but names no local host.
    let local = spawn_app_seen_from("127.0.0.1:50000", &[]).await;
    for path in ["/metrics", "/readyz"] {
        let port = local.base.rsplit(':').next().expect("port");
        let rebound = format!("rebound.example:{port}");
        assert_eq!(
            status_of(&local, path, &[("host", rebound.as_str())]).await,
            StatusCode::MISDIRECTED_REQUEST,
            "{path}"
        );
    }
    // A proxy on this machine relaying a stranger: the peer is loopback, the client is not.
    let proxied = spawn_app_seen_from("127.0.0.1:50000", &[("CLIENT_IP_HEADER", "X-Client")]).await;
    for header in [
        ("x-forwarded-for", "203.0.113.9"),
        ("forwarded", "for=203.0.113.9"),
        ("x-real-ip", "203.0.113.9"),
        ("x-client", "203.0.113.9"),
    ] {
        assert_eq!(
            status_of(&proxied, "/metrics", &[header]).await,
            StatusCode::NOT_FOUND,
            "{header:?}"
        );
    }
}

#[tokio::test]
async fn ops_public_opts_in_explicitly() {
    let app = spawn_app_seen_from("203.0.113.9:50000", &[("OPS_PUBLIC", "yes")]).await;
    for path in ["/metrics", "/readyz"] {
        assert_eq!(status_of(&app, path, &[]).await, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn parallel_readyz_calls_share_one_provider_probe_per_five_seconds() {
    let provider = MockServer::start().await;
    Mock::given(method("HEAD"))
        // Slow enough that the requests below all come while the probe is under way.
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(300)))
        .mount(&provider)
        .await;
    let app = spawn_against("vonage", &provider.uri(), &[]).await;
    let probes = || async { provider.received_requests().await.unwrap_or_default().len() };

    let burst = || {
        let calls = (0..20).map(|_| {
            let app = app.other_browser();
            async move { app.get("/readyz").await }
        });
        futures_join_all(calls)
    };
    for ready in burst().await {
        assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
        assert!(ready.body.contains(r#""provider":"ok""#), "{}", ready.body);
    }
    assert_eq!(probes().await, 1, "20 parallel requests, one probe");
    burst().await;
    assert_eq!(probes().await, 1, "the result is reused within 5 s");

    tokio::time::sleep(Duration::from_millis(5_100)).await;
    burst().await;
    assert_eq!(probes().await, 2, "one new probe after 5 s");
}

/// Runs `calls` concurrently and answers their results in order.
async fn futures_join_all<F: std::future::Future + Send + 'static>(
    calls: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let tasks: Vec<_> = calls.map(tokio::spawn).collect();
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.expect("task"));
    }
    results
}
