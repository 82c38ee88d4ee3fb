//! v2 with a Vonage application's JWT over HTTP: the configured application passes, a bad
//! token answers 401 problem JSON, and key and secret keep working alongside.

use super::support::*;
use crate::auth::tests::{sign, APP_ID, APP_PRIVATE, APP_PUBLIC, OTHER_PRIVATE};
use crate::{ApplicationAuth, EmulatorConfig, PublicKey};
use app_clock::{unix_seconds, SystemClock};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;

fn config(verify_signatures: bool) -> EmulatorConfig {
    let public_key = PublicKey::from_pem(APP_PUBLIC.as_bytes()).expect("test key");
    EmulatorConfig {
        application: Some(ApplicationAuth {
            application_id: APP_ID.to_owned(),
            public_key: verify_signatures.then_some(public_key),
        }),
        ..EmulatorConfig::default()
    }
}

/// A token as the SDK makes it: issued now, 15 minutes, a fresh `jti`.
fn token(application_id: &str, private_pem: &str, lifetime: i64) -> String {
    let now = i64::try_from(unix_seconds(std::time::SystemTime::now())).expect("seconds");
    let claims = json!({
        "application_id": application_id,
        "iat": now - 1,
        "exp": now + lifetime,
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    sign(&claims, private_pem)
}

async fn bearer_post(base: &str, path: &str, token: &str, body: &Value) -> (StatusCode, Value) {
    let reply = Client::new()
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("request");
    let status = reply.status();
    let content_type = content_type(&reply);
    let body: Value = reply.json().await.unwrap_or(Value::Null);
    if status == StatusCode::UNAUTHORIZED {
        assert_problem(&content_type, &body, "Unauthorized");
    }
    (status, body)
}

#[tokio::test]
async fn the_applications_jwt_starts_and_checks() {
    let (emulator, base) = serve_config(config(true), Arc::new(SystemClock)).await;
    let jwt = || token(APP_ID, APP_PRIVATE, 900);
    let (status, reply) = bearer_post(&base, "/v2/verify", &jwt(), &workflow_body(TO)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{reply}");
    let path = format!("/v2/verify/{}", reply["request_id"].as_str().expect("id"));
    let code = emulator.messages()[0].code.clone();
    let wrong_code = json!({"code": wrong(&code)});
    assert_eq!(
        bearer_post(&base, &path, &jwt(), &wrong_code).await.0,
        StatusCode::BAD_REQUEST
    );
    let (status, reply) = bearer_post(&base, &path, &jwt(), &json!({"code": code})).await;
    assert_eq!(
        (status, reply["status"].as_str()),
        (StatusCode::OK, Some("completed"))
    );
    // Key and secret still work next to the application.
    let (status, ..) = v2_post(&base, "/v2/verify", AUTH, &workflow_body(TO)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn bad_tokens_answer_401_and_touch_nothing() {
    let (emulator, base) = serve_config(config(true), Arc::new(SystemClock)).await;
    let body = workflow_body(TO);
    for (why, jwt) in [
        ("expired", token(APP_ID, APP_PRIVATE, -10)),
        ("other application", token("other-app", APP_PRIVATE, 900)),
        ("other key", token(APP_ID, OTHER_PRIVATE, 900)),
        ("not a JWT", "a.b.c".to_owned()),
    ] {
        let (status, reply) = bearer_post(&base, "/v2/verify", &jwt, &body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{why}: {reply}");
    }
    assert!(emulator.messages().is_empty());
}

#[tokio::test]
async fn without_a_public_key_the_claims_still_count() {
    let (_, base) = serve_config(config(false), Arc::new(SystemClock)).await;
    let body = workflow_body(TO);
    let unverified = token(APP_ID, OTHER_PRIVATE, 900);
    assert_eq!(
        bearer_post(&base, "/v2/verify", &unverified, &body).await.0,
        StatusCode::ACCEPTED
    );
    let other_app = token("other-app", APP_PRIVATE, 900);
    let (status, _) = bearer_post(
        &base,
        "/v2/verify",
        &other_app,
        &workflow_body("15555550100"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_an_application_no_jwt_passes() {
    let (_, base) = serve().await;
    let jwt = token(APP_ID, APP_PRIVATE, 900);
    let (status, reply) = bearer_post(&base, "/v2/verify", &jwt, &workflow_body(TO)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let detail = reply["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("EMULATOR_APPLICATION_ID"), "{detail}");
}
