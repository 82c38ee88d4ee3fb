//! v1 as Vonage's SDKs call it: JSON bodies, and credentials in the query string, the body
//! or an HTTP Basic header.

use super::support::*;
use reqwest::Client;
use serde_json::{json, Value};

/// POSTs a JSON body to a v1 path, with Basic `auth` when given.
async fn v1_json(base: &str, path: &str, auth: Option<(&str, &str)>, body: &Value) -> Value {
    let mut request = Client::new().post(format!("{base}{path}")).json(body);
    if let Some((key, secret)) = auth {
        request = request.basic_auth(key, Some(secret));
    }
    let reply = request.send().await.expect("request");
    assert_eq!(
        reply.status(),
        reqwest::StatusCode::OK,
        "v1 always answers 200"
    );
    reply.json().await.expect("JSON reply")
}

#[tokio::test]
async fn a_json_body_with_basic_auth_starts_and_checks() {
    let (emulator, base) = serve().await;
    // As @vonage/verify sends it: numbers as JSON numbers.
    let start = json!({"number": TO, "brand": "Passwordless", "code_length": 6, "workflow_id": 6});
    let reply = v1_json(&base, "/verify/json", AUTH, &start).await;
    assert_eq!(reply["status"], "0", "{reply}");
    let id = reply["request_id"].as_str().expect("id").to_owned();
    let code = emulator.messages()[0].code.clone();
    assert_eq!(code.len(), 6, "code_length read from a JSON number");

    let check = |code: String| json!({"request_id": id.clone(), "code": code});
    let wrong = v1_json(&base, "/verify/check/json", AUTH, &check(wrong(&code))).await;
    assert_eq!(wrong["status"], "16", "{wrong}");
    let right = v1_json(&base, "/verify/check/json", AUTH, &check(code)).await;
    assert_eq!(right["status"], "0", "{right}");
}

#[tokio::test]
async fn credentials_may_sit_in_a_json_body_or_the_query_string() {
    let (_, base) = serve().await;
    let in_body = json!({"api_key": KEY, "api_secret": SECRET, "number": TO, "brand": "B"});
    let reply = v1_json(&base, "/verify/json", None, &in_body).await;
    assert_eq!(reply["status"], "0", "{reply}");

    let query = format!("{base}/verify/json?api_key={KEY}&api_secret={SECRET}");
    let reply: Value = Client::new()
        .post(query)
        .form(&[("number", "15555550100"), ("brand", "B")])
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON");
    assert_eq!(reply["status"], "0", "{reply}");

    let get = format!("{base}/verify/json?number=15555550101&brand=B");
    let reply: Value = Client::new()
        .get(get)
        .basic_auth(KEY, Some(SECRET))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON");
    assert_eq!(reply["status"], "0", "GET with Basic: {reply}");
}

#[tokio::test]
async fn wrong_or_missing_credentials_anywhere_are_refused() {
    let (emulator, base) = serve().await;
    let start = json!({"number": TO, "brand": "B"});
    let none = v1_json(&base, "/verify/json", None, &start).await;
    assert_eq!(none["status"], "2", "{none}");
    let wrong = v1_json(&base, "/verify/json", Some((KEY, "wrong")), &start).await;
    assert_eq!(wrong["status"], "4", "{wrong}");
    // Parameters win over the header: a lone api_key is missing its secret.
    let lone = json!({"api_key": KEY, "number": TO, "brand": "B"});
    let reply = v1_json(&base, "/verify/json", AUTH, &lone).await;
    assert_eq!(reply["status"], "2", "{reply}");
    let bearer: Value = Client::new()
        .post(format!("{base}/verify/json"))
        .bearer_auth("a.b.c")
        .json(&start)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON");
    assert_eq!(bearer["status"], "4", "v1 takes no JWT: {bearer}");
    assert!(emulator.messages().is_empty());
}

#[tokio::test]
async fn an_unreadable_json_body_is_status_3() {
    let (emulator, base) = serve().await;
    for body in ["{\"number\":", "[1, 2]", "\"text\""] {
        let reply: Value = Client::new()
            .post(format!("{base}/verify/json"))
            .basic_auth(KEY, Some(SECRET))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON");
        assert_eq!(reply["status"], "3", "{body}: {reply}");
    }
    let nested = json!({"number": [TO], "brand": "B"});
    let reply = v1_json(&base, "/verify/json", AUTH, &nested).await;
    assert_eq!(reply["status"], "3", "{reply}");
    assert_eq!(reply["error_text"], "Invalid value for parameter number");
    assert!(emulator.messages().is_empty());
}
