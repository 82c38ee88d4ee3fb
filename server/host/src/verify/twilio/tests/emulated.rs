//! The Twilio client against the emulator's Twilio API, as `EMULATOR_API=twilio` uses it.

use super::*;
use crate::emulator::{Emulator, EmulatorConfig};
use app_core::clock::ManualClock;
use app_core::domain::PhoneNumber;
use std::sync::Arc;

async fn emulated() -> (Emulator, ManualClock, TwilioClient) {
    let clock = ManualClock::new();
    let emulator = Emulator::new(EmulatorConfig::default(), Arc::new(clock.clone()));
    let addr = emulator
        .serve(([127, 0, 0, 1], 0).into(), |dev| dev)
        .await
        .expect("bind the emulator");
    (
        emulator,
        clock,
        client(&format!("http://{addr}"), Duration::from_secs(5)),
    )
}

fn start_request() -> StartVerification {
    StartVerification {
        number: PhoneNumber::parse(TO, "GB".parse().expect("GB")).expect("valid number"),
        brand: "Passwordless".to_owned(),
        locale: Some("en-gb".to_owned()),
        fallback_locales: Vec::new(),
        channel: app_core::auth::Channel::Sms,
        silent_return: None,
    }
}

fn newest_code(emulator: &Emulator) -> Pin {
    pin(&emulator.messages()[0].code)
}

fn other_than(code: &Pin) -> Pin {
    pin(if code.expose() == "000000" {
        "111111"
    } else {
        "000000"
    })
}

#[tokio::test]
async fn start_resend_by_call_and_check_against_the_emulator() {
    let (emulator, _, client) = emulated().await;
    let started = client.start(&start_request()).await.expect("started");
    let code = newest_code(&emulator);
    assert_eq!(emulator.messages()[0].channel, "sms");

    assert_eq!(client.next_channel(&started.request_id).await, Ok(()));
    let call = &emulator.messages()[0];
    assert_eq!(
        (call.channel.as_str(), call.code.as_str()),
        ("voice", code.expose())
    );

    let wrong = other_than(&code);
    let result = client.check(&started.request_id, &wrong).await;
    assert_eq!(result, Err(CheckFailure::WrongCode));
    assert_eq!(client.check(&started.request_id, &code).await, Ok(()));
    let again = client.check(&started.request_id, &code).await;
    assert_eq!(again, Err(CheckFailure::NotFound));
}

#[tokio::test]
async fn five_wrong_codes_then_too_many_and_sends_run_out() {
    let (emulator, _, client) = emulated().await;
    let started = client.start(&start_request()).await.expect("started");
    let wrong = other_than(&newest_code(&emulator));
    for _ in 0..4 {
        let result = client.check(&started.request_id, &wrong).await;
        assert_eq!(result, Err(CheckFailure::WrongCode));
    }
    let fifth = client.check(&started.request_id, &wrong).await;
    assert_eq!(fifth, Err(CheckFailure::TooManyAttempts));
    let sixth = client.check(&started.request_id, &wrong).await;
    assert_eq!(sixth, Err(CheckFailure::TooManyAttempts));

    let fresh = client.start(&start_request()).await.expect("started anew");
    for _ in 0..4 {
        assert_eq!(client.next_channel(&fresh.request_id).await, Ok(()));
    }
    let sixth_send = client.next_channel(&fresh.request_id).await;
    assert_eq!(sixth_send, Err(ControlFailure::NothingLeft));
}

#[tokio::test]
async fn cancel_and_expiry_make_the_request_unknown() {
    let (emulator, clock, client) = emulated().await;
    let started = client.start(&start_request()).await.expect("started");
    assert_eq!(client.cancel(&started.request_id).await, Ok(()));
    assert_eq!(
        client.cancel(&started.request_id).await,
        Err(ControlFailure::NotFound)
    );

    let again = client.start(&start_request()).await.expect("started");
    let code = newest_code(&emulator);
    clock.advance(Duration::from_secs(600));
    assert_eq!(
        client.check(&again.request_id, &code).await,
        Err(CheckFailure::NotFound)
    );
    // The expired verification is gone: a resend would start a new one, which is cancelled.
    let resend = client.next_channel(&again.request_id).await;
    assert_eq!(resend, Err(ControlFailure::NotFound));
}
