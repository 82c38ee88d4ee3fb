//! `check`: the code posted to the request's path, an explicit `completed` needed to sign
//! in, and outages. The documented statuses (400, 404, 410, 429) run in the contract suite.

use super::*;

#[tokio::test]
async fn check_posts_code_to_request_path() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/verify/{ID}")))
        .and(basic_auth(KEY, SECRET))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"code": "123456"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"request_id": ID, "status": "completed"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let result = client.check(&RequestId::new(ID), &pin("123456")).await;

    assert_eq!(result, Ok(()));
}

#[tokio::test]
async fn check_maps_other_statuses_to_unavailable() {
    for status in [409, 422, 500, 503] {
        assert_unavailable(check_with_reply(problem_reply(status, "Nope")).await);
    }
}

#[tokio::test]
async fn check_needs_an_explicit_completed_status() {
    let garbage = ResponseTemplate::new(200).set_body_string("not json");
    assert_unavailable(check_with_reply(garbage).await);
    let other = ResponseTemplate::new(200).set_body_json(json!({"status": "failed"}));
    assert_unavailable(check_with_reply(other).await);
}

#[tokio::test]
async fn check_times_out_as_unavailable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "completed"}))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri(), Duration::from_millis(200));

    let result = client.check(&RequestId::new(ID), &pin("123456")).await;

    match result {
        Err(CheckFailure::Unavailable(detail)) => {
            assert!(detail.contains("timeout"), "{detail}");
            assert!(!detail.contains(ID), "request id in detail: {detail}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}
