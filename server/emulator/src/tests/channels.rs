//! Verify v2 WhatsApp and RCS over raw HTTP: validation, deliveries in the outbox, moving on
//! after a timeout, and the fallback when the number cannot be reached (by configuration and
//! by `/dev/reachability`).

use super::support::*;
use crate::{DeliveryCause, EmulatorConfig, OutboxMessage};
use app_clock::{Clock, ManualClock};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// A WhatsApp Business number for `from`.
const WABA: &str = "447700900100";

fn workflow(steps: Value) -> Value {
    json!({"brand": "Passwordless", "channel_timeout": 60, "workflow": steps})
}

fn channels_and_causes(messages: &[OutboxMessage]) -> Vec<(String, DeliveryCause)> {
    messages
        .iter()
        .rev()
        .map(|m| (m.channel.clone(), m.cause))
        .collect()
}

async fn post_reachability(base: &str, body: &Value) -> (StatusCode, Value) {
    let response = Client::new()
        .post(format!("{base}/dev/reachability"))
        .json(body)
        .send()
        .await
        .expect("POST /dev/reachability");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn whatsapp_needs_from_and_silent_auth_must_come_first() {
    let (emulator, base) = serve().await;
    for (steps, name) in [
        (
            json!([{"channel": "whatsapp", "to": TO}]),
            "workflow[0].from",
        ),
        (
            json!([{"channel": "sms", "to": TO}, {"channel": "whatsapp", "to": TO, "from": ""}]),
            "workflow[1].from",
        ),
        (
            json!([{"channel": "sms", "to": TO}, {"channel": "silent_auth", "to": TO}]),
            "workflow[1].channel",
        ),
        (
            json!([{"channel": "email", "to": "a@b.c"}]),
            "workflow[0].channel",
        ),
        (
            json!([{"channel": "rcs", "to": TO, "from": 7}]),
            "workflow[0].from",
        ),
        (
            json!([{"channel": "silent_auth", "to": TO, "redirect_url": "not a url"}]),
            "workflow[0].redirect_url",
        ),
        (
            json!([{"channel": "silent_auth", "to": TO, "sandbox": "yes"}]),
            "workflow[0].sandbox",
        ),
    ] {
        let (status, content_type, reply) =
            v2_post(&base, "/v2/verify", AUTH, &workflow(steps)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert_problem(&content_type, &reply, "Invalid params");
        assert_eq!(reply["invalid_parameters"][0]["name"], name, "{reply}");
    }
    assert!(emulator.messages().is_empty(), "nothing sent");
}

#[tokio::test]
async fn whatsapp_then_rcs_are_delivered_in_the_language_asked_and_move_on_by_themselves() {
    let clock = ManualClock::new();
    let (emulator, base) = serve_with(Arc::new(clock.clone())).await;
    let mut body = workflow(json!([
        {"channel": "whatsapp", "to": TO, "from": WABA},
        {"channel": "rcs", "to": TO},
    ]));
    body["locale"] = json!("fr-fr");
    let id = v2_start(&base, &body).await;
    let whatsapp = outbox(&base).await[0].clone();
    assert_eq!(
        (whatsapp.channel.as_str(), whatsapp.cause),
        ("whatsapp", DeliveryCause::Start)
    );
    assert_eq!(
        whatsapp.text,
        format!(
            "Votre code Passwordless est {}. Il expire dans 2 minutes.",
            whatsapp.code
        )
    );
    clock.advance(Duration::from_secs(60));
    let rcs = emulator.messages()[0].clone();
    assert_eq!(
        (rcs.channel.as_str(), rcs.cause),
        ("rcs", DeliveryCause::Auto)
    );
    assert_eq!(
        (rcs.code.as_str(), rcs.request_id.as_str()),
        (whatsapp.code.as_str(), id.as_str())
    );
    assert_eq!(
        rcs.text,
        format!(
            "Votre code Passwordless est {}. Il expire dans 1 minute.",
            rcs.code
        )
    );
    let (status, ..) = v2_post(
        &base,
        &format!("/v2/verify/{id}"),
        AUTH,
        &json!({"code": rcs.code}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_number_configured_without_rcs_gets_the_next_channel_at_once() {
    let config = EmulatorConfig {
        no_rcs: vec!["+447400123123".to_owned()],
        no_whatsapp: vec!["15555550100".to_owned()],
        ..EmulatorConfig::default()
    };
    let clock = ManualClock::new();
    let (emulator, base) = serve_config(config, Arc::new(clock.clone())).await;
    let t0 = clock.now();
    v2_start(
        &base,
        &workflow(json!([{"channel": "rcs", "to": TO}, {"channel": "sms", "to": TO}])),
    )
    .await;
    let messages = emulator.messages();
    assert_eq!(
        channels_and_causes(&messages),
        [("sms".to_owned(), DeliveryCause::Fallback)]
    );
    assert_eq!(messages[0].sent_at, crate::outbox::rfc3339(t0));

    let other = "15555550100";
    let steps = json!([
        {"channel": "sms", "to": other},
        {"channel": "whatsapp", "to": other, "from": WABA},
        {"channel": "voice", "to": other},
    ]);
    let id = v2_start(&base, &workflow(steps)).await;
    let (status, ..) = next_workflow(&base, &id, true).await;
    assert_eq!(status, StatusCode::OK);
    let mine: Vec<OutboxMessage> = emulator
        .messages()
        .into_iter()
        .filter(|m| m.request_id == id)
        .collect();
    assert_eq!(
        channels_and_causes(&mine),
        [
            ("sms".to_owned(), DeliveryCause::Start),
            ("voice".to_owned(), DeliveryCause::Fallback),
        ],
        "not on WhatsApp: straight to the call"
    );
}

#[tokio::test]
async fn the_reachability_switch_makes_rcs_fall_back_and_resets() {
    let (emulator, base) = serve().await;
    let (status, state) = post_reachability(&base, &json!({"number": TO, "rcs": false})).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["numbers"]["+447400123123"], json!({"rcs": false}));
    assert_eq!(
        state["default"],
        json!({"rcs": true, "whatsapp": true, "silent_auth": true})
    );
    let rcs_then_voice =
        workflow(json!([{"channel": "rcs", "to": TO}, {"channel": "voice", "to": TO}]));
    let id = v2_start(&base, &rcs_then_voice).await;
    assert_eq!(
        channels_and_causes(&emulator.messages()),
        [("voice".to_owned(), DeliveryCause::Fallback)]
    );
    assert_eq!(v2_cancel(&base, &id).await, StatusCode::NO_CONTENT);

    let reset = Client::new()
        .delete(format!("{base}/dev/reachability"))
        .send()
        .await
        .expect("DELETE");
    let reset: Value = reset.json().await.expect("JSON");
    assert_eq!(reset["numbers"], json!({}));
    let (status, _) = post_reachability(&base, &json!({"rcs": false})).await;
    assert_eq!(status, StatusCode::OK, "a default for every number");
    let other = workflow(
        json!([{"channel": "rcs", "to": "15555550101"}, {"channel": "sms", "to": "15555550101"}]),
    );
    v2_start(&base, &other).await;
    assert_eq!(emulator.messages()[0].channel, "sms");

    for bad in [
        json!({}),
        json!({"number": "12", "rcs": false}),
        json!({"rcs": "no"}),
    ] {
        let (status, reply) = post_reachability(&base, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad} → {reply}");
    }
}

#[tokio::test]
async fn an_only_step_that_cannot_reach_the_number_ends_the_request() {
    let (emulator, base) = serve().await;
    post_reachability(&base, &json!({"number": TO, "whatsapp": false})).await;
    let id = v2_start(
        &base,
        &workflow(json!([{"channel": "whatsapp", "to": TO, "from": WABA}])),
    )
    .await;
    assert!(emulator.messages().is_empty());
    let (status, ..) = v2_post(
        &base,
        &format!("/v2/verify/{id}"),
        AUTH,
        &json!({"code": "1234"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the request failed");
    v2_start(&base, &workflow_body(TO)).await;
}
