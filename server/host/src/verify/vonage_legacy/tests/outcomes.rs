//! v1 outcomes that tell the truth: operator statuses apart from outages, status 3 read by
//! the parameter it names, and our own cancelled request apart from a live one.

use super::*;

fn start_fault(result: Result<Started, StartFailure>) -> OperatorFault {
    match result {
        Err(StartFailure::OperatorFault(fault, detail)) => {
            assert!(!detail.contains(SECRET), "secret in detail: {detail}");
            fault
        }
        other => panic!("expected an operator fault, got {other:?}"),
    }
}

#[tokio::test]
async fn operator_statuses_are_faults_on_start() {
    for (status, text, expected) in [
        ("2", "Missing api_key", OperatorFault::Credentials),
        (
            "2",
            "Your request is incomplete and missing the mandatory parameter brand",
            OperatorFault::InvalidRequest,
        ),
        ("4", "Bad credentials", OperatorFault::Credentials),
        (
            "8",
            "The api_key you supplied is for an account that has been barred",
            OperatorFault::Account,
        ),
        ("9", "Partner quota exceeded", OperatorFault::Balance),
        ("29", "Non-Permitted Destination", OperatorFault::Account),
        (
            "3",
            "Invalid value for parameter lg",
            OperatorFault::InvalidRequest,
        ),
    ] {
        let reply = ok_json(json!({"status": status, "error_text": text}));
        assert_eq!(
            start_fault(start_with(reply).await),
            expected,
            "status {status}"
        );
    }
}

#[tokio::test]
async fn operator_statuses_are_faults_on_check_and_control() {
    let reply = || ok_json(json!({"status": "9", "error_text": "Partner quota exceeded"}));
    assert!(matches!(
        check_with(reply()).await,
        Err(CheckFailure::OperatorFault(OperatorFault::Balance, _))
    ));
    for call in [Call::Next, Call::Cancel] {
        assert!(matches!(
            control_with(call, reply()).await,
            Err(ControlFailure::OperatorFault(OperatorFault::Balance, _))
        ));
    }
}

#[tokio::test]
async fn status_3_on_check_is_read_by_the_parameter_it_names() {
    let unknown =
        ok_json(json!({"status": "3", "error_text": "Invalid value for param: request_id"}));
    assert_eq!(check_with(unknown).await, Err(CheckFailure::NotFound));
    let code = ok_json(json!({"status": "3", "error_text": "Invalid value for param: code"}));
    assert_eq!(check_with(code).await, Err(CheckFailure::WrongCode));
    let unknown =
        ok_json(json!({"status": "3", "error_text": "Invalid value for param: request_id"}));
    assert_eq!(
        control_with(Call::Next, unknown).await,
        Err(ControlFailure::NotFound)
    );
}

#[tokio::test]
async fn status_10_for_a_request_we_just_cancelled_is_settling() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/verify/control/json"))
        .respond_with(ok_json(json!({"status": "0", "command": "cancel"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/verify/json"))
        .respond_with(ok_json(json!({
            "request_id": ID, "status": "10",
            "error_text": "Concurrent verifications to the same number are not allowed",
        })))
        .mount(&server)
        .await;
    let client = VonageLegacyClient::new(settings(&server.uri(), Duration::from_secs(5)))
        .expect("client builds");
    let request = start_request("Passwordless", None);
    assert!(client.start(&request).await.expect("resumable").resumed);
    client.cancel(&RequestId::new(ID)).await.expect("cancelled");
    assert_eq!(client.start(&request).await, Err(StartFailure::Settling));
}
