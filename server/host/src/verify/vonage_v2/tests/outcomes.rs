//! Outcomes that tell the truth: operator faults apart from outages, a refused parameter
//! apart from a refused number, our own cancelled request apart from a live one, and the
//! delivery sequence sent explicitly.

use super::*;
use crate::verify::VonageDelivery;

fn fault_of<T: std::fmt::Debug>(result: Result<T, impl Into<Fault>>) -> OperatorFault {
    match result.map_err(Into::into) {
        Err(Fault(Some(fault))) => fault,
        other => panic!("expected an operator fault, got {other:?}"),
    }
}

#[derive(Debug)]
struct Fault(Option<OperatorFault>);

impl From<StartFailure> for Fault {
    fn from(failure: StartFailure) -> Self {
        match failure {
            StartFailure::OperatorFault(fault, detail) => {
                assert!(!detail.contains(SECRET), "secret in detail: {detail}");
                Self(Some(fault))
            }
            _ => Self(None),
        }
    }
}

impl From<CheckFailure> for Fault {
    fn from(failure: CheckFailure) -> Self {
        match failure {
            CheckFailure::OperatorFault(fault, _) => Self(Some(fault)),
            _ => Self(None),
        }
    }
}

impl From<ControlFailure> for Fault {
    fn from(failure: ControlFailure) -> Self {
        match failure {
            ControlFailure::OperatorFault(fault, _) => Self(Some(fault)),
            _ => Self(None),
        }
    }
}

#[tokio::test]
async fn account_problems_are_operator_faults_on_every_call() {
    let cases = [
        (401, OperatorFault::Credentials),
        (402, OperatorFault::Balance),
        (403, OperatorFault::Account),
    ];
    for (status, expected) in cases {
        let reply = || problem_reply(status, "Nope");
        assert_eq!(fault_of(start_with_reply(reply()).await), expected);
        assert_eq!(fault_of(check_with_reply(reply()).await), expected);
        assert_eq!(fault_of(next_channel_with_reply(reply()).await), expected);
        assert_eq!(fault_of(cancel_with_reply(reply()).await), expected);
    }
}

fn invalid_params(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(422).set_body_json(json!({
        "type": "https://developer.vonage.com/api-errors#invalid-params",
        "title": "Invalid params",
        "detail": "The value of one or more parameters is invalid",
        "invalid_parameters": [{"name": name, "reason": "Invalid"}],
    }))
}

#[tokio::test]
async fn a_refused_parameter_is_the_operators_a_refused_number_the_users() {
    for name in ["brand", "locale", "channel_timeout"] {
        let result = start_with_reply(invalid_params(name)).await;
        assert_eq!(fault_of(result), OperatorFault::InvalidRequest, "{name}");
    }
    for name in ["to", "workflow[0].to"] {
        let result = start_with_reply(invalid_params(name)).await;
        assert_eq!(result, Err(StartFailure::InvalidNumber), "{name}");
    }
}

#[tokio::test]
async fn a_conflict_with_a_request_we_just_cancelled_is_settling_not_resumed() {
    let (server, client) = fake().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v2/verify/{ID}")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/verify"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "title": "Conflict",
            "detail": "Concurrent verifications to the same number are not allowed",
            "request_id": ID,
        })))
        .mount(&server)
        .await;
    let request = start_request("Passwordless", None);
    let before = client.start(&request).await.expect("resumable");
    assert!(before.resumed, "a live request nobody cancelled is resumed");
    client.cancel(&RequestId::new(ID)).await.expect("cancelled");
    assert_eq!(client.start(&request).await, Err(StartFailure::Settling));
}

#[tokio::test]
async fn sms_only_sends_one_channel_timed_to_the_login() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/verify"))
        .and(body_json(json!({
            "brand": "Passwordless",
            "code_length": 6,
            "channel_timeout": 300,
            "workflow": [{"channel": "sms", "to": DIGITS}],
        })))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"request_id": ID})))
        .expect(1)
        .mount(&server)
        .await;
    let delivery = VonageDelivery {
        next: None,
        ..VonageDelivery::default()
    };
    let client = VonageV2Client::new(
        settings(&server.uri(), Duration::from_secs(5)).with_delivery(delivery),
    )
    .expect("client builds");
    client
        .start(&start_request("Passwordless", None))
        .await
        .expect("started");
    assert_eq!(client.delivery_plan().auto_next_after, None);
    assert_eq!(client.delivery_plan().next, None);
}
