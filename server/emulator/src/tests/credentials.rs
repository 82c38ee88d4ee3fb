//! Credentials: only the configured `api_key` / `api_secret` pass (v2 401, v1 "2" / "4").

use super::support::*;
use crate::EmulatorConfig;
use app_clock::SystemClock;
use reqwest::{Client, StatusCode};
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn v2_answers_401_unless_basic_auth_matches() {
    let (emulator, base) = serve().await;
    let body = workflow_body(TO);
    for auth in [
        None,
        Some(("emulator", "")),
        Some(("key", "emulator")),
        Some(("emulator", "x")),
    ] {
        let (status, content_type, reply) = v2_post(&base, "/v2/verify", auth, &body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_problem(&content_type, &reply, "Unauthorized");
    }
    let bearer = Client::new()
        .post(format!("{base}/v2/verify"))
        .bearer_auth("any.jwt.token")
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(bearer.status(), StatusCode::UNAUTHORIZED, "no JWTs");
    assert!(emulator.messages().is_empty());

    let id = v2_start(&base, &body).await;
    let wrong_auth = Some(("emulator", "wrong"));
    let path = format!("/v2/verify/{id}");
    let (status, ..) = v2_post(&base, &path, wrong_auth, &json!({"code": "1234"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "check");
    let deleted = Client::new()
        .delete(format!("{base}{path}"))
        .basic_auth("emulator", Some("wrong"))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(deleted.status(), StatusCode::UNAUTHORIZED, "cancel");
    assert_eq!(
        next_workflow(&base, &id, false).await.0,
        StatusCode::UNAUTHORIZED
    );
    let code = emulator.messages()[0].code.clone();
    let (status, ..) = v2_post(&base, &path, AUTH, &json!({"code": code})).await;
    assert_eq!(status, StatusCode::OK, "the request was untouched");
}

#[tokio::test]
async fn v1_answers_2_when_missing_and_4_when_wrong() {
    let (emulator, base) = serve().await;
    let start = |form: Vec<(&'static str, &'static str)>| {
        let base = base.clone();
        async move { v1_post(&base, "/verify/json", &form).await }
    };
    let request = [("number", TO), ("brand", "B")];
    let missing = start([&[("api_key", "emulator")][..], &request].concat()).await;
    assert_eq!(missing["status"], "2");
    for (key, secret) in [
        ("emulator", "wrong"),
        ("other", "emulator"),
        ("", "emulator"),
    ] {
        let creds = [("api_key", key), ("api_secret", secret)];
        let reply = start([&creds[..], &request].concat()).await;
        assert_eq!(reply["status"], "4", "{key}:{secret}");
        assert_eq!(reply["error_text"], "Bad credentials");
    }
    assert!(emulator.messages().is_empty());
    let id = v1_start(&base).await;
    let bad = [
        ("api_key", "emulator"),
        ("api_secret", "wrong"),
        ("request_id", id.as_str()),
        ("code", "1234"),
        ("cmd", "cancel"),
    ];
    for path in ["/verify/check/json", "/verify/control/json"] {
        assert_eq!(v1_post(&base, path, &bad).await["status"], "4", "{path}");
    }
}

#[tokio::test]
async fn configured_credentials_replace_the_defaults() {
    let config = EmulatorConfig {
        api_key: "dev-key".to_owned(),
        api_secret: "dev-secret".to_owned(),
        ..EmulatorConfig::default()
    };
    let (_, base) = serve_config(config, Arc::new(SystemClock)).await;
    let body = workflow_body(TO);
    let (status, ..) = v2_post(&base, "/v2/verify", AUTH, &body).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the defaults no longer pass"
    );
    let (status, ..) = v2_post(&base, "/v2/verify", Some(("dev-key", "dev-secret")), &body).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let form = [
        ("api_key", "dev-key"),
        ("api_secret", "dev-secret"),
        ("number", "15555550100"),
        ("brand", "B"),
    ];
    assert_eq!(v1_post(&base, "/verify/json", &form).await["status"], "0");
}
