//! The emulator's wire contract checked with raw HTTP: status codes, problem bodies, v1
//! status strings, credentials and validation.

use super::{Emulator, EmulatorConfig};
use app_core::clock::{Clock, ManualClock, SystemClock};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

const TO: &str = "447400123123";

async fn serve() -> (Emulator, String) {
    serve_with(Arc::new(SystemClock)).await
}

async fn serve_with(clock: Arc<dyn Clock>) -> (Emulator, String) {
    let emulator = Emulator::new(EmulatorConfig::default(), clock);
    let addr = emulator
        .serve(([127, 0, 0, 1], 0).into(), |dev| dev)
        .await
        .expect("bind the emulator");
    (emulator, format!("http://{addr}"))
}

fn workflow_body(to: &str) -> Value {
    json!({"brand": "Passwordless", "workflow": [{"channel": "sms", "to": to}]})
}

/// POSTs JSON to a v2 path with Basic `key:secret`; returns status, content type and body.
async fn v2_post(
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
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, content_type, body)
}

async fn v1_post(base: &str, path: &str, form: &[(&str, &str)]) -> Value {
    let response = Client::new()
        .post(format!("{base}{path}"))
        .form(form)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK, "v1 always answers 200");
    response.json().await.expect("JSON body")
}

fn assert_problem(content_type: &str, body: &Value, title: &str) {
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(body["title"], title, "{body}");
    for field in ["type", "detail", "instance"] {
        assert!(
            body[field].as_str().is_some_and(|s| !s.is_empty()),
            "{field} in {body}"
        );
    }
}

#[tokio::test]
async fn v2_needs_non_empty_credentials() {
    let (_, base) = serve().await;
    let (status, content_type, body) = v2_post(&base, "/v2/verify", None, &workflow_body(TO)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_problem(&content_type, &body, "Unauthorized");
    let (status, ..) = v2_post(&base, "/v2/verify", Some(("key", "")), &workflow_body(TO)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let bearer = Client::new()
        .post(format!("{base}/v2/verify"))
        .bearer_auth("any.jwt.token")
        .json(&workflow_body(TO))
        .send()
        .await
        .expect("request");
    assert_eq!(bearer.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn v2_start_validates_the_body() {
    let (emulator, base) = serve().await;
    let auth = Some(("key", "secret"));
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
    let auth = Some(("key", "secret"));
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
    let auth = Some(("key", "secret"));
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
                .basic_auth("k", Some("s"))
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
async fn v1_checks_credentials_and_parameters() {
    let (emulator, base) = serve().await;
    let start = |form: Vec<(&'static str, &'static str)>| {
        let base = base.clone();
        async move { v1_post(&base, "/verify/json", &form).await["status"].clone() }
    };
    let creds = [("api_key", "k"), ("api_secret", "s")];
    let with = |extra: &[(&'static str, &'static str)]| [&creds[..], extra].concat();
    assert_eq!(
        start(vec![("api_secret", "s"), ("number", TO), ("brand", "B")]).await,
        "2"
    );
    assert_eq!(
        start(vec![
            ("api_key", ""),
            ("api_secret", "s"),
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
        "{base}/verify/json?api_key=k&api_secret=s&number={TO}&brand=B&code_length=6"
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
        ("api_key", "k"),
        ("api_secret", "s"),
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
        &[("api_key", "k"), ("api_secret", "s")],
    )
    .await;
    assert_eq!(missing["status"], "2");
}

/// Starts a v2 request for `TO` with an SMS then a voice step; returns its id.
async fn v2_start_sms_then_voice(base: &str) -> String {
    let body = json!({"brand": "Passwordless", "workflow": [
        {"channel": "sms", "to": TO}, {"channel": "voice", "to": TO},
    ]});
    let (status, _, started) = v2_post(base, "/v2/verify", Some(("k", "s")), &body).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    started["request_id"]
        .as_str()
        .expect("request_id")
        .to_owned()
}

/// POSTs to `next_workflow` with no body; returns status, content type and raw body.
async fn next_workflow(base: &str, id: &str, auth: bool) -> (StatusCode, String, String) {
    let mut request = Client::new().post(format!("{base}/v2/verify/{id}/next_workflow"));
    if auth {
        request = request.basic_auth("k", Some("s"));
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, response.text().await.expect("body"))
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
    let (status, ..) = v2_post(&base, &path, Some(("k", "s")), &json!({"code": code})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, ..) = next_workflow(&base, &id, true).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "verified");
}

#[tokio::test]
async fn v2_cancel_frees_the_number() {
    let (_, base) = serve().await;
    let id = v2_start_sms_then_voice(&base).await;
    let deleted = Client::new()
        .delete(format!("{base}/v2/verify/{id}"))
        .basic_auth("k", Some("s"))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let again = v2_start_sms_then_voice(&base).await;
    assert_ne!(again, id, "a new request, not a 409");
}

/// The `/verify/control/json` reply for `cmd` on `id`, with credentials.
async fn control(base: &str, id: &str, cmd: &str) -> Value {
    let form = [
        ("api_key", "k"),
        ("api_secret", "s"),
        ("request_id", id),
        ("cmd", cmd),
    ];
    v1_post(base, "/verify/control/json", &form).await
}

async fn v1_start(base: &str) -> String {
    let form = [
        ("api_key", "k"),
        ("api_secret", "s"),
        ("number", TO),
        ("brand", "B"),
    ];
    let started = v1_post(base, "/verify/json", &form).await;
    assert_eq!(started["status"], "0", "{started}");
    started["request_id"]
        .as_str()
        .expect("request_id")
        .to_owned()
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
        ("api_key", "k"),
        ("api_secret", "s"),
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
            ("api_key", "k"),
            ("api_secret", "s"),
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
            ("api_key", "k".to_owned()),
            ("api_secret", "s".to_owned()),
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
        "{base}/verify/control/json?api_key=k&api_secret=s&request_id={id}&cmd=trigger_next_event"
    ))
    .await
    .expect("GET")
    .json()
    .await
    .expect("JSON");
    assert_eq!(by_get["status"], "0");
}
