//! Verify v1 over raw HTTP: parameters, status strings, GET and POST, the control commands.

use super::support::*;
use app_clock::ManualClock;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn v1_checks_credentials_and_parameters() {
    let (emulator, base) = serve().await;
    let start = |form: Vec<(&'static str, &'static str)>| {
        let base = base.clone();
        async move { v1_post(&base, "/verify/json", &form).await["status"].clone() }
    };
    let creds = [("api_key", KEY), ("api_secret", SECRET)];
    let with = |extra: &[(&'static str, &'static str)]| [&creds[..], extra].concat();
    assert_eq!(
        start(vec![("api_secret", SECRET), ("number", TO), ("brand", "B")]).await,
        "2"
    );
    assert_eq!(
        start(vec![
            ("api_key", ""),
            ("api_secret", SECRET),
            ("number", TO),
            ("brand", "B")
        ])
        .await,
        "4"
    );
    assert_eq!(start(with(&[("brand", "B")])).await, "2");
    assert_eq!(start(with(&[("number", TO)])).await, "2");
    assert_eq!(
        start(with(&[("number", "07400 123123"), ("brand", "B")])).await,
        "3"
    );
    assert_eq!(
        start(with(&[("number", TO), ("brand", "Nineteen characters")])).await,
        "3"
    );
    assert_eq!(
        start(with(&[
            ("number", TO),
            ("brand", "B"),
            ("code_length", "5")
        ]))
        .await,
        "3"
    );
    assert!(emulator.messages().is_empty());
    assert_eq!(start(with(&[("number", TO), ("brand", "B")])).await, "0");
    assert_eq!(emulator.messages()[0].code.len(), 4, "v1 default length");
    assert_eq!(start(with(&[("number", TO), ("brand", "B")])).await, "10");
}

#[tokio::test]
async fn v1_accepts_get_with_a_query_string_and_returns_billing_fields() {
    let (emulator, base) = serve().await;
    let started: Value = reqwest::get(format!(
        "{base}/verify/json?api_key={KEY}&api_secret={SECRET}&number={TO}&brand=B&code_length=6"
    ))
    .await
    .expect("GET")
    .json()
    .await
    .expect("JSON");
    assert_eq!(started["status"], "0");
    let id = started["request_id"].as_str().expect("request_id");
    assert!(
        id.len() == 32
            && id
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );

    let code = emulator.messages()[0].code.clone();
    let form = [
        ("api_key", KEY),
        ("api_secret", SECRET),
        ("request_id", id),
        ("code", &code),
    ];
    let checked = v1_post(&base, "/verify/check/json", &form).await;
    assert_eq!(checked["status"], "0");
    assert_eq!(checked["request_id"], id);
    assert_eq!(
        (checked["price"].as_str(), checked["currency"].as_str()),
        (Some("0.10000000"), Some("EUR"))
    );
    assert!(checked["event_id"].as_str().is_some_and(|e| !e.is_empty()));

    let again = v1_post(&base, "/verify/check/json", &form).await;
    assert_eq!(again["status"], "6");
    let missing = v1_post(
        &base,
        "/verify/check/json",
        &[("api_key", KEY), ("api_secret", SECRET)],
    )
    .await;
    assert_eq!(missing["status"], "2");
}

#[tokio::test]
async fn v1_trigger_next_event_runs_sms_voice_voice() {
    let (emulator, base) = serve().await;
    let id = v1_start(&base).await;
    let code = emulator.messages()[0].code.clone();
    for _ in 0..2 {
        let reply = control(&base, &id, "trigger_next_event").await;
        assert_eq!(
            reply,
            json!({"status": "0", "command": "trigger_next_event"})
        );
        let newest = &emulator.messages()[0];
        assert_eq!(
            (newest.channel.as_str(), newest.code.as_str()),
            ("voice", code.as_str())
        );
    }
    let reply = control(&base, &id, "trigger_next_event").await;
    assert_eq!(reply["status"], "19");
    assert_eq!(
        reply["error_text"],
        format!("No more events are left to execute for the request ['{id}']")
    );
    let channels: Vec<String> = emulator.messages().into_iter().map(|m| m.channel).collect();
    assert_eq!(channels, ["voice", "voice", "sms"], "newest first");
}

