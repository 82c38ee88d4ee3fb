//! Helpers shared by the HTTP tests: an emulator on a loopback port and small clients for
//! each API, using the default credentials.

use crate::{Emulator, EmulatorConfig, OutboxMessage};
use app_clock::{Clock, ManualClock, SystemClock};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;

/// The default number of the tests.
pub const TO: &str = "447400123123";
/// The default `api_key` / `api_secret`.
pub const KEY: &str = "emulator";
pub const SECRET: &str = "emulator";
/// v2 Basic credentials the emulator accepts by default.
pub const AUTH: Option<(&str, &str)> = Some((KEY, SECRET));

pub async fn serve() -> (Emulator, String) {
    serve_with(Arc::new(SystemClock)).await
}

pub async fn serve_with(clock: Arc<dyn Clock>) -> (Emulator, String) {
    serve_config(EmulatorConfig::default(), clock).await
}

pub async fn serve_config(config: EmulatorConfig, clock: Arc<dyn Clock>) -> (Emulator, String) {
    let emulator = Emulator::new(config, clock);
    let addr = emulator
        .serve(([127, 0, 0, 1], 0).into(), |dev| dev)
        .await
        .expect("bind the emulator");
    (emulator, format!("http://{addr}"))
}

/// An emulator on a manual clock, its clock and its base URL.
pub async fn serve_manual() -> (Emulator, ManualClock, String) {
    let clock = ManualClock::new();
    let (emulator, base) = serve_with(Arc::new(clock.clone())).await;
    (emulator, clock, base)
}

pub fn workflow_body(to: &str) -> Value {
    json!({"brand": "Passwordless", "workflow": [{"channel": "sms", "to": to}]})
}

/// A v2 start body for `to` with an SMS then a voice step.
pub fn sms_then_voice(to: &str) -> Value {
    json!({"brand": "Passwordless", "workflow": [
        {"channel": "sms", "to": to}, {"channel": "voice", "to": to},
    ]})
}

/// Starts a v2 request for `TO` with an SMS then a voice step; returns its id.
pub async fn v2_start_sms_then_voice(base: &str) -> String {
    v2_start(base, &sms_then_voice(TO)).await
}

/// POSTs JSON to a v2 path with Basic `key:secret`; returns status, content type and body.
pub async fn v2_post(
    base: &str,
    path: &str,
    auth: Option<(&str, &str)>,
    body: &Value,
) -> (StatusCode, String, Value) {
    let mut request = Client::new().post(format!("{base}{path}")).json(body);
    if let Some((key, secret)) = auth {
        request = request.basic_auth(key, Some(secret));
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let content_type = content_type(&response);
    let body = response.json().await.unwrap_or(Value::Null);
    (status, content_type, body)
}

/// Starts a v2 request with `body`; returns its id (panics unless 202).
pub async fn v2_start(base: &str, body: &Value) -> String {
    let (status, _, started) = v2_post(base, "/v2/verify", AUTH, body).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    started["request_id"]
        .as_str()
        .expect("request_id")
        .to_owned()
}

/// `DELETE /v2/verify/{id}` with the default credentials; the status.
pub async fn v2_cancel(base: &str, id: &str) -> StatusCode {
    Client::new()
        .delete(format!("{base}/v2/verify/{id}"))
        .basic_auth(KEY, Some(SECRET))
        .send()
        .await
        .expect("DELETE")
        .status()
}

/// POSTs to `next_workflow` with no body; returns status, content type and raw body.
pub async fn next_workflow(base: &str, id: &str, auth: bool) -> (StatusCode, String, String) {
    let mut request = Client::new().post(format!("{base}/v2/verify/{id}/next_workflow"));
    if auth {
        request = request.basic_auth(KEY, Some(SECRET));
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let content_type = content_type(&response);
    (status, content_type, response.text().await.expect("body"))
}

/// A v1 POST (form body); the JSON reply (v1 always answers 200).
pub async fn v1_post(base: &str, path: &str, form: &[(&str, &str)]) -> Value {
    let response = Client::new()
        .post(format!("{base}{path}"))
        .form(form)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK, "v1 always answers 200");
    response.json().await.expect("JSON body")
}

/// A v1 POST with the default credentials plus `extra`.
pub async fn v1_call(base: &str, path: &str, extra: &[(&str, &str)]) -> Value {
    let form = [&[("api_key", KEY), ("api_secret", SECRET)][..], extra].concat();
    v1_post(base, path, &form).await
}

/// Starts a v1 request for `TO` with `extra` parameters; returns its id.
pub async fn v1_start_with(base: &str, extra: &[(&str, &str)]) -> String {
    let form = [&[("number", TO), ("brand", "B")][..], extra].concat();
    let started = v1_call(base, "/verify/json", &form).await;
    assert_eq!(started["status"], "0", "{started}");
    started["request_id"]
        .as_str()
        .expect("request_id")
        .to_owned()
}

pub async fn v1_start(base: &str) -> String {
    v1_start_with(base, &[]).await
}

/// The `/verify/control/json` reply for `cmd` on `id`, with credentials.
pub async fn control(base: &str, id: &str, cmd: &str) -> Value {
    v1_call(
        base,
        "/verify/control/json",
        &[("request_id", id), ("cmd", cmd)],
    )
    .await
}

/// The `/verify/check/json` reply for `code` on `id`.
pub async fn v1_check(base: &str, id: &str, code: &str) -> Value {
    v1_call(
        base,
        "/verify/check/json",
        &[("request_id", id), ("code", code)],
    )
    .await
}

/// `GET /dev/messages`, newest first.
pub async fn outbox(base: &str) -> Vec<OutboxMessage> {
    reqwest::get(format!("{base}/dev/messages"))
        .await
        .expect("GET /dev/messages")
        .json()
        .await
        .expect("a JSON array of messages")
}

pub fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub fn assert_problem(content_type: &str, body: &Value, title: &str) {
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(body["title"], title, "{body}");
    for field in ["type", "detail", "instance"] {
        assert!(
            body[field].as_str().is_some_and(|s| !s.is_empty()),
            "{field} in {body}"
        );
    }
}

/// A code that is certainly not `code` (same length).
pub fn wrong(code: &str) -> String {
    let digit = if code.starts_with('0') { "1" } else { "0" };
    digit.repeat(code.len())
}
