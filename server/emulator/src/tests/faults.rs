//! Fault injection over raw HTTP: the admin API and what each fault puts on the wire.

use super::support::{KEY, SECRET};
use crate::{Emulator, EmulatorConfig, Fault, FaultSetting};
use app_clock::SystemClock;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TO: &str = "447400123150";

async fn serve() -> (Emulator, String) {
    let emulator = Emulator::new(EmulatorConfig::default(), Arc::new(SystemClock));
    let addr = emulator
        .serve(([127, 0, 0, 1], 0).into(), |dev| dev)
        .await
        .expect("bind the emulator");
    (emulator, format!("http://{addr}"))
}

fn start_body() -> Value {
    json!({"brand": "Passwordless", "workflow": [{"channel": "sms", "to": TO}]})
}

fn v2_start(client: &Client, base: &str) -> reqwest::RequestBuilder {
    client
        .post(format!("{base}/v2/verify"))
        .basic_auth(KEY, Some(SECRET))
        .json(&start_body())
}

/// `POST /dev/faults`; returns status and JSON body.
async fn switch(base: &str, body: Value) -> (StatusCode, Value) {
    let response = Client::new()
        .post(format!("{base}/dev/faults"))
        .json(&body)
        .send()
        .await
        .expect("admin reachable");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn current(base: &str) -> Value {
    Client::new()
        .get(format!("{base}/dev/faults"))
        .send()
        .await
        .expect("admin reachable")
        .json()
        .await
        .expect("JSON setting")
}

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn admin_api_reads_replaces_and_refuses_bad_settings() {
    let (emulator, base) = serve().await;
    assert_eq!(current(&base).await, json!({"kind": "none"}));

    let setting = json!({"kind": "status", "status": 503, "count": 2});
    assert_eq!(
        switch(&base, setting.clone()).await,
        (StatusCode::OK, setting.clone())
    );
    assert_eq!(current(&base).await, setting);
    assert_eq!(
        emulator.fault(),
        FaultSetting::times(Fault::Status { status: 503 }, 2)
    );

    let (status, problem) = switch(&base, json!({"kind": "status", "status": 200})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("400 to 599")));
    assert_eq!(
        current(&base).await,
        setting,
        "a refused setting changes nothing"
    );

    let (status, _) = switch(&base, json!({"kind": "meltdown"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    assert!(emulator
        .set_fault(FaultSetting::always(Fault::Latency { ms: 1_000_000 }))
        .is_err());
    assert_eq!(
        emulator.set_fault(FaultSetting::always(Fault::Garbage)),
        Ok(())
    );
    assert_eq!(current(&base).await, json!({"kind": "garbage"}));
}

#[tokio::test]
async fn a_counted_fault_hits_only_the_next_calls_and_dev_routes_are_never_faulted() {
    let (_, base) = serve().await;
    switch(&base, json!({"kind": "status", "status": 500, "count": 1})).await;
    // Dev routes neither get the fault nor use up the count.
    let outbox = Client::new()
        .get(format!("{base}/dev/messages"))
        .send()
        .await
        .expect("outbox");
    assert_eq!(outbox.status(), StatusCode::OK);

    let client = Client::new();
    let first = v2_start(&client, &base).send().await.expect("reply");
    assert_eq!(first.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        current(&base).await,
        json!({"kind": "none"}),
        "count used up"
    );
    let second = v2_start(&client, &base).send().await.expect("reply");
    assert_eq!(second.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn status_answers_a_problem_without_processing_the_request() {
    let (emulator, base) = serve().await;
    switch(&base, json!({"kind": "status", "status": 503})).await;
    let reply = v2_start(&Client::new(), &base).send().await.expect("reply");
    assert_eq!(reply.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(content_type(&reply), "application/problem+json");
    assert_eq!(reply.headers()["retry-after"], "1");
    let body: Value = reply.json().await.expect("problem JSON");
    assert_eq!(body["title"], "Service Unavailable");

    // The v1 API gets the same fault.
    let v1 = Client::new()
        .post(format!("{base}/verify/json"))
        .form(&[
            ("api_key", KEY),
            ("api_secret", SECRET),
            ("number", TO),
            ("brand", "B"),
        ])
        .send()
        .await
        .expect("reply");
    assert_eq!(v1.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(emulator.messages().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn latency_delays_the_normal_answer() {
    let (emulator, base) = serve().await;
    switch(&base, json!({"kind": "latency", "ms": 300})).await;
    let began = Instant::now();
    let reply = v2_start(&Client::new(), &base).send().await.expect("reply");
    assert!(
        began.elapsed() >= Duration::from_millis(300),
        "{:?}",
        began.elapsed()
    );
    assert_eq!(reply.status(), StatusCode::ACCEPTED);
    assert_eq!(emulator.messages().len(), 1);
}

#[tokio::test]
async fn timeout_holds_the_request_then_answers_504_unprocessed() {
    let (emulator, base) = serve().await;
    switch(&base, json!({"kind": "timeout", "ms": 400})).await;
    let impatient = Client::builder()
        .timeout(Duration::from_millis(150))
        .build()
        .expect("client");
    let error = v2_start(&impatient, &base)
        .send()
        .await
        .expect_err("held past the client's timeout");
    assert!(error.is_timeout(), "{error}");

    let began = Instant::now();
    let reply = v2_start(&Client::new(), &base).send().await.expect("reply");
    assert!(began.elapsed() >= Duration::from_millis(400));
    assert_eq!(reply.status(), StatusCode::GATEWAY_TIMEOUT);
    assert!(emulator.messages().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn reset_drops_the_connection_without_a_response() {
    let (emulator, base) = serve().await;
    let client = Client::new();
    // A pooled keep-alive connection first, so the reset hits a reused connection too.
    let ok = client
        .get(format!("{base}/dev/messages"))
        .send()
        .await
        .expect("outbox");
    assert_eq!(ok.status(), StatusCode::OK);

    switch(&base, json!({"kind": "reset"})).await;
    for request in [
        v2_start(&client, &base),
        client.get(format!("{base}/verify/json")).query(&[
            ("api_key", KEY),
            ("api_secret", SECRET),
            ("number", TO),
            ("brand", "B"),
        ]),
    ] {
        let error = request.send().await.expect_err("no HTTP response");
        assert!(!error.is_timeout() && error.status().is_none(), "{error}");
    }
    assert!(emulator.messages().is_empty(), "nothing was sent");

    switch(&base, json!({"kind": "none"})).await;
    let after = v2_start(&client, &base)
        .send()
        .await
        .expect("a new connection");
    assert_eq!(after.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn truncated_processes_the_request_and_cuts_the_json() {
    let (emulator, base) = serve().await;
    switch(&base, json!({"kind": "truncated"})).await;
    let reply = v2_start(&Client::new(), &base).send().await.expect("reply");
    assert_eq!(reply.status(), StatusCode::ACCEPTED);
    assert_eq!(content_type(&reply), "application/json");
    let body = reply.text().await.expect("body");
    assert!(body.starts_with("{\"request_id\""), "{body}");
    assert!(serde_json::from_str::<Value>(&body).is_err(), "{body}");
    assert_eq!(emulator.messages().len(), 1, "the code was sent");
}

#[tokio::test]
async fn garbage_is_a_200_that_is_not_json() {
    let (emulator, base) = serve().await;
    switch(&base, json!({"kind": "garbage"})).await;
    let reply = v2_start(&Client::new(), &base).send().await.expect("reply");
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(content_type(&reply), "application/json");
    let body = reply.text().await.expect("body");
    assert!(serde_json::from_str::<Value>(&body).is_err(), "{body}");
    assert!(emulator.messages().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn wrong_content_type_keeps_the_real_status_and_json() {
    let (emulator, base) = serve().await;
    switch(&base, json!({"kind": "wrong_content_type"})).await;
    let reply = v2_start(&Client::new(), &base).send().await.expect("reply");
    assert_eq!(reply.status(), StatusCode::ACCEPTED);
    assert_eq!(content_type(&reply), "text/html; charset=utf-8");
    let body: Value = serde_json::from_str(&reply.text().await.expect("body")).expect("JSON");
    assert!(body["request_id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(emulator.messages().len(), 1);
}

#[tokio::test]
async fn reset_outside_serve_answers_502() {
    use tower::ServiceExt as _;
    let emulator = Emulator::new(EmulatorConfig::default(), Arc::new(SystemClock));
    emulator
        .set_fault(FaultSetting::always(Fault::Reset))
        .expect("valid setting");
    let request = axum::http::Request::post("/v2/verify")
        .body(axum::body::Body::from(start_body().to_string()))
        .expect("request");
    let reply = emulator
        .api_router()
        .oneshot(request)
        .await
        .expect("infallible");
    assert_eq!(reply.status(), StatusCode::BAD_GATEWAY);
}

#[tokio::test]
async fn generic_faults_reach_the_twilio_routes_too() {
    let (_emulator, base) = serve().await;
    let (status, _) = switch(&base, json!({"kind": "status", "status": 503})).await;
    assert_eq!(status, StatusCode::OK);
    let answer = Client::new()
        .post(format!("{base}/v2/Services/VAemulator/Verifications"))
        .basic_auth(KEY, Some(SECRET))
        .form(&[("To", "+447400123150"), ("Channel", "sms")])
        .send()
        .await
        .expect("reachable");
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
}
