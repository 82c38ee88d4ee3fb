use super::*;
use serde_json::json;

fn body(code: u32, message: &str, status: u16) -> Vec<u8> {
    json!({"code": code, "message": message,
           "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status})
    .to_string()
    .into_bytes()
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).expect("valid status")
}

#[test]
fn classifies_by_twilio_code_first() {
    for (http, code, expected) in [
        (400, 60200, Fault::InvalidParameter("To".into())),
        (429, 60202, Fault::MaxChecks),
        (429, 60203, Fault::MaxSends),
        (429, 60212, Fault::TooManyConcurrent),
        (404, 20404, Fault::NotFound),
        (429, 20429, Fault::Throttled),
        (401, 20003, Fault::Credentials),
        (400, 60205, Fault::Destination),
        (403, 60410, Fault::Destination),
        (403, 60605, Fault::Destination),
        (400, 21408, Fault::Destination),
        (401, 20005, Fault::Account),
        (403, 20008, Fault::Account),
        (400, 21608, Fault::Account),
    ] {
        let reply = body(code, "Invalid parameter: To", http);
        assert_eq!(classify(status(http), &reply), expected, "{code}");
    }
}

#[test]
fn falls_back_to_the_http_status() {
    for (http, expected) in [
        (404, Fault::NotFound),
        (429, Fault::Throttled),
        (401, Fault::Credentials),
        (403, Fault::Account),
        (400, Fault::Other),
        (500, Fault::Other),
        (503, Fault::Other),
    ] {
        assert_eq!(
            classify(status(http), b"<html>no</html>"),
            expected,
            "{http}"
        );
        assert_eq!(classify(status(http), &body(99999, "?", http)), expected);
    }
}

#[test]
fn reads_the_parameter_a_60200_names() {
    for (message, name) in [
        ("Invalid parameter: To", "To"),
        ("Invalid parameter `Locale`: xx", "Locale"),
        ("Invalid parameter 'Code'", "Code"),
        ("Invalid parameter", ""),
        ("Something else", ""),
    ] {
        assert_eq!(parameter_named(message), name, "{message}");
    }
}

#[test]
fn describe_keeps_code_and_message_but_hides_digit_runs() {
    let reply = body(
        21408,
        "Permission to send to +447911123456 is not enabled",
        400,
    );
    let detail = describe(StatusCode::BAD_REQUEST, &reply);
    assert!(detail.contains("21408"), "{detail}");
    assert!(detail.contains("Permission to send"), "{detail}");
    assert!(!detail.contains("7911123456"), "{detail}");
    let raw = describe(StatusCode::BAD_GATEWAY, b"upstream 123456 broke");
    assert_eq!(raw, "HTTP 502 Bad Gateway: upstream … broke");
    assert_eq!(scrub("a 12 b 1234"), "a 12 b …");
}

#[test]
fn handle_round_trips_and_refuses_foreign_ids() {
    let id = Handle::encode("VE123", "+447911123456", Some("en-GB"));
    assert_eq!(id, "VE123|+447911123456|en-GB");
    assert_eq!(
        Handle::decode(&id),
        Some(Handle {
            sid: "VE123",
            to: "+447911123456",
            locale: Some("en-GB"),
        })
    );
    let bare = Handle::encode("VE1", "+1201", None);
    assert_eq!(Handle::decode(&bare).map(|h| h.locale), Some(None));
    for foreign in [
        "c11236f4-00bf-4b89-84ba-88b25df97315",
        "VE1",
        "VE|+44",
        "VE1|447911",
        "VE1|+44|en|x",
    ] {
        assert_eq!(Handle::decode(foreign), None, "{foreign}");
    }
}

#[test]
fn a_locale_refusal_is_recognised() {
    assert!(refuses_locale(
        status(400),
        &body(60200, "Invalid parameter: Locale", 400)
    ));
    assert!(!refuses_locale(
        status(400),
        &body(60200, "Invalid parameter: To", 400)
    ));
    assert!(!refuses_locale(
        status(429),
        &body(60203, "Max send attempts", 429)
    ));
}
