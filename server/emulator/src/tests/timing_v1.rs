//! Verify v1 timing over HTTP on a manual clock: preset workflows, `pin_expiry`,
//! `next_event_wait`, automatic events, PIN renewal and `trigger_next_event`.

use super::support::*;
use crate::outbox::rfc3339;
use crate::{DeliveryCause, OutboxMessage};
use app_clock::Clock;
use std::time::{Duration, SystemTime};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// The deliveries to `TO`, oldest first, as `(channel, cause, code)`.
async fn deliveries(base: &str) -> Vec<(String, DeliveryCause, String)> {
    let mut list: Vec<OutboxMessage> = outbox(base).await;
    list.reverse();
    list.into_iter()
        .map(|m| (m.channel, m.cause, m.code))
        .collect()
}

/// Asserts the newest message was stamped `after` past `t0`.
async fn assert_newest_sent_at(base: &str, t0: SystemTime, after: Duration) {
    let newest = outbox(base).await[0].sent_at.clone();
    assert_eq!(newest, rfc3339(t0 + after));
}

#[tokio::test]
async fn workflow_5_calls_once_at_the_wait_with_the_same_pin_then_expires() {
    let (_, clock, base) = serve_manual().await;
    let t0 = clock.now();
    let timing = [
        ("workflow_id", "5"),
        ("pin_expiry", "300"),
        ("next_event_wait", "150"),
    ];
    let id = v1_start_with(&base, &timing).await;
    let sms = outbox(&base).await[0].clone();
    assert_eq!(
        (sms.channel.as_str(), sms.cause),
        ("sms", DeliveryCause::Start)
    );
    assert_eq!(
        (sms.api.as_str(), sms.request_id.as_str()),
        ("v1", id.as_str())
    );

    clock.advance(secs(149));
    assert_eq!(deliveries(&base).await.len(), 1, "nothing before 150 s");
    clock.advance(secs(1));
    let list = deliveries(&base).await;
    let voice = (String::from("voice"), DeliveryCause::Auto, sms.code.clone());
    assert_eq!(list.get(1), Some(&voice), "{list:?}");
    assert_newest_sent_at(&base, t0, secs(150)).await;

    clock.advance(secs(149));
    assert_eq!(
        deliveries(&base).await.len(),
        2,
        "nothing after the last event"
    );
    assert_eq!(
        v1_check(&base, &id, &wrong(&sms.code)).await["status"],
        "16"
    );
    clock.advance(secs(1));
    let expired = v1_check(&base, &id, &sms.code).await;
    assert_eq!(expired["status"], "6", "expired at 300 s: {expired}");
    assert_eq!(deliveries(&base).await.len(), 2);
}

#[tokio::test]
async fn workflow_1_calls_at_125_and_305_the_last_with_a_new_pin_and_budget() {
    let (_, clock, base) = serve_manual().await;
    let t0 = clock.now();
    let id = v1_start_with(&base, &[("code_length", "6")]).await;
    let first = outbox(&base).await[0].code.clone();
    assert_eq!(v1_check(&base, &id, &wrong(&first)).await["status"], "16");
    assert_eq!(v1_check(&base, &id, &wrong(&first)).await["status"], "16");

    clock.advance(secs(125));
    let list = deliveries(&base).await;
    assert_eq!(
        list[1],
        ("voice".to_owned(), DeliveryCause::Auto, first.clone())
    );

    // Noticed late: both calls are stamped with their due times.
    clock.advance(secs(400));
    let list = deliveries(&base).await;
    assert_eq!(list.len(), 3, "{list:?}");
    assert_newest_sent_at(&base, t0, secs(305)).await;
    let renewed = list[2].2.clone();
    assert_eq!(
        (list[2].0.as_str(), list[2].1),
        ("voice", DeliveryCause::Auto)
    );
    assert_ne!(
        renewed, first,
        "the PIN expired at 300 s, the 305 s call has a new one"
    );
    let old = v1_check(&base, &id, &first).await;
    assert_eq!(
        old["status"], "16",
        "old PIN; a 3rd wrong code but a fresh budget"
    );
    assert_eq!(v1_check(&base, &id, &renewed).await["status"], "0");
}

