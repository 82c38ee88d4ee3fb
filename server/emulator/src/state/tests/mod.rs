//! Unit tests of the emulator rules, driven by a [`ManualClock`]; moving on and cancelling
//! in [`control`].

use super::*;
use crate::timeline::{Channel, Plan};
use app_clock::ManualClock;
use std::time::Duration;

mod control;

const NUMBER: &str = "447400123123";

fn emulator(config: EmulatorConfig) -> (EmulatorState, ManualClock) {
    let clock = ManualClock::new();
    (EmulatorState::new(config, Arc::new(clock.clone())), clock)
}

/// An SMS-then-voice request on `api`, 300 s per channel (v1: a 300 s PIN).
fn request(to: &str, api: Api) -> NewRequest<'_> {
    let plan = match api {
        Api::V2 => Plan::every(&[Channel::Sms, Channel::Voice], FIVE_MINUTES),
        Api::V1 => Plan::new(
            &[Channel::Sms, Channel::Voice],
            &[FIVE_MINUTES],
            Some(FIVE_MINUTES),
        ),
    };
    NewRequest {
        to,
        brand: "Passwordless",
        code_length: 6,
        plan,
        api,
        locale: None,
        silent_auth: None,
    }
}

const FIVE_MINUTES: Duration = Duration::from_secs(300);

/// Starts a request and returns its id and the code from the outbox.
fn start(state: &EmulatorState, to: &str) -> (String, String) {
    match state.start(&request(to, Api::V2)) {
        StartOutcome::Started { request_id } => {
            let code = state.messages()[0].code.clone();
            (request_id, code)
        }
        other => panic!("expected a new request, got {other:?}"),
    }
}

/// A code that is certainly not `code`.
fn wrong(code: &str) -> String {
    if code == "000000" { "111111" } else { "000000" }.to_owned()
}

#[test]
fn right_code_verifies_once_then_the_request_is_gone() {
    let (state, _) = emulator(EmulatorConfig::default());
    let (id, code) = start(&state, NUMBER);
    assert_eq!(state.check(&id, &code), CheckOutcome::Verified);
    assert_eq!(state.check(&id, &code), CheckOutcome::NotFound);
    assert_eq!(state.live_requests(), 0);
}

#[test]
fn codes_are_random_digits_of_the_requested_length() {
    let (state, _) = emulator(EmulatorConfig::default());
    let mut codes = std::collections::HashSet::new();
    for (n, length) in [4, 6, 10, 6, 6, 6, 6, 6].into_iter().enumerate() {
        let to = format!("4474001231{n:02}");
        let mut new = request(&to, Api::V2);
        new.code_length = length;
        assert!(matches!(state.start(&new), StartOutcome::Started { .. }));
        let code = state.messages()[0].code.clone();
        assert_eq!(code.len(), length);
        assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code}");
        codes.insert(code);
    }
    assert!(codes.len() > 1, "codes should differ: {codes:?}");
}

#[test]
fn ids_have_the_api_shape() {
    let (state, _) = emulator(EmulatorConfig::default());
    let StartOutcome::Started { request_id: v2 } = state.start(&request("15555550101", Api::V2))
    else {
        panic!("started")
    };
    assert!(
        uuid::Uuid::parse_str(&v2).is_ok_and(|u| u.get_version_num() == 4),
        "{v2}"
    );
    let StartOutcome::Started { request_id: v1 } = state.start(&request("15555550102", Api::V1))
    else {
        panic!("started")
    };
    assert_eq!(v1.len(), 32);
    assert!(
        v1.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{v1}"
    );
}

#[test]
fn test_numbers_get_their_fixed_code() {
    let config = EmulatorConfig {
        // Without the `+`, to show it is tolerated.
        test_numbers: [("15555550100".to_owned(), "424242".to_owned())].into(),
        ..EmulatorConfig::default()
    };
    let (state, _) = emulator(config);
    let (id, code) = start(&state, "15555550100");
    assert_eq!(code, "424242");
    assert_eq!(state.check(&id, "424242"), CheckOutcome::Verified);
}

#[test]
fn one_live_request_per_number() {
    let (state, _) = emulator(EmulatorConfig::default());
    let (id, _) = start(&state, NUMBER);
    assert_eq!(
        state.start(&request(NUMBER, Api::V1)),
        StartOutcome::Concurrent { request_id: id }
    );
    assert_eq!(
        state.messages().len(),
        1,
        "no second message for a concurrent start"
    );
    let (other, _) = start(&state, "15555550100");
    assert_eq!(state.live_requests(), 2);
    assert_eq!(state.check(&other, "0000"), CheckOutcome::WrongCode);
}

