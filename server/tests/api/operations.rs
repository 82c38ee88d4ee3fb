//! Operator endpoints: health, readiness, metrics.

use crate::helpers::{free_port, spawn_against, spawn_app, spawn_app_with};
use reqwest::StatusCode;

#[tokio::test]
async fn healthz_and_readyz_answer_when_all_is_well() {
    let app = spawn_app().await;
    let health = app.get("/healthz").await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok")
    );
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert!(
        ready.body.contains(r#""store":"ok""#) && ready.body.contains(r#""provider":"ok""#),
        "{}",
        ready.body
    );
}

#[tokio::test]
async fn readyz_is_503_when_the_provider_is_unreachable() {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a port")
        .port();
    let app = spawn_against("vonage", &format!("http://127.0.0.1:{closed_port}"), &[]).await;
    let ready = app.get("/readyz").await;
    assert_eq!(
        ready.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        ready.body
    );
    assert!(
        ready.body.contains(r#""provider":"unreachable""#),
        "{}",
        ready.body
    );
    assert_eq!(
        app.get("/healthz").await.status,
        StatusCode::OK,
        "alive all the same"
    );
}

#[tokio::test]
async fn metrics_count_sends_checks_sign_ins_and_time_upstream_calls() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123210")])
        .await;
    let code = app.latest_code("+447400123210").await;
    app.call("finish_login", &[("code", &code)]).await;
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    for name in [
        "passwordless_code_sends_total{channel=\"sms\"}",
        "passwordless_code_checks_total{outcome=\"ok\"}",
        "passwordless_sign_ins_total",
        "passwordless_upstream_seconds_bucket{op=\"start\",ok=\"true\"",
    ] {
        assert!(
            metrics.body.contains(name),
            "{name} missing in:\n{}",
            metrics.body
        );
    }
    assert!(
        !metrics.body.contains("+447400123210") && !metrics.body.contains("+44 7400 123210"),
        "no numbers in metrics"
    );
}

#[tokio::test]
async fn ops_addr_moves_the_operator_endpoints_off_the_site_port() {
    let ops = format!("127.0.0.1:{}", free_port());
    let app = spawn_app_with(&[("OPS_ADDR", &ops)]).await;

    for path in ["/healthz", "/readyz", "/metrics"] {
        let on_ops = reqwest::get(format!("http://{ops}{path}"))
            .await
            .expect("ops port answers");
        assert_eq!(on_ops.status(), StatusCode::OK, "{path} on OPS_ADDR");
        let on_site = app.get(path).await;
        assert_eq!(
            on_site.status,
            StatusCode::NOT_FOUND,
            "{path} on the site port"
        );
    }
}
