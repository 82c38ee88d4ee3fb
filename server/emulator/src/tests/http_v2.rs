//! Verify v2 over raw HTTP: validation, problem bodies, conflicts, next_workflow, cancel.

use super::support::*;
use crate::EmulatorConfig;
use app_clock::SystemClock;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn v2_start_validates_the_body() {
    let (emulator, base) = serve().await;
    let auth = AUTH;
    for body in [
        json!("not an object"),
        json!({"brand": "Passwordless"}),
        json!({"brand": "Passwordless", "workflow": []}),
        workflow_body("+447400123123"),
        workflow_body("12"),
        json!({"brand": "", "workflow": [{"channel": "sms", "to": TO}]}),
        json!({"brand": "Seventeen chars!!", "workflow": [{"channel": "sms", "to": TO}]}),
        json!({"brand": "B", "code_length": 3, "workflow": [{"channel": "sms", "to": TO}]}),
        json!({"brand": "B", "code_length": 11, "workflow": [{"channel": "sms", "to": TO}]}),
        json!({"brand": "B", "workflow": [{"channel": "email", "to": "a@b.c"}]}),
        json!({"brand": "B", "channel_timeout": 14, "workflow": [{"channel": "sms", "to": TO}]}),
        json!({"brand": "B", "channel_timeout": 901, "workflow": [{"channel": "sms", "to": TO}]}),
        json!({"brand": "B", "channel_timeout": "60", "workflow": [{"channel": "sms", "to": TO}]}),
    ] {
        let (status, content_type, reply) = v2_post(&base, "/v2/verify", auth, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&content_type, &reply, "Invalid params");
        assert!(reply["invalid_parameters"]
            .as_array()
            .is_some_and(|l| !l.is_empty()));
    }
    assert!(
        emulator.messages().is_empty(),
        "nothing sent for invalid starts"
    );
}

#[tokio::test]
async fn v2_start_honours_code_length_and_reports_conflicts() {
    let (emulator, base) = serve().await;
    let auth = AUTH;
    let (status, _, first) = v2_post(&base, "/v2/verify", auth, &workflow_body(TO)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(emulator.messages()[0].code.len(), 4, "v2 default length");

    let (status, content_type, conflict) =
        v2_post(&base, "/v2/verify", auth, &workflow_body(TO)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_problem(&content_type, &conflict, "Conflict");
    assert_eq!(conflict["request_id"], first["request_id"]);

    let ten = json!({"brand": "B", "code_length": 10, "workflow": [{"channel": "voice", "to": "15555550100"}]});
    let (status, ..) = v2_post(&base, "/v2/verify", auth, &ten).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let newest = &emulator.messages()[0];
    assert_eq!((newest.code.len(), newest.channel.as_str()), (10, "voice"));
}

#[tokio::test]
async fn v2_check_and_cancel_answer_with_problems() {
    let (emulator, base) = serve().await;
    let auth = AUTH;
    let (_, _, started) = v2_post(&base, "/v2/verify", auth, &workflow_body(TO)).await;
    let id = started["request_id"]
        .as_str()
        .expect("request_id")
        .to_owned();
    let path = format!("/v2/verify/{id}");

    let (status, content_type, reply) = v2_post(&base, &path, auth, &json!({"code": "12"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&content_type, &reply, "Invalid params");

    let wrong = if emulator.messages()[0].code == "0000" {
        "1111"
    } else {
        "0000"
    };
    let (status, content_type, reply) = v2_post(&base, &path, auth, &json!({"code": wrong})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_problem(&content_type, &reply, "Invalid Code");

    let cancel = |id: String| {
        let url = format!("{base}/v2/verify/{id}");
        async move {
            Client::new()
                .delete(url)
                .basic_auth(KEY, Some(SECRET))
                .send()
                .await
                .expect("DELETE")
                .status()
        }
    };
    assert_eq!(cancel(id.clone()).await, StatusCode::NO_CONTENT);
    assert_eq!(cancel(id.clone()).await, StatusCode::NOT_FOUND);
    let code = emulator.messages()[0].code.clone();
    let (status, content_type, reply) = v2_post(&base, &path, auth, &json!({"code": code})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_problem(&content_type, &reply, "Not Found");
}

#[tokio::test]
async fn v2_next_workflow_sends_by_voice_then_answers_409() {
    let (emulator, base) = serve().await;
    let id = v2_start_sms_then_voice(&base).await;
    let code = emulator.messages()[0].code.clone();

    let (status, _, body) = next_workflow(&base, &id, false).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    let (status, _, body) = next_workflow(&base, &id, true).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, ""));
    let voice = &emulator.messages()[0];
    assert_eq!(
        (
            voice.channel.as_str(),
            voice.to.as_str(),
            voice.code.as_str()
        ),
        ("voice", "+447400123123", code.as_str())
    );

    let (status, content_type, body) = next_workflow(&base, &id, true).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let problem: Value = serde_json::from_str(&body).expect("problem JSON");
    assert_problem(&content_type, &problem, "Conflict");
    assert_eq!(
        problem["detail"],
        "There are no more events left to trigger."
    );
    assert_eq!(emulator.messages().len(), 2);
}

#[tokio::test]
async fn v2_next_workflow_of_a_request_that_is_not_live_is_404() {
    let (emulator, base) = serve().await;
    let (status, content_type, body) = next_workflow(&base, "unknown-id", true).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let problem: Value = serde_json::from_str(&body).expect("problem JSON");
    assert_problem(&content_type, &problem, "Not Found");

    let id = v2_start_sms_then_voice(&base).await;
    let code = emulator.messages()[0].code.clone();
    let path = format!("/v2/verify/{id}");
    let (status, ..) = v2_post(&base, &path, AUTH, &json!({"code": code})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, ..) = next_workflow(&base, &id, true).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "verified");
}

#[tokio::test]
async fn v2_cancel_answers_409_with_the_old_id_while_settling_then_frees_the_number() {
    let (emulator, clock, base) = serve_manual().await;
    let id = v2_start_sms_then_voice(&base).await;
    assert_eq!(v2_cancel(&base, &id).await, StatusCode::NO_CONTENT);
    let body = sms_then_voice(TO);
    let (status, content_type, conflict) = v2_post(&base, "/v2/verify", AUTH, &body).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_problem(&content_type, &conflict, "Conflict");
    assert_eq!(
        conflict["request_id"],
        id.as_str(),
        "the cancelled request's id"
    );
    let path = format!("/v2/verify/{id}");
    let (status, ..) = v2_post(&base, &path, AUTH, &json!({"code": "1234"})).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the cancelled request is gone"
    );

    clock.advance(Duration::from_millis(4_999));
    let (status, ..) = v2_post(&base, "/v2/verify", AUTH, &body).await;
    assert_eq!(status, StatusCode::CONFLICT, "still settling");
    clock.advance(Duration::from_millis(1));
    let again = v2_start_sms_then_voice(&base).await;
    assert_ne!(again, id, "a new request after `cancel_settle`");
    assert_eq!(emulator.messages().len(), 2, "nothing sent for the 409s");
}

#[tokio::test]
async fn a_zero_cancel_settle_frees_the_number_at_once() {
    let config = EmulatorConfig {
        cancel_settle: Duration::ZERO,
        ..EmulatorConfig::default()
    };
    let (_, base) = serve_config(config, Arc::new(SystemClock)).await;
    let id = v2_start_sms_then_voice(&base).await;
    assert_eq!(v2_cancel(&base, &id).await, StatusCode::NO_CONTENT);
    let again = v2_start_sms_then_voice(&base).await;
    assert_ne!(again, id, "a new request, not a 409");
}
