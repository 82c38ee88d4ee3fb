//! Verify v2 timing over HTTP on a manual clock: `channel_timeout`, the next channel starting
//! by itself, `next_workflow`, and the end of the request.

use super::support::*;
use crate::outbox::rfc3339;
use crate::DeliveryCause;
use app_clock::Clock;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn with_timeout(channels: &[&str], timeout: u64) -> Value {
    let workflow: Vec<Value> = channels
        .iter()
        .map(|channel| json!({"channel": channel, "to": TO}))
        .collect();
    json!({"brand": "Passwordless", "channel_timeout": timeout, "workflow": workflow})
}

async fn check(base: &str, id: &str, code: &str) -> StatusCode {
    let path = format!("/v2/verify/{id}");
    v2_post(base, &path, AUTH, &json!({"code": code})).await.0
}

#[tokio::test]
async fn the_voice_channel_starts_by_itself_and_the_request_ends_after_its_timeout() {
    let (_, clock, base) = serve_manual().await;
    let t0 = clock.now();
    let id = v2_start(&base, &with_timeout(&["sms", "voice"], 150)).await;
    let sms = outbox(&base).await[0].clone();
    assert_eq!(
        sms.text,
        format!(
            "Your Passwordless code is {}. It expires in 5 minutes.",
            sms.code
        )
    );
    assert_eq!(
        (sms.api.as_str(), sms.request_id.as_str()),
        ("v2", id.as_str())
    );
    clock.advance(secs(149));
    assert_eq!(outbox(&base).await.len(), 1);
    clock.advance(secs(1));
    let voice = outbox(&base).await[0].clone();
    assert_eq!(
        (voice.channel.as_str(), voice.cause),
        ("voice", DeliveryCause::Auto)
    );
    assert_eq!(
        (voice.code.as_str(), voice.sent_at),
        (sms.code.as_str(), rfc3339(t0 + secs(150)))
    );

    clock.advance(secs(149));
    assert_eq!(
        check(&base, &id, &wrong(&sms.code)).await,
        StatusCode::BAD_REQUEST
    );
    clock.advance(secs(1));
    assert_eq!(
        check(&base, &id, &sms.code).await,
        StatusCode::NOT_FOUND,
        "ended at 300 s"
    );
    assert_eq!(outbox(&base).await.len(), 2);
    let again = v2_start(&base, &with_timeout(&["sms"], 60)).await;
    assert_ne!(again, id, "the number is free");
}

#[tokio::test]
async fn next_workflow_calls_now_and_no_second_call_follows() {
    let (_, clock, base) = serve_manual().await;
    let t0 = clock.now();
    let id = v2_start(&base, &with_timeout(&["sms", "voice"], 150)).await;
    clock.advance(secs(40));
    let (status, ..) = next_workflow(&base, &id, true).await;
    assert_eq!(status, StatusCode::OK);
    let voice = outbox(&base).await[0].clone();
    assert_eq!(
        (voice.channel.as_str(), voice.cause),
        ("voice", DeliveryCause::Next)
    );
    assert_eq!(voice.sent_at, rfc3339(t0 + secs(40)));
    clock.advance(secs(140));
    let channels: Vec<String> = outbox(&base).await.into_iter().map(|m| m.channel).collect();
    assert_eq!(channels, ["voice", "sms"], "no voice call at 150 s");
    let code = voice.code.clone();
    clock.advance(secs(10));
    assert_eq!(
        check(&base, &id, &code).await,
        StatusCode::NOT_FOUND,
        "150 s after the call"
    );
}

#[tokio::test]
async fn a_single_channel_workflow_never_calls() {
    let (_, clock, base) = serve_manual().await;
    let id = v2_start(&base, &with_timeout(&["sms"], 150)).await;
    let code = outbox(&base).await[0].code.clone();
    clock.advance(secs(149));
    assert_eq!(
        check(&base, &id, &wrong(&code)).await,
        StatusCode::BAD_REQUEST
    );
    clock.advance(secs(1));
    assert_eq!(check(&base, &id, &code).await, StatusCode::NOT_FOUND);
    clock.advance(secs(3_600));
    assert_eq!(outbox(&base).await.len(), 1, "only the SMS");
}

#[tokio::test]
async fn the_default_channel_timeout_is_the_configured_code_ttl() {
    let (_, clock, base) = serve_manual().await;
    let id = v2_start(&base, &sms_then_voice(TO)).await;
    let sms = outbox(&base).await[0].clone();
    assert!(
        sms.text.ends_with("It expires in 10 minutes."),
        "{}",
        sms.text
    );
    clock.advance(secs(299));
    assert_eq!(outbox(&base).await.len(), 1);
    clock.advance(secs(1));
    assert_eq!(outbox(&base).await[0].channel, "voice");
    clock.advance(secs(299));
    assert_eq!(
        check(&base, &id, &wrong(&sms.code)).await,
        StatusCode::BAD_REQUEST
    );
    clock.advance(secs(1));
    assert_eq!(check(&base, &id, &sms.code).await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deliveries_of_several_requests_noticed_late_are_in_time_order() {
    let (emulator, clock, base) = serve_manual().await;
    v2_start(&base, &with_timeout(&["sms", "voice"], 200)).await;
    let other = json!({"brand": "B", "channel_timeout": 100, "workflow": [
        {"channel": "sms", "to": "15555550100"}, {"channel": "voice", "to": "15555550100"},
    ]});
    v2_start(&base, &other).await;
    clock.advance(secs(500));
    let to: Vec<String> = emulator.messages().into_iter().map(|m| m.to).collect();
    assert_eq!(
        to,
        [
            "+447400123123",
            "+15555550100",
            "+15555550100",
            "+447400123123"
        ],
        "newest first: the 200 s call after the 100 s one"
    );
}
