//! `GET|POST /dev/clock` and [`Emulator::advance`](crate::Emulator::advance): the emulator's
//! own time moves the timeline.

use super::support::*;
use crate::outbox::rfc3339;
use crate::{DeliveryCause, Fault, FaultSetting};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

async fn clock_post(base: &str, body: &Value) -> (StatusCode, Value) {
    let response = Client::new()
        .post(format!("{base}/dev/clock"))
        .json(body)
        .send()
        .await
        .expect("POST /dev/clock");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn clock_get(base: &str) -> Value {
    reqwest::get(format!("{base}/dev/clock"))
        .await
        .expect("GET /dev/clock")
        .json()
        .await
        .expect("JSON")
}

#[tokio::test]
async fn advancing_over_http_moves_the_timeline() {
    let (emulator, _clock, base) = serve_manual().await;
    let t0 = emulator.now();
    assert_eq!(
        clock_get(&base).await,
        json!({"now": rfc3339(t0), "offset_secs": 0})
    );
    let body = json!({"brand": "B", "channel_timeout": 150, "workflow": [
        {"channel": "sms", "to": TO}, {"channel": "voice", "to": TO},
    ]});
    let id = v2_start(&base, &body).await;

    let (status, shown) = clock_post(&base, &json!({"advance_secs": 150})).await;
    assert_eq!(status, StatusCode::OK);
    let later = rfc3339(t0 + Duration::from_secs(150));
    assert_eq!(shown, json!({"now": later, "offset_secs": 150}));
    let voice = outbox(&base).await[0].clone();
    assert_eq!(
        (voice.channel.as_str(), voice.cause),
        ("voice", DeliveryCause::Auto)
    );
    assert_eq!(voice.sent_at, later);

    clock_post(&base, &json!({"advance_secs": 150})).await;
    assert_eq!(clock_get(&base).await["offset_secs"], 300);
    let path = format!("/v2/verify/{id}");
    let (status, ..) = v2_post(&base, &path, AUTH, &json!({"code": voice.code})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "ended at 300 s");
}

#[tokio::test]
async fn advancing_in_process_does_the_same() {
    let (emulator, _clock, base) = serve_manual().await;
    let t0 = emulator.now();
    v1_start_with(&base, &[("workflow_id", "3")]).await;
    emulator.advance(Duration::from_secs(150));
    assert_eq!(emulator.now(), t0 + Duration::from_secs(150));
    let newest = emulator.messages()[0].clone();
    assert_eq!(
        (newest.channel.as_str(), newest.cause),
        ("voice", DeliveryCause::Auto)
    );
    assert_eq!(clock_get(&base).await["offset_secs"], 150);
}

#[tokio::test]
async fn bad_steps_are_refused_and_the_clock_is_not_faulted() {
    let (emulator, _clock, base) = serve_manual().await;
    for body in [
        json!({}),
        json!({"advance_secs": 0}),
        json!({"advance_secs": 86_401}),
        json!({"advance_secs": -5}),
        json!({"advance_secs": "60"}),
        json!({"advance_secs": 60, "extra": 1}),
    ] {
        let (status, problem) = clock_post(&base, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(problem["title"], "Invalid clock step");
    }
    assert_eq!(clock_get(&base).await["offset_secs"], 0);
    emulator
        .set_fault(FaultSetting::always(Fault::Reset))
        .expect("valid");
    let (status, _) = clock_post(&base, &json!({"advance_secs": 86_400})).await;
    assert_eq!(status, StatusCode::OK, "dev routes are never faulted");
}

#[tokio::test]
async fn the_outbox_page_catches_up_and_shows_the_cause() {
    let (_, clock, base) = serve_manual().await;
    let body = json!({"brand": "B", "channel_timeout": 60, "workflow": [
        {"channel": "sms", "to": TO}, {"channel": "voice", "to": TO},
    ]});
    v2_start(&base, &body).await;
    clock.advance(Duration::from_secs(60));
    let page = reqwest::get(format!("{base}/dev/outbox"))
        .await
        .expect("GET /dev/outbox")
        .text()
        .await
        .expect("HTML");
    assert!(page.contains("<th>Cause</th>"), "{page}");
    assert!(page.contains("<td>voice</td><td>auto</td>"), "{page}");
    assert!(page.contains("<td>sms</td><td>start</td>"), "{page}");
}
