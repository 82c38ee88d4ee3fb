//! The documented outcomes through `/dev/faults`: every v1 status and v2 problem, worded as
//! Vonage documents them, and scoping a fault to one operation.

use super::support::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

/// `POST /dev/faults` with `body`; panics unless accepted.
async fn set_fault(base: &str, body: Value) {
    let response = Client::new()
        .post(format!("{base}/dev/faults"))
        .json(&body)
        .send()
        .await
        .expect("admin reachable");
    assert_eq!(response.status(), StatusCode::OK, "{body}");
}

#[tokio::test]
async fn every_documented_v1_status_is_reachable() {
    let (emulator, base) = serve().await;
    let table: [(u8, &str); 17] = [
        (1, "Throttled"),
        (2, "Your request is incomplete and missing the mandatory parameter number"),
        (3, "Invalid value for parameter number"),
        (4, "Bad credentials"),
        (5, "Internal Error"),
        (6, "The Vonage platform was unable to process this message for the following reason: Could not route the message."),
        (7, "The number you are trying to verify is blacklisted for verification."),
        (8, "The api_key you supplied is for an account that has been barred from submitting messages."),
        (9, "Partner quota exceeded"),
        (10, "Concurrent verifications to the same number are not allowed"),
        (15, "The destination number is not in a supported network"),
        (16, "The code provided does not match the expected value"),
        (17, "The wrong code was provided too many times. Request terminated"),
        (19, "Verification request [''] can't be cancelled within the first 30 seconds."),
        (20, "This account does not support the parameter: pin_code."),
        (29, "Non-Permitted Destination"),
        (101, "No response found"),
    ];
    for (status, text) in table {
        set_fault(
            &base,
            json!({"kind": "v1_status", "status": status, "count": 1}),
        )
        .await;
        let reply = v1_call(&base, "/verify/json", &[("number", TO), ("brand", "B")]).await;
        assert_eq!(reply["status"], status.to_string(), "{reply}");
        assert_eq!(reply["error_text"], text, "{status}");
        let id = reply["request_id"].as_str();
        assert_eq!(status == 10, id.is_some_and(|id| id.len() == 32), "{reply}");
        assert_eq!(status == 7, reply["network"].is_string(), "{reply}");
    }
    assert!(
        emulator.messages().is_empty(),
        "no faulted start was processed"
    );
}

#[tokio::test]
async fn v1_texts_name_the_calls_request_and_the_chosen_parameter() {
    let (_, base) = serve().await;
    let id = "0123456789abcdef0123456789abcdef";
    set_fault(
        &base,
        json!({"kind": "v1_status", "status": 6, "operation": "control"}),
    )
    .await;
    let reply = control(&base, id, "cancel").await;
    assert_eq!(
        reply["error_text"],
        format!("The requestId '{id}' does not exist or its no longer active.")
    );
    set_fault(&base, json!({"kind": "v1_status", "status": 19})).await;
    let reply = control(&base, id, "trigger_next_event").await;
    assert_eq!(
        reply["error_text"],
        format!("No more events are left to execute for the request ['{id}']")
    );
    set_fault(
        &base,
        json!({"kind": "v1_status", "status": 3, "parameter": "brand"}),
    )
    .await;
    let reply = v1_check(&base, id, "1234").await;
    assert_eq!(reply["error_text"], "Invalid value for parameter brand");
    assert_eq!(
        reply["request_id"], id,
        "check answers repeat the request id"
    );
}

