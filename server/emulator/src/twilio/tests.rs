//! The Twilio routes' wire contract over loopback HTTP, with an injected clock.

use crate::{Emulator, EmulatorConfig};
use app_clock::ManualClock;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

const TO: &str = "+447400123123";
const SERVICE: &str = "VA0123456789abcdef0123456789abcdef";

async fn serve() -> (Emulator, ManualClock, String) {
    let clock = ManualClock::new();
    let emulator = Emulator::new(EmulatorConfig::default(), Arc::new(clock.clone()));
    let addr = emulator
        .serve(([127, 0, 0, 1], 0).into(), |dev| dev)
        .await
        .expect("bind the emulator");
    let base = format!("http://{addr}/v2/Services/{SERVICE}");
    (emulator, clock, base)
}

/// POSTs a form with Basic `AC…:token` (or `auth`); answers status and JSON body.
async fn post(url: &str, auth: Option<(&str, &str)>, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut request = Client::new().post(url).form(form);
    if let Some((user, password)) = auth {
        request = request.basic_auth(user, Some(password));
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

const AUTH: Option<(&str, &str)> = Some(("ACemulator", "token"));

async fn start(base: &str, channel: &str) -> (StatusCode, Value) {
    let form = [("To", TO), ("Channel", channel), ("Locale", "en-GB")];
    post(&format!("{base}/Verifications"), AUTH, &form).await
}

async fn check(base: &str, sid: &str, code: &str) -> (StatusCode, Value) {
    let form = [("VerificationSid", sid), ("Code", code)];
    post(&format!("{base}/VerificationCheck"), AUTH, &form).await
}

fn assert_error(reply: &(StatusCode, Value), status: u16, code: u64) {
    assert_eq!(reply.0.as_u16(), status, "{}", reply.1);
    assert_eq!(reply.1["code"], code, "{}", reply.1);
    assert_eq!(reply.1["status"], status, "{}", reply.1);
    assert!(reply.1["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(reply.1["more_info"]
        .as_str()
        .is_some_and(|m| m.ends_with(&code.to_string())));
}

fn wrong(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

#[tokio::test]
async fn start_answers_201_with_the_verification_and_sends_the_code() {
    let (emulator, _, base) = serve().await;
    let (status, body) = start(&base, "sms").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let sid = body["sid"].as_str().expect("sid");
    assert!(sid.starts_with("VE") && sid.len() == 34, "{sid}");
    assert_eq!(body["service_sid"], SERVICE);
    assert_eq!(body["account_sid"], "ACemulator");
    assert_eq!(
        (body["to"].as_str(), body["channel"].as_str()),
        (Some(TO), Some("sms"))
    );
    assert_eq!(
        (body["status"].as_str(), body["valid"].as_bool()),
        (Some("pending"), Some(false))
    );
    assert_eq!(body["send_code_attempts"].as_array().map(Vec::len), Some(1));
    assert_eq!(emulator.messages()[0].to, TO);
}

#[tokio::test]
async fn whatsapp_is_delivered_to_the_outbox_and_checks_like_sms() {
    let (emulator, _, base) = serve().await;
    let (status, body) = start(&base, "whatsapp").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["channel"], "whatsapp");
    assert_eq!(body["send_code_attempts"][0]["channel"], "whatsapp");
    let message = emulator.messages()[0].clone();
    assert_eq!(
        (message.channel.as_str(), message.to.as_str()),
        ("whatsapp", TO)
    );
    assert!(message.text.contains(&message.code), "{}", message.text);
    let sid = body["sid"].as_str().expect("sid");
    let (status, checked) = check(&base, sid, &message.code).await;
    assert_eq!(
        (status, checked["status"].as_str()),
        (StatusCode::OK, Some("approved"))
    );
}

#[tokio::test]
async fn a_second_start_reuses_the_sid_and_code_until_the_sixth_send() {
    let (emulator, _, base) = serve().await;
    let (_, first) = start(&base, "sms").await;
    let code = emulator.messages()[0].code.clone();
    for sends in 2..=5 {
        let (status, again) = start(&base, "call").await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(again["sid"], first["sid"]);
        assert_eq!(again["channel"], "call");
        assert_eq!(
            again["send_code_attempts"].as_array().map(Vec::len),
            Some(sends)
        );
        let newest = &emulator.messages()[0];
        assert_eq!(
            (newest.channel.as_str(), newest.code.as_str()),
            ("voice", code.as_str())
        );
    }
    assert_error(&start(&base, "sms").await, 429, 60203);
    assert_eq!(emulator.messages().len(), 5);
}

#[tokio::test]
async fn check_approves_the_right_code_once() {
    let (emulator, _, base) = serve().await;
    let (_, started) = start(&base, "sms").await;
    let sid = started["sid"].as_str().expect("sid");
    let code = emulator.messages()[0].code.clone();
    let (status, wrong_reply) = check(&base, sid, wrong(&code)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            wrong_reply["status"].as_str(),
            wrong_reply["valid"].as_bool()
        ),
        (Some("pending"), Some(false))
    );
    let form = [("To", TO), ("Code", code.as_str())];
    let (status, right) = post(&format!("{base}/VerificationCheck"), AUTH, &form).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (right["status"].as_str(), right["valid"].as_bool()),
        (Some("approved"), Some(true))
    );
    assert_error(&check(&base, sid, &code).await, 404, 20404);
}

#[tokio::test]
async fn five_wrong_checks_end_it_with_60202() {
    let (emulator, _, base) = serve().await;
    let (_, started) = start(&base, "sms").await;
    let sid = started["sid"].as_str().expect("sid");
    let code = emulator.messages()[0].code.clone();
    for _ in 0..5 {
        assert_eq!(check(&base, sid, wrong(&code)).await.0, StatusCode::OK);
    }
    assert_error(&check(&base, sid, &code).await, 429, 60202);
}

#[tokio::test]
async fn cancel_then_gone_and_expiry_after_ten_minutes() {
    let (emulator, clock, base) = serve().await;
    let (_, started) = start(&base, "sms").await;
    let sid = started["sid"].as_str().expect("sid").to_owned();
    let url = format!("{base}/Verifications/{sid}");
    let (status, canceled) = post(&url, AUTH, &[("Status", "canceled")]).await;
    assert_eq!(
        (status, canceled["status"].as_str()),
        (StatusCode::OK, Some("canceled"))
    );
    assert_error(
        &post(&url, AUTH, &[("Status", "canceled")]).await,
        404,
        20404,
    );

    let (_, again) = start(&base, "sms").await;
    let sid = again["sid"].as_str().expect("sid");
    assert_ne!(sid, started["sid"].as_str().expect("sid"));
    let code = emulator.messages()[0].code.clone();
    clock.advance(Duration::from_secs(600));
    assert_error(&check(&base, sid, &code).await, 404, 20404);
}

#[tokio::test]
async fn bad_parameters_and_credentials_are_refused() {
    let (emulator, _, base) = serve().await;
    let url = format!("{base}/Verifications");
    for (form, _name) in [
        (vec![("To", "447400123123"), ("Channel", "sms")], "To"),
        (vec![("To", "+12"), ("Channel", "sms")], "To"),
        (vec![("To", TO), ("Channel", "email")], "Channel"),
        (
            vec![("To", TO), ("Channel", "sms"), ("Locale", "english!")],
            "Locale",
        ),
    ] {
        assert_error(&post(&url, AUTH, &form).await, 400, 60200);
    }
    let form = [("To", TO), ("Channel", "sms")];
    assert_error(&post(&url, None, &form).await, 401, 20003);
    assert_error(&post(&url, Some(("ACx", "")), &form).await, 401, 20003);
    let check_url = format!("{base}/VerificationCheck");
    assert_error(
        &post(&check_url, AUTH, &[("Code", "123456")]).await,
        400,
        60200,
    );
    let other_service = url.replace(SERVICE, "XX1");
    assert_error(&post(&other_service, AUTH, &form).await, 404, 20404);
    assert!(
        emulator.messages().is_empty(),
        "nothing sent for refused starts"
    );
    let message = post(&url, AUTH, &[("To", "+12"), ("Channel", "sms")])
        .await
        .1;
    assert_eq!(message["message"], "Invalid parameter: To");
}