#[test]
fn wrong_codes_until_the_budget_is_used_up() {
    let (state, _) = emulator(EmulatorConfig::default());
    let (id, code) = start(&state, NUMBER);
    assert_eq!(state.check(&id, &wrong(&code)), CheckOutcome::WrongCode);
    assert_eq!(state.check(&id, &wrong(&code)), CheckOutcome::WrongCode);
    assert_eq!(
        state.check(&id, &wrong(&code)),
        CheckOutcome::TooManyAttempts
    );
    assert_eq!(
        state.check(&id, &code),
        CheckOutcome::NotFound,
        "terminated for good"
    );
    let (again, _) = start(&state, NUMBER);
    assert_ne!(again, id, "the number is free for a new request");
}

#[test]
fn right_code_after_wrong_ones_still_verifies() {
    let (state, _) = emulator(EmulatorConfig::default());
    let (id, code) = start(&state, NUMBER);
    assert_eq!(state.check(&id, &wrong(&code)), CheckOutcome::WrongCode);
    assert_eq!(state.check(&id, &code), CheckOutcome::Verified);
}

#[test]
fn a_budget_of_zero_counts_as_one() {
    let config = EmulatorConfig {
        max_wrong_codes: 0,
        ..EmulatorConfig::default()
    };
    let (state, _) = emulator(config);
    let (id, code) = start(&state, NUMBER);
    assert_eq!(
        state.check(&id, &wrong(&code)),
        CheckOutcome::TooManyAttempts
    );
}

#[test]
fn expired_requests_are_purged_from_memory() {
    let (state, clock) = emulator(EmulatorConfig::default());
    for n in 0..20 {
        start(&state, &format!("4474001231{n:02}"));
    }
    assert_eq!(state.live_requests(), 20);
    clock.advance(Duration::from_secs(600));
    assert_eq!(state.live_requests(), 0, "SMS 300 s, then voice 300 s");
    let inner = state.lock();
    assert!(inner.by_id.is_empty() && inner.by_number.is_empty());
}

#[test]
fn cancel_ends_a_live_request() {
    let (state, _) = emulator(EmulatorConfig::default());
    let (id, code) = start(&state, NUMBER);
    assert_eq!(state.cancel(&id), CancelOutcome::Cancelled);
    assert_eq!(state.cancel(&id), CancelOutcome::NotFound);
    assert_eq!(state.check(&id, &code), CheckOutcome::NotFound);
}

#[test]
fn starts_are_throttled_beyond_the_live_request_cap() {
    let (state, _) = emulator(EmulatorConfig::default());
    for n in 0..MAX_LIVE_REQUESTS {
        state.start(&request(&format!("1555{n:07}"), Api::V2));
    }
    assert_eq!(
        state.start(&request("447400123999", Api::V2)),
        StartOutcome::Busy
    );
}

#[test]
fn outbox_records_the_message_newest_first() {
    let (state, clock) = emulator(EmulatorConfig::default());
    let (_, first_code) = start(&state, NUMBER);
    clock.advance(Duration::from_secs(1));
    let (_, second_code) = start(&state, "15555550100");
    let messages = state.messages();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].to, "+15555550100");
    assert_eq!(messages[1].to, "+447400123123");
    assert_eq!(messages[1].channel, "sms");
    assert_eq!(
        messages[1].text,
        format!("Your Passwordless code is {first_code}. It expires in 10 minutes.")
    );
    assert_eq!(messages[0].code, second_code);
    assert!(messages[0].sent_at > messages[1].sent_at);
}

#[test]
fn huge_configured_waits_and_clock_steps_never_overflow() {
    let config = EmulatorConfig {
        code_ttl: Duration::MAX,
        cancel_settle: Duration::MAX,
        ..EmulatorConfig::default()
    };
    let (state, _) = emulator(config);
    let mut new = request(NUMBER, Api::V2);
    new.plan = Plan::every(&[Channel::Sms], state.config().code_ttl);
    let StartOutcome::Started { request_id } = state.start(&new) else {
        panic!("started")
    };
    assert_eq!(state.cancel(&request_id), CancelOutcome::Cancelled);
    state.advance(Duration::MAX);
    let (_, offset) = state.advance(Duration::MAX);
    assert_eq!(offset, MAX_CLOCK_OFFSET);
    assert_eq!(state.live_requests(), 0);
    assert!(matches!(state.start(&new), StartOutcome::Started { .. }));
}
