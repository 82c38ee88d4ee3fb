//! Resend (a new verification on `call`), cancel, and the client's fixed answers.

use super::*;

const OTHER_SID: &str = "VEffffffffffffffffffffffffffffffff";

fn id() -> RequestId {
    RequestId::new(format!("{SID}|{TO}|en-GB"))
}

async fn next_channel_with_reply(reply: ResponseTemplate) -> Result<(), ControlFailure> {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(verifications_path()))
        .respond_with(reply)
        .mount(&server)
        .await;
    client.next_channel(&id()).await
}

async fn cancel_with_reply(reply: ResponseTemplate) -> Result<(), ControlFailure> {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("{}/{SID}", verifications_path())))
        .respond_with(reply)
        .mount(&server)
        .await;
    client.cancel(&id()).await
}

fn fault_kind(result: Result<(), ControlFailure>) -> Option<OperatorFault> {
    match result {
        Err(ControlFailure::OperatorFault(kind, detail)) => {
            clean(&detail);
            Some(kind)
        }
        _ => None,
    }
}

#[tokio::test]
async fn next_channel_starts_a_call_for_the_same_number_and_locale() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(verifications_path()))
        .and(basic_auth(ACCOUNT, TOKEN))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(verification(SID, "call", "pending")),
        )
        .expect(1)
        .mount(&server)
        .await;

    assert_eq!(client.next_channel(&id()).await, Ok(()));
    let fields = form(&server, 0).await;
    for field in [("To", TO), ("Channel", "call"), ("Locale", "en-GB")] {
        assert!(
            fields.contains(&(field.0.to_owned(), field.1.to_owned())),
            "{fields:?}"
        );
    }
}

#[tokio::test]
async fn next_channel_answering_another_sid_cancels_it_and_is_not_found() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(verifications_path()))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(verification(OTHER_SID, "call", "pending")),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{}/{OTHER_SID}", verifications_path())))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(verification(OTHER_SID, "call", "canceled")),
        )
        .expect(1)
        .mount(&server)
        .await;

    assert_eq!(
        client.next_channel(&id()).await,
        Err(ControlFailure::NotFound)
    );
    assert!(form(&server, 1)
        .await
        .contains(&("Status".into(), "canceled".into())));
}

#[tokio::test]
async fn next_channel_maps_each_documented_error() {
    for (reply, expected) in [
        (
            error(429, 60203, "Max send attempts reached"),
            ControlFailure::NothingLeft,
        ),
        (
            error(403, 60410, "Prefix blocked"),
            ControlFailure::NothingLeft,
        ),
        (error(404, 20404, "Not found"), ControlFailure::NotFound),
        (
            error(429, 60212, "Too many concurrent"),
            ControlFailure::Throttled,
        ),
        (
            error(429, 20429, "Too Many Requests"),
            ControlFailure::Throttled,
        ),
    ] {
        assert_eq!(next_channel_with_reply(reply).await, Err(expected));
    }
    let credentials = next_channel_with_reply(error(401, 20003, "Authenticate")).await;
    assert_eq!(fault_kind(credentials), Some(OperatorFault::Credentials));
    let account = next_channel_with_reply(ResponseTemplate::new(403)).await;
    assert_eq!(fault_kind(account), Some(OperatorFault::Account));
    for reply in [
        ResponseTemplate::new(500),
        ResponseTemplate::new(201).set_body_string("<html>proxy</html>"),
    ] {
        let result = next_channel_with_reply(reply).await;
        assert!(
            matches!(result, Err(ControlFailure::Unavailable(_))),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn cancel_posts_status_canceled_to_the_verification() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("{}/{SID}", verifications_path())))
        .and(basic_auth(ACCOUNT, TOKEN))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(verification(SID, "sms", "canceled")),
        )
        .expect(1)
        .mount(&server)
        .await;

    assert_eq!(client.cancel(&id()).await, Ok(()));
    assert_eq!(
        form(&server, 0).await,
        vec![("Status".to_owned(), "canceled".to_owned())]
    );
}

#[tokio::test]
async fn cancel_maps_each_documented_error() {
    for (reply, expected) in [
        (error(404, 20404, "Not found"), ControlFailure::NotFound),
        (ResponseTemplate::new(404), ControlFailure::NotFound),
        (
            error(429, 20429, "Too Many Requests"),
            ControlFailure::Throttled,
        ),
    ] {
        assert_eq!(cancel_with_reply(reply).await, Err(expected));
    }
    let credentials = cancel_with_reply(error(401, 20003, "Authenticate")).await;
    assert_eq!(fault_kind(credentials), Some(OperatorFault::Credentials));
    let account = cancel_with_reply(error(403, 20005, "Account not active")).await;
    assert_eq!(fault_kind(account), Some(OperatorFault::Account));
    match cancel_with_reply(ResponseTemplate::new(502).set_body_string("bad gateway")).await {
        Err(ControlFailure::Unavailable(detail)) => assert!(clean(&detail).contains("502")),
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn control_with_a_foreign_id_is_not_found_without_a_call() {
    let (server, client) = fake().await;
    let foreign = RequestId::new("abcdef0123456789abcdef0123456789");
    assert_eq!(
        client.next_channel(&foreign).await,
        Err(ControlFailure::NotFound)
    );
    assert_eq!(client.cancel(&foreign).await, Err(ControlFailure::NotFound));
    let requests = server.received_requests().await.expect("recording is on");
    assert!(requests.is_empty());
}

#[tokio::test]
async fn control_calls_time_out_as_unavailable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let slow = client(&server.uri(), Duration::from_millis(200));
    for result in [slow.next_channel(&id()).await, slow.cancel(&id()).await] {
        match result {
            Err(ControlFailure::Unavailable(detail)) => {
                assert!(detail.contains("timeout"), "{detail}");
                assert!(!detail.contains(SID), "sid in detail: {detail}");
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
    }
}

#[test]
fn plan_name_and_debug() {
    let client = client("http://127.0.0.1:1", Duration::from_secs(1));
    assert_eq!(client.name(), "twilio");
    assert_eq!(
        client.delivery_plan(),
        DeliveryPlan::SMS_THEN_CALL_ON_REQUEST
    );
    let printed = format!("{client:?}");
    assert!(!printed.contains(TOKEN), "{printed}");
}
