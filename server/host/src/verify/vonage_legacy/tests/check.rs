//! `check`: the form it posts, and outages (other statuses, non-200, garbage, timeouts)
//! reported without the code or the request id. The documented statuses ("16", "17", "6",
//! "1") run in the contract suite.

use super::*;
use wiremock::matchers::header;

#[tokio::test]
async fn check_posts_form_with_request_id_and_code() {
    let reply = ok_json(json!({
        "request_id": ID, "event_id": "0A00000012345678", "status": "0",
        "price": "0.10000000", "currency": "EUR",
    }));
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/verify/check/json"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(reply)
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri(), Duration::from_secs(5));

    let result = client.check(&RequestId::new(ID), &pin("123456")).await;

    assert_eq!(result, Ok(()));
    assert_eq!(
        sent_form(&server).await,
        form(&[
            ("api_key", KEY),
            ("api_secret", SECRET),
            ("request_id", ID),
            ("code", "123456"),
        ])
    );
}

#[tokio::test]
async fn check_other_statuses_are_unavailable_without_the_request_id() {
    let reply = ok_json(json!({
        "status": "5", "error_text": format!("Internal Error for '{ID}'"),
    }));
    let detail = expect_unavailable_check(check_with(reply).await);
    assert_eq!(detail, "status 5: Internal Error for '<request id>'");
}

#[tokio::test]
async fn check_non_200_and_garbage_are_unavailable() {
    let server_error = ResponseTemplate::new(500).set_body_string("boom");
    expect_unavailable_check(check_with(server_error).await);
    let garbage = ResponseTemplate::new(200).set_body_string("{\"status\": 0");
    expect_unavailable_check(check_with(garbage).await);
}

#[tokio::test]
async fn check_times_out_as_unavailable() {
    let reply = ok_json(json!({"status": "0"})).set_delay(Duration::from_secs(3));
    let (server, _) = fake("/verify/check/json", reply).await;
    let client = client(&server.uri(), Duration::from_millis(200));
    let detail = expect_unavailable_check(client.check(&RequestId::new(ID), &pin("123456")).await);
    assert!(detail.contains("timeout"), "{detail}");
}