#[tokio::test]
async fn v1_control_follows_the_preset_workflow() {
    let (emulator, base) = serve().await;
    let form = [
        ("api_key", KEY),
        ("api_secret", SECRET),
        ("number", TO),
        ("brand", "B"),
        ("workflow_id", "6"),
    ];
    let started = v1_post(&base, "/verify/json", &form).await;
    let id = started["request_id"].as_str().expect("request_id");
    assert_eq!(
        control(&base, id, "trigger_next_event").await["status"],
        "19"
    );
    assert_eq!(emulator.messages().len(), 1, "SMS only");
    for bad in ["0", "8", "x"] {
        let form = [
            ("api_key", KEY),
            ("api_secret", SECRET),
            ("number", "15555550100"),
            ("brand", "B"),
            ("workflow_id", bad),
        ];
        assert_eq!(
            v1_post(&base, "/verify/json", &form).await["status"],
            "3",
            "{bad}"
        );
    }
}

#[tokio::test]
async fn v1_cancel_follows_the_30_second_and_second_event_rules() {
    let clock = ManualClock::new();
    let (_, base) = serve_with(Arc::new(clock.clone())).await;
    let id = v1_start(&base).await;

    let reply = control(&base, &id, "cancel").await;
    assert_eq!(reply["status"], "19");
    assert_eq!(
        reply["error_text"],
        format!("Verification request ['{id}'] can't be cancelled within the first 30 seconds.")
    );
    clock.advance(Duration::from_secs(30));
    assert_eq!(
        control(&base, &id, "cancel").await,
        json!({"status": "0", "command": "cancel"})
    );
    assert_eq!(control(&base, &id, "cancel").await["status"], "6");
    let again = v1_start(&base).await;
    assert_ne!(again, id, "the number is free");

    clock.advance(Duration::from_secs(30));
    assert_eq!(
        control(&base, &again, "trigger_next_event").await["status"],
        "0"
    );
    let reply = control(&base, &again, "cancel").await;
    assert_eq!(reply["status"], "19");
    assert_eq!(
        reply["error_text"],
        format!(
            "Verification request ['{again}'] can't be cancelled now. Too many attempts to \
             re-deliver have already been made."
        )
    );
}

#[tokio::test]
async fn v1_control_checks_credentials_and_parameters() {
    let (_, base) = serve().await;
    let id = v1_start(&base).await;
    let post = |form: Vec<(&'static str, String)>| {
        let base = base.clone();
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            v1_post(&base, "/verify/control/json", &form).await
        }
    };
    let full = |cmd: &str| {
        vec![
            ("api_key", KEY.to_owned()),
            ("api_secret", SECRET.to_owned()),
            ("request_id", id.clone()),
            ("cmd", cmd.to_owned()),
        ]
    };
    let without = |name: &str| {
        let mut form = full("cancel");
        form.retain(|(k, _)| *k != name);
        form
    };
    for name in ["api_key", "api_secret", "request_id", "cmd"] {
        assert_eq!(post(without(name)).await["status"], "2", "without {name}");
    }
    let mut empty_key = full("cancel");
    empty_key[0].1 = String::new();
    assert_eq!(post(empty_key).await["status"], "4");
    assert_eq!(post(full("resend")).await["status"], "3");
    let mut long_id = full("cancel");
    long_id[2].1 = "a".repeat(33);
    assert_eq!(post(long_id).await["status"], "3");

    let unknown = "0123456789abcdef0123456789abcdef";
    for cmd in ["cancel", "trigger_next_event"] {
        let reply = control(&base, unknown, cmd).await;
        assert_eq!(reply["status"], "6", "{cmd}");
        assert_eq!(
            reply["error_text"],
            format!("The requestId '{unknown}' does not exist or its no longer active.")
        );
    }

    let by_get: Value = reqwest::get(format!(
        "{base}/verify/control/json?api_key={KEY}&api_secret={SECRET}&request_id={id}&cmd=trigger_next_event"
    ))
    .await
    .expect("GET")
    .json()
    .await
    .expect("JSON");
    assert_eq!(by_get["status"], "0");
}
