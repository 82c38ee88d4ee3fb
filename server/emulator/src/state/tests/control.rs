//! Unit tests of moving on and cancelling, driven by a [`ManualClock`].

use super::*;
use super::{emulator, request, start, FIVE_MINUTES, NUMBER};
use crate::message::spoken;
use std::time::Duration;

/// Starts a request with `workflow` and returns its id and code.
fn start_with(state: &EmulatorState, workflow: &[Channel], api: Api) -> (String, String) {
    let mut new = request(NUMBER, api);
    new.plan = Plan::new(workflow, &[FIVE_MINUTES], Some(FIVE_MINUTES));
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
    let (_, code) = start_with(&state, &[Channel::Voice], Api::V2);
    let message = &state.messages()[0];
    assert_eq!(message.channel, "voice");
    assert_eq!(
        message.text,
        format!("This is Passwordless. Your code is {}.", spoken(&code))
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
        Api::V1,
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
    clock.advance(Duration::from_secs(600));
    assert_eq!(state.next_channel(&id), NextOutcome::NotFound, "ended");
    assert_eq!(state.messages().len(), 3, "two SMS and the automatic call");
}

#[test]
fn v2_cancel_frees_the_number_after_it_settles() {
    let (state, clock) = emulator(EmulatorConfig::default());
    let (id, _) = start(&state, NUMBER);
    assert_eq!(state.cancel(&id), CancelOutcome::Cancelled);
    assert_eq!(state.next_channel(&id), NextOutcome::NotFound);
    assert_eq!(
        state.start(&request(NUMBER, Api::V1)),
        StartOutcome::Concurrent {
            request_id: id.clone()
        },
        "settling, for either API"
    );
    clock.advance(Duration::from_secs(5));
    let (again, _) = start(&state, NUMBER);
    assert_ne!(again, id, "a fresh request");
    assert_eq!(state.live_requests(), 1);
}

#[test]
fn legacy_cancel_is_refused_within_the_first_30_seconds() {
    let (state, clock) = emulator(EmulatorConfig::default());
    let (id, _) = start_with(&state, &[Channel::Sms, Channel::Voice], Api::V1);
    assert_eq!(state.cancel(&id), CancelOutcome::TooSoon);
    clock.advance(Duration::from_millis(29_999));
    assert_eq!(state.cancel(&id), CancelOutcome::TooSoon);
    assert_eq!(
        state.live_requests(),
        1,
        "a refused cancel leaves the request live"
    );
    clock.advance(Duration::from_millis(1));
    assert_eq!(state.cancel(&id), CancelOutcome::Cancelled);
    assert_eq!(state.cancel(&id), CancelOutcome::NotFound);
    let (again, _) = start_with(&state, &[Channel::Sms], Api::V1);
    assert_ne!(again, id);
}

#[test]
fn legacy_cancel_is_refused_after_the_second_event() {
    let (state, clock) = emulator(EmulatorConfig::default());
    let (id, code) = start_with(&state, &[Channel::Sms, Channel::Voice], Api::V1);
    clock.advance(Duration::from_secs(31));
    assert_eq!(state.next_channel(&id), NextOutcome::Sent(Channel::Voice));
    assert_eq!(state.cancel(&id), CancelOutcome::TooLate);
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
    assert_eq!(state.cancel(&id), CancelOutcome::Cancelled);
}