#[tokio::test]
async fn a_new_pin_resets_the_wrong_code_budget() {
    let (_, clock, base) = serve_manual().await;
    let timing = [
        ("workflow_id", "4"),
        ("pin_expiry", "60"),
        ("next_event_wait", "60"),
    ];
    let id = v1_start_with(&base, &[&timing[..], &[("code_length", "6")]].concat()).await;
    let first = outbox(&base).await[0].code.clone();
    assert_eq!(v1_check(&base, &id, &wrong(&first)).await["status"], "16");
    assert_eq!(v1_check(&base, &id, &wrong(&first)).await["status"], "16");
    clock.advance(secs(60));
    let renewed = outbox(&base).await[0].code.clone();
    for _ in 0..2 {
        assert_eq!(v1_check(&base, &id, &wrong(&renewed)).await["status"], "16");
    }
    assert_eq!(v1_check(&base, &id, &wrong(&renewed)).await["status"], "17");
}

#[tokio::test]
async fn trigger_next_event_makes_the_call_now_and_no_automatic_one_follows() {
    let (_, clock, base) = serve_manual().await;
    let t0 = clock.now();
    let timing = [
        ("workflow_id", "5"),
        ("pin_expiry", "300"),
        ("next_event_wait", "150"),
    ];
    let id = v1_start_with(&base, &timing).await;
    clock.advance(secs(40));
    assert_eq!(
        control(&base, &id, "trigger_next_event").await["status"],
        "0"
    );
    let list = deliveries(&base).await;
    assert_eq!(
        (list[1].0.as_str(), list[1].1),
        ("voice", DeliveryCause::Next)
    );
    assert_newest_sent_at(&base, t0, secs(40)).await;
    clock.advance(secs(200));
    assert_eq!(deliveries(&base).await.len(), 2, "no call at 150 s");
    assert_eq!(
        control(&base, &id, "trigger_next_event").await["status"],
        "19"
    );
}

#[tokio::test]
async fn trigger_next_event_after_the_pin_expired_sends_a_new_one() {
    let (_, clock, base) = serve_manual().await;
    let timing = [
        ("workflow_id", "5"),
        ("pin_expiry", "60"),
        ("code_length", "6"),
    ];
    let id = v1_start_with(&base, &timing).await;
    let first = outbox(&base).await[0].code.clone();
    clock.advance(secs(70));
    assert_eq!(
        deliveries(&base).await.len(),
        1,
        "workflow 5 waits 120 s by default"
    );
    assert_eq!(
        v1_check(&base, &id, &first).await["status"],
        "16",
        "expired PIN"
    );
    assert_eq!(
        control(&base, &id, "trigger_next_event").await["status"],
        "0"
    );
    let call = outbox(&base).await[0].clone();
    assert_eq!(
        (call.channel.as_str(), call.cause),
        ("voice", DeliveryCause::Next)
    );
    assert_ne!(call.code, first, "a new PIN");
    assert_eq!(v1_check(&base, &id, &call.code).await["status"], "0");
}

#[tokio::test]
async fn timing_parameters_are_validated() {
    let (emulator, _clock, base) = serve_manual().await;
    for (name, value) in [
        ("workflow_id", "8"),
        ("pin_expiry", "59"),
        ("pin_expiry", "3601"),
        ("next_event_wait", "59"),
        ("next_event_wait", "901"),
        ("next_event_wait", "soon"),
    ] {
        let form = [("number", TO), ("brand", "B"), (name, value)];
        let reply = v1_call(&base, "/verify/json", &form).await;
        assert_eq!(reply["status"], "3", "{name}={value}");
        assert_eq!(
            reply["error_text"],
            format!("Invalid value for parameter {name}")
        );
    }
    assert!(emulator.messages().is_empty());
}
