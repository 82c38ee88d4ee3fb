//! Checking a code: `VerificationCheck` by verification sid.

use super::*;

async fn check_with_reply(reply: ResponseTemplate) -> Result<(), CheckFailure> {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/Services/{SERVICE}/VerificationCheck")))
        .respond_with(reply)
        .mount(&server)
        .await;
    let id = RequestId::new(format!("{SID}|{TO}"));
    client.check(&id, &pin("123456")).await
}

#[tokio::test]
async fn check_posts_sid_and_code_with_basic_auth() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/Services/{SERVICE}/VerificationCheck")))
        .and(basic_auth(ACCOUNT, TOKEN))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(verification(SID, "sms", "approved")),
        )
        .expect(1)
        .mount(&server)
        .await;

    let id = RequestId::new(format!("{SID}|{TO}|en-GB"));
    assert_eq!(client.check(&id, &pin("123456")).await, Ok(()));
    let fields = form(&server, 0).await;
    assert!(
        fields.contains(&("VerificationSid".into(), SID.into())),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("Code".into(), "123456".into())),
        "{fields:?}"
    );
}

#[tokio::test]
async fn check_reads_the_status_of_a_200() {
    let ok =
        |status: &str| ResponseTemplate::new(200).set_body_json(verification(SID, "sms", status));
    for (status, expected) in [
        ("pending", CheckFailure::WrongCode),
        ("max_attempts_reached", CheckFailure::TooManyAttempts),
        ("canceled", CheckFailure::NotFound),
        ("expired", CheckFailure::NotFound),
    ] {
        assert_eq!(
            check_with_reply(ok(status)).await,
            Err(expected),
            "{status}"
        );
    }
    let not_valid = json!({"sid": SID, "status": "approved", "valid": false});
    for reply in [
        ResponseTemplate::new(200).set_body_json(not_valid),
        ResponseTemplate::new(200).set_body_string("not json"),
        ResponseTemplate::new(200).set_body_json(json!({"sid": SID})),
    ] {
        let result = check_with_reply(reply).await;
        assert!(
            matches!(result, Err(CheckFailure::Unavailable(_))),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn check_maps_each_documented_error() {
    for (reply, expected) in [
        (error(404, 20404, "Not found"), CheckFailure::NotFound),
        (ResponseTemplate::new(404), CheckFailure::NotFound),
        (
            error(429, 60202, "Max check attempts reached"),
            CheckFailure::TooManyAttempts,
        ),
        (
            error(429, 20429, "Too Many Requests"),
            CheckFailure::Throttled,
        ),
        (
            error(400, 60200, "Invalid parameter: Code"),
            CheckFailure::WrongCode,
        ),
    ] {
        assert_eq!(check_with_reply(reply).await, Err(expected));
    }
    let credentials = check_with_reply(error(401, 20003, "Authenticate")).await;
    assert!(matches!(
        credentials,
        Err(CheckFailure::OperatorFault(OperatorFault::Credentials, _))
    ));
    match check_with_reply(error(503, 20503, "Service unavailable")).await {
        Err(CheckFailure::Unavailable(detail)) => assert!(clean(&detail).contains("503")),
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn check_with_a_foreign_id_is_not_found_without_a_call() {
    let (server, client) = fake().await;
    let vonage_id = RequestId::new("c11236f4-00bf-4b89-84ba-88b25df97315");
    assert_eq!(
        client.check(&vonage_id, &pin("123456")).await,
        Err(CheckFailure::NotFound)
    );
    let requests = server.received_requests().await.expect("recording is on");
    assert!(requests.is_empty());
}

#[tokio::test]
async fn check_times_out_as_unavailable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let slow = client(&server.uri(), Duration::from_millis(200));
    let id = RequestId::new(format!("{SID}|{TO}"));
    match slow.check(&id, &pin("123456")).await {
        Err(CheckFailure::Unavailable(detail)) => {
            assert!(clean(&detail).contains("timeout"), "{detail}");
            assert!(!detail.contains(SID), "sid in detail: {detail}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}
