//! Unit tests of the emulator rules, driven by a [`ManualClock`].

use super::*;
use app_core::clock::ManualClock;
use std::time::Duration;

const NUMBER: &str = "447400123123";

fn emulator(config: EmulatorConfig) -> (EmulatorState, ManualClock) {
    let clock = ManualClock::new();
    (EmulatorState::new(config, Arc::new(clock.clone())), clock)
}

fn request(to: &str, id_style: IdStyle) -> NewRequest<'_> {
    NewRequest {
        to,
        brand: "Passwordless",
        code_length: 6,
        workflow: &[Channel::Sms, Channel::Voice],
        id_style,
    }
}

/// Starts a request and returns its id and the code from the outbox.
fn start(state: &EmulatorState, to: &str) -> (String, String) {
    match state.start(&request(to, IdStyle::Uuid)) {
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
        let mut new = request(&to, IdStyle::Uuid);
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
    let StartOutcome::Started { request_id: v2 } =
        state.start(&request("15555550101", IdStyle::Uuid))
    else {
        panic!("started")
    };
    assert!(
        uuid::Uuid::parse_str(&v2).is_ok_and(|u| u.get_version_num() == 4),
        "{v2}"
    );
    let StartOutcome::Started { request_id: v1 } =
        state.start(&request("15555550102", IdStyle::Hex))
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
        state.start(&request(NUMBER, IdStyle::Hex)),
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
fn requests_expire_after_the_ttl_and_free_the_number() {
    let (state, clock) = emulator(EmulatorConfig::default());
    let (id, code) = start(&state, NUMBER);
    clock.advance(Duration::from_secs(299));
    assert_eq!(
        state.check(&id, &wrong(&code)),
        CheckOutcome::WrongCode,
        "still live"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(state.check(&id, &code), CheckOutcome::NotFound);
    let (again, _) = start(&state, NUMBER);
    assert_ne!(again, id);
}

#[test]
fn expired_requests_are_purged_from_memory() {
    let (state, clock) = emulator(EmulatorConfig::default());
    for n in 0..20 {
        start(&state, &format!("4474001231{n:02}"));
    }
    assert_eq!(state.live_requests(), 20);
    clock.advance(Duration::from_secs(301));
    assert_eq!(state.live_requests(), 0);
    let inner = state.lock();
    assert!(inner.by_id.is_empty() && inner.by_number.is_empty());
}

#[test]
fn cancel_ends_a_live_request() {
    let (state, _) = emulator(EmulatorConfig::default());
    let (id, code) = start(&state, NUMBER);
    assert_eq!(
        state.cancel(&id, CancelRules::Anytime),
        CancelOutcome::Cancelled
    );
    assert_eq!(
        state.cancel(&id, CancelRules::Anytime),
        CancelOutcome::NotFound
    );
    assert_eq!(state.check(&id, &code), CheckOutcome::NotFound);
}

#[test]
fn starts_are_throttled_beyond_the_live_request_cap() {
    let (state, _) = emulator(EmulatorConfig::default());
    for n in 0..MAX_LIVE_REQUESTS {
        state.start(&request(&format!("1555{n:07}"), IdStyle::Uuid));
    }
    assert_eq!(
        state.start(&request("447400123999", IdStyle::Uuid)),
        StartOutcome::Busy
    );
}

#[test]
fn outbox_records_the_message_newest_first() {
    let config = EmulatorConfig {
        code_ttl: Duration::from_secs(600),
        ..EmulatorConfig::default()
    };
    let (state, clock) = emulator(config);
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

/// Starts a request with `workflow` and returns its id and code.
fn start_with(state: &EmulatorState, workflow: &[Channel], id_style: IdStyle) -> (String, String) {
    let mut new = request(NUMBER, id_style);
    new.workflow = workflow;
    match state.start(&new) {
        StartOutcome::Started { request_id } => (request_id, state.messages()[0].code.clone()),
        other => panic!("expected a new request, got {other:?}"),
    }
}

#[test]
fn next_channel_sends_the_same_code_by_voice() {
    let (state, clock) = emulator(EmulatorConfig::default());
    let (id, code) = start(&state, NUMBER);
    clock.advance(Duration::from_secs(40));
    assert_eq!(state.next_channel(&id), NextOutcome::Sent(Channel::Voice));
    let messages = state.messages();
    assert_eq!(messages.len(), 2);
    let voice = &messages[0];
    assert_eq!(voice.channel, "voice");
    assert_eq!(voice.to, "+447400123123");
    assert_eq!(voice.code, code);
    assert_eq!(
        voice.text,
        format!("This is Passwordless. Your code is {}.", spoken(&code))
    );
    assert!(voice.sent_at > messages[1].sent_at, "newest first");
    assert_eq!(state.check(&id, &code), CheckOutcome::Verified);
}

#[test]
fn voice_reads_the_digits_one_by_one() {
    assert_eq!(spoken("123456"), "1 2 3 4 5 6");
    assert_eq!(spoken("0042"), "0 0 4 2");
}

#[test]
fn a_voice_first_workflow_starts_with_the_voice_text() {
    let (state, _) = emulator(EmulatorConfig::default());
    let (_, code) = start_with(&state, &[Channel::Voice], IdStyle::Uuid);
    let message = &state.messages()[0];
    assert_eq!(message.channel, "voice");
    assert_eq!(
        message.text,
        format!("This is Passwordless. Your code is {}.", spoken(&code))
    );
}

#[test]
fn next_sms_says_how_long_the_unchanged_code_has_left() {
    let (state, clock) = emulator(EmulatorConfig::default());
    let (id, code) = start_with(&state, &[Channel::Sms, Channel::Sms], IdStyle::Hex);
    clock.advance(Duration::from_secs(61));
    assert_eq!(state.next_channel(&id), NextOutcome::Sent(Channel::Sms));
    let message = &state.messages()[0];
    assert_eq!(message.channel, "sms");
    assert_eq!(
        message.text,
        format!("Your Passwordless code is {code}. It expires in 4 minutes.")
    );
}

#[test]
fn next_channel_keeps_the_wrong_code_budget_and_the_expiry() {
    let (state, clock) = emulator(EmulatorConfig::default());
    let (id, code) = start(&state, NUMBER);
    assert_eq!(state.check(&id, &wrong(&code)), CheckOutcome::WrongCode);
    clock.advance(Duration::from_secs(200));
    assert_eq!(state.next_channel(&id), NextOutcome::Sent(Channel::Voice));
    assert_eq!(state.check(&id, &wrong(&code)), CheckOutcome::WrongCode);
    clock.advance(Duration::from_secs(100));
    assert_eq!(
        state.check(&id, &code),
        CheckOutcome::NotFound,
        "expired 300 s after the start, not after the voice call"
    );

    let (id, code) = start(&state, NUMBER);
    assert_eq!(state.check(&id, &wrong(&code)), CheckOutcome::WrongCode);
    assert_eq!(state.check(&id, &wrong(&code)), CheckOutcome::WrongCode);
    assert_eq!(state.next_channel(&id), NextOutcome::Sent(Channel::Voice));
    assert_eq!(
        state.check(&id, &wrong(&code)),
        CheckOutcome::TooManyAttempts,
        "the budget is not reset"
    );
}

#[test]
fn next_channel_with_no_channel_left() {
    let (state, _) = emulator(EmulatorConfig::default());
    let (id, code) = start(&state, NUMBER);
    assert_eq!(state.next_channel(&id), NextOutcome::Sent(Channel::Voice));
    assert_eq!(state.next_channel(&id), NextOutcome::NothingLeft);
    assert_eq!(
        state.messages().len(),
        2,
        "nothing sent when nothing is left"
    );
    assert_eq!(
        state.check(&id, &code),
        CheckOutcome::Verified,
        "still live"
    );

    let (id, _) = start_with(
        &state,
        &[Channel::Sms, Channel::Voice, Channel::Voice],
        IdStyle::Hex,
    );
    assert_eq!(state.next_channel(&id), NextOutcome::Sent(Channel::Voice));
    assert_eq!(state.next_channel(&id), NextOutcome::Sent(Channel::Voice));
    assert_eq!(state.next_channel(&id), NextOutcome::NothingLeft);
}

#[test]
fn next_channel_of_a_request_that_is_not_live() {
    let (state, clock) = emulator(EmulatorConfig::default());
    assert_eq!(state.next_channel("unknown"), NextOutcome::NotFound);
    let (id, code) = start(&state, NUMBER);
    assert_eq!(state.check(&id, &code), CheckOutcome::Verified);
    assert_eq!(state.next_channel(&id), NextOutcome::NotFound, "verified");
    let (id, _) = start(&state, NUMBER);
    clock.advance(Duration::from_secs(300));
    assert_eq!(state.next_channel(&id), NextOutcome::NotFound, "expired");
    assert_eq!(state.messages().len(), 2);
}

#[test]
fn cancel_frees_the_number() {
    let (state, _) = emulator(EmulatorConfig::default());
    let (id, _) = start(&state, NUMBER);
    assert_eq!(
        state.cancel(&id, CancelRules::Anytime),
        CancelOutcome::Cancelled
    );
    assert_eq!(state.next_channel(&id), NextOutcome::NotFound);
    let (again, _) = start(&state, NUMBER);
    assert_ne!(again, id, "a fresh request");
    assert_eq!(state.live_requests(), 1);
}

#[test]
fn legacy_cancel_is_refused_within_the_first_30_seconds() {
    let (state, clock) = emulator(EmulatorConfig::default());
    let (id, _) = start_with(&state, &[Channel::Sms, Channel::Voice], IdStyle::Hex);
    assert_eq!(
        state.cancel(&id, CancelRules::Legacy),
        CancelOutcome::TooSoon
    );
    clock.advance(Duration::from_millis(29_999));
    assert_eq!(
        state.cancel(&id, CancelRules::Legacy),
        CancelOutcome::TooSoon
    );
    assert_eq!(
        state.live_requests(),
        1,
        "a refused cancel leaves the request live"
    );
    clock.advance(Duration::from_millis(1));
    assert_eq!(
        state.cancel(&id, CancelRules::Legacy),
        CancelOutcome::Cancelled
    );
    assert_eq!(
        state.cancel(&id, CancelRules::Legacy),
        CancelOutcome::NotFound
    );
    let (again, _) = start_with(&state, &[Channel::Sms], IdStyle::Hex);
    assert_ne!(again, id);
}

#[test]
fn legacy_cancel_is_refused_after_the_second_event() {
    let (state, clock) = emulator(EmulatorConfig::default());
    let (id, code) = start_with(&state, &[Channel::Sms, Channel::Voice], IdStyle::Hex);
    clock.advance(Duration::from_secs(31));
    assert_eq!(state.next_channel(&id), NextOutcome::Sent(Channel::Voice));
    assert_eq!(
        state.cancel(&id, CancelRules::Legacy),
        CancelOutcome::TooLate
    );
    assert_eq!(
        state.check(&id, &code),
        CheckOutcome::Verified,
        "still live"
    );
}

#[test]
fn v2_cancel_has_no_time_rule() {
    let (state, _) = emulator(EmulatorConfig::default());
    let (id, _) = start(&state, NUMBER);
    assert_eq!(state.next_channel(&id), NextOutcome::Sent(Channel::Voice));
    assert_eq!(
        state.cancel(&id, CancelRules::Anytime),
        CancelOutcome::Cancelled
    );
}