#[tokio::test]
async fn every_documented_v2_problem_is_reachable() {
    let (emulator, base) = serve().await;
    let table: [(u16, &str, &str); 9] = [
        (401, "unauthorized", "Unauthorized"),
        (402, "low-balance", "Low balance"),
        (403, "forbidden", "Forbidden"),
        (404, "not-found", "Not Found"),
        (409, "conflict", "Conflict"),
        (410, "expired", "Invalid Code"),
        (422, "invalid-params", "Invalid params"),
        (429, "rate-limit", "Rate Limit Hit"),
        (500, "internal-error", "Internal Error"),
    ];
    for (status, slug, title) in table {
        set_fault(
            &base,
            json!({"kind": "v2_problem", "status": status, "count": 1}),
        )
        .await;
        let (got, content_type, body) =
            v2_post(&base, "/v2/verify", AUTH, &workflow_body(TO)).await;
        assert_eq!(got.as_u16(), status, "{body}");
        assert_problem(&content_type, &body, title);
        assert!(
            body["type"]
                .as_str()
                .is_some_and(|t| t.ends_with(&format!("#{slug}"))),
            "{body}"
        );
    }
    assert!(
        emulator.messages().is_empty(),
        "no faulted start was processed"
    );

    set_fault(
        &base,
        json!({"kind": "v2_problem", "status": 409, "count": 1}),
    )
    .await;
    let (_, _, conflict) = v2_post(&base, "/v2/verify", AUTH, &workflow_body(TO)).await;
    assert!(
        conflict["request_id"]
            .as_str()
            .is_some_and(|id| id.len() == 36),
        "{conflict}"
    );
    let chosen = json!({"kind": "v2_problem", "status": 422, "parameter": "brand", "count": 1});
    set_fault(&base, chosen).await;
    let (_, _, invalid) = v2_post(&base, "/v2/verify", AUTH, &workflow_body(TO)).await;
    assert_eq!(
        invalid["invalid_parameters"],
        json!([{"name": "brand", "reason": "Invalid value"}])
    );
    set_fault(
        &base,
        json!({"kind": "v2_problem", "status": 422, "count": 1}),
    )
    .await;
    let (_, _, invalid) = v2_post(&base, "/v2/verify", AUTH, &workflow_body(TO)).await;
    assert_eq!(
        invalid["invalid_parameters"][0]["name"], "to",
        "the default for a start"
    );
}

#[tokio::test]
async fn a_fault_scoped_to_start_leaves_checks_and_the_other_api_alone() {
    let (emulator, base) = serve().await;
    let id = v2_start(&base, &workflow_body(TO)).await;
    let code = emulator.messages()[0].code.clone();
    set_fault(
        &base,
        json!({"kind": "v2_problem", "status": 402, "operation": "start"}),
    )
    .await;

    let (status, _, body) = v2_post(&base, "/v2/verify", AUTH, &workflow_body("15555550100")).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{body}");
    let v1 = v1_call(
        &base,
        "/verify/json",
        &[("number", "15555550101"), ("brand", "B")],
    )
    .await;
    assert_eq!(v1["status"], "0", "v2 problems leave v1 alone");
    let path = format!("/v2/verify/{id}");
    let (status, ..) = v2_post(&base, &path, AUTH, &json!({"code": wrong(&code)})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "checks still work");
    let (status, ..) = v2_post(&base, &path, AUTH, &json!({"code": code})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, ..) = v2_post(&base, "/v2/verify", AUTH, &workflow_body("15555550102")).await;
    assert_eq!(
        status,
        StatusCode::PAYMENT_REQUIRED,
        "still in force: no count"
    );

    set_fault(
        &base,
        json!({"kind": "v1_status", "status": 17, "operation": "check", "count": 1}),
    )
    .await;
    let id = v1_start_with(&base, &[]).await;
    let reply = v1_check(&base, &id, "1234").await;
    assert_eq!(reply["status"], "17");
    assert_eq!(
        control(&base, &id, "trigger_next_event").await["status"],
        "0",
        "control works"
    );
}

#[tokio::test]
async fn out_of_table_outcomes_are_refused() {
    let (_, base) = serve().await;
    for body in [
        json!({"kind": "v1_status", "status": 18}),
        json!({"kind": "v2_problem", "status": 418}),
        json!({"kind": "v2_problem", "status": 402, "operation": "search"}),
    ] {
        let response = Client::new()
            .post(format!("{base}/dev/faults"))
            .json(&body)
            .send()
            .await
            .expect("admin reachable");
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
}
