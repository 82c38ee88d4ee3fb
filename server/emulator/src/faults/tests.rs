//! Unit tests of fault settings: parsing, validation, counting and scoping.

use super::*;
use serde_json::json;

/// A v2 start call, as the middleware classifies it.
const V2_START: Call = Call {
    api: Some(VendorApi::VonageV2),
    operation: Some(Operation::Start),
};

fn parse(value: serde_json::Value) -> Result<FaultSetting, String> {
    FaultSetting::parse(value.to_string().as_bytes())
}

#[test]
fn parses_every_kind() {
    for (body, fault) in [
        (json!({"kind": "none"}), Fault::None),
        (
            json!({"kind": "latency", "ms": 300}),
            Fault::Latency { ms: 300 },
        ),
        (
            json!({"kind": "status", "status": 503}),
            Fault::Status { status: 503 },
        ),
        (
            json!({"kind": "timeout", "ms": 5000}),
            Fault::Timeout { ms: 5000 },
        ),
        (json!({"kind": "reset"}), Fault::Reset),
        (json!({"kind": "truncated"}), Fault::Truncated),
        (json!({"kind": "garbage"}), Fault::Garbage),
        (
            json!({"kind": "wrong_content_type"}),
            Fault::WrongContentType,
        ),
    ] {
        assert_eq!(
            parse(body.clone()),
            Ok(FaultSetting::always(fault)),
            "{body}"
        );
    }
    assert_eq!(
        parse(json!({"kind": "status", "status": 429, "count": 2})),
        Ok(FaultSetting::times(Fault::Status { status: 429 }, 2))
    );
}

#[test]
fn refuses_bad_settings() {
    for body in [
        json!({}),
        json!({"kind": "explode"}),
        json!({"kind": "latency"}),
        json!({"kind": "latency", "ms": -1}),
        json!({"kind": "latency", "ms": MAX_HOLD_MS + 1}),
        json!({"kind": "timeout", "ms": "5000"}),
        json!({"kind": "status", "status": 200}),
        json!({"kind": "status", "status": 600}),
        json!({"kind": "reset", "count": 0}),
        json!({"kind": "reset", "count": -3}),
        json!("reset"),
    ] {
        assert!(parse(body.clone()).is_err(), "{body}");
    }
    assert!(FaultSetting::parse(b"{not json").is_err());
}

#[test]
fn serialises_as_the_admin_api_shows_it() {
    let always = serde_json::to_value(FaultSetting::always(Fault::Latency { ms: 300 }));
    assert_eq!(always.ok(), Some(json!({"kind": "latency", "ms": 300})));
    let counted = serde_json::to_value(FaultSetting::times(Fault::WrongContentType, 1));
    assert_eq!(
        counted.ok(),
        Some(json!({"kind": "wrong_content_type", "count": 1}))
    );
    let none = serde_json::to_value(FaultSetting::default());
    assert_eq!(none.ok(), Some(json!({"kind": "none"})));
}

#[test]
fn a_counted_fault_wears_off() {
    let switch = FaultSwitch::default();
    switch.set(FaultSetting::times(Fault::Garbage, 2));
    assert_eq!(switch.take(V2_START), Fault::Garbage);
    assert_eq!(switch.get(), FaultSetting::times(Fault::Garbage, 1));
    assert_eq!(switch.take(V2_START), Fault::Garbage);
    assert_eq!(switch.get(), FaultSetting::default());
    assert_eq!(switch.take(V2_START), Fault::None);
}

#[test]
fn an_uncounted_fault_stays_until_replaced() {
    let switch = FaultSwitch::default();
    assert_eq!(switch.take(V2_START), Fault::None);
    switch.set(FaultSetting::always(Fault::Reset));
    for _ in 0..5 {
        assert_eq!(switch.take(V2_START), Fault::Reset);
    }
    switch.set(FaultSetting::always(Fault::None));
    assert_eq!(switch.take(V2_START), Fault::None);
    switch.set(FaultSetting::times(Fault::Reset, 0));
    assert_eq!(switch.take(V2_START), Fault::None, "count 0 means none");
}

#[test]
fn parses_documented_outcomes_with_their_scope() {
    assert_eq!(
        parse(json!({"kind": "v1_status", "status": 9, "operation": "start"})),
        Ok(FaultSetting::always(Fault::V1Status {
            status: 9,
            parameter: None
        })
        .only(Operation::Start))
    );
    let problem = Fault::V2Problem {
        status: 422,
        parameter: Some("brand".to_owned()),
    };
    let body = json!({"kind": "v2_problem", "status": 422, "parameter": "brand", "count": 1});
    assert_eq!(parse(body.clone()), Ok(FaultSetting::times(problem, 1)));
    let shown = serde_json::to_value(parse(body).unwrap_or_default()).ok();
    assert_eq!(
        shown,
        Some(json!({"kind": "v2_problem", "status": 422, "parameter": "brand", "count": 1}))
    );
}

#[test]
fn refuses_undocumented_outcomes() {
    for body in [
        json!({"kind": "v1_status", "status": 0}),
        json!({"kind": "v1_status", "status": 18}),
        json!({"kind": "v1_status", "status": "9"}),
        json!({"kind": "v2_problem", "status": 400}),
        json!({"kind": "v2_problem", "status": 503}),
        json!({"kind": "v2_problem", "status": 422, "parameter": ""}),
        json!({"kind": "v2_problem", "status": 422, "parameter": "<b>"}),
        json!({"kind": "v2_problem", "status": 422, "parameter": "x".repeat(65)}),
        json!({"kind": "v2_problem", "status": 402, "operation": "search"}),
    ] {
        assert!(parse(body.clone()).is_err(), "{body}");
    }
}

#[test]
fn a_scoped_fault_skips_and_does_not_count_other_calls() {
    let switch = FaultSwitch::default();
    let problem = Fault::V2Problem {
        status: 402,
        parameter: None,
    };
    switch.set(FaultSetting::times(problem.clone(), 1).only(Operation::Start));
    let v2_check = Call {
        api: Some(VendorApi::VonageV2),
        operation: Some(Operation::Check),
    };
    let v1_start = Call {
        api: Some(VendorApi::VonageV1),
        operation: Some(Operation::Start),
    };
    assert_eq!(switch.take(v2_check), Fault::None, "other operation");
    assert_eq!(switch.take(v1_start), Fault::None, "other API");
    assert_eq!(switch.take(Call::default()), Fault::None, "unknown route");
    assert_eq!(switch.take(V2_START), problem);
    assert_eq!(switch.take(V2_START), Fault::None, "counted once");
}
