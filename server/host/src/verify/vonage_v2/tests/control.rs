//! `next_channel` (`POST …/next_workflow`) and `cancel` (`DELETE`): what they send, the
//! successes they accept, and outages (other statuses, garbage, timeouts, refused
//! connections). `next_channel`'s documented 409, 404 and 429 run in the contract suite.

use super::*;

/// A control call against a fake that answers after 3 s, with a 200 ms client timeout.
async fn control_timeout_detail(verb: &str) -> String {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .respond_with(ResponseTemplate::new(204).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = client(&server.uri(), Duration::from_millis(200));
    let id = RequestId::new(ID);
    let result = if verb == "DELETE" {
        client.cancel(&id).await
    } else {
        client.next_channel(&id).await
    };
    match result {
        Err(ControlFailure::Unavailable(detail)) => {
            assert!(!detail.contains(ID), "request id in detail: {detail}");
            detail
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn next_channel_posts_no_body_to_next_workflow_with_basic_auth() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/verify/{ID}/next_workflow")))
        .and(basic_auth(KEY, SECRET))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let result = client.next_channel(&RequestId::new(ID)).await;

    assert_eq!(result, Ok(()));
    let requests = server.received_requests().await.expect("recording is on");
    assert!(requests[0].body.is_empty(), "no body");
}

#[tokio::test]
async fn next_channel_accepts_any_documented_success_and_ignores_the_body() {
    for reply in [
        ResponseTemplate::new(200),
        ResponseTemplate::new(200).set_body_string("not json"),
        ResponseTemplate::new(202).set_body_json(json!({"request_id": ID})),
        ResponseTemplate::new(204),
    ] {
        assert_eq!(next_channel_with_reply(reply).await, Ok(()));
    }
}

#[tokio::test]
async fn next_channel_maps_other_statuses_and_garbage_to_unavailable() {
    for status in [302, 400, 410, 422, 500, 503] {
        assert_unavailable(next_channel_with_reply(problem_reply(status, "Nope")).await);
    }
    let html = ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>");
    assert_unavailable(next_channel_with_reply(html).await);
}

#[tokio::test]
async fn next_channel_times_out_as_unavailable() {
    let detail = control_timeout_detail("POST").await;
    assert!(detail.contains("timeout"), "{detail}");
}

#[tokio::test]
async fn next_channel_with_connection_refused_is_unavailable() {
    let client = client(&refused_base_url().await, Duration::from_millis(500));
    assert_unavailable(client.next_channel(&RequestId::new(ID)).await);
}

#[tokio::test]
async fn cancel_sends_delete_with_basic_auth() {
    let (server, client) = fake().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v2/verify/{ID}")))
        .and(basic_auth(KEY, SECRET))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    assert_eq!(client.cancel(&RequestId::new(ID)).await, Ok(()));
    let requests = server.received_requests().await.expect("recording is on");
    assert!(requests[0].body.is_empty(), "no body");
}

#[tokio::test]
async fn cancel_maps_each_documented_status() {
    assert_eq!(cancel_with_reply(ResponseTemplate::new(200)).await, Ok(()));
    assert_eq!(cancel_with_reply(ResponseTemplate::new(204)).await, Ok(()));
    for (status, expected) in [
        (404, ControlFailure::NotFound),
        (429, ControlFailure::Throttled),
    ] {
        let result = cancel_with_reply(problem_reply(status, "Some title")).await;
        assert_eq!(result, Err(expected), "HTTP {status}");
    }
}

#[tokio::test]
async fn cancel_maps_other_statuses_and_garbage_to_unavailable() {
    // v2 has no "too soon" rule: a 409 or 400 is unexpected, not `TooSoon`.
    for status in [202, 302, 400, 409, 410, 500, 503] {
        assert_unavailable(cancel_with_reply(problem_reply(status, "Nope")).await);
    }
    let html = ResponseTemplate::new(500).set_body_string("<html>oops</html>");
    assert_unavailable(cancel_with_reply(html).await);
}

#[tokio::test]
async fn cancel_times_out_as_unavailable() {
    let detail = control_timeout_detail("DELETE").await;
    assert!(detail.contains("timeout"), "{detail}");
}

#[tokio::test]
async fn cancel_with_connection_refused_is_unavailable() {
    let client = client(&refused_base_url().await, Duration::from_millis(500));
    assert_unavailable(client.cancel(&RequestId::new(ID)).await);
}
