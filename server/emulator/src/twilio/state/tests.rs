//! Twilio rules, driven by a [`ManualClock`].

use super::*;
use crate::EmulatorConfig;
use app_clock::ManualClock;

const TO: &str = "+447400123123";

fn twilio() -> (TwilioState, Arc<EmulatorState>, ManualClock) {
    let clock = ManualClock::new();
    let shared = Arc::new(EmulatorState::new(
        EmulatorConfig::default(),
        Arc::new(clock.clone()),
    ));
    let fixed = HashMap::from([("15555550100".to_owned(), "424242".to_owned())]);
    let state = TwilioState::new(shared.clone(), &fixed, Some("localhost".into()));
    (state, shared, clock)
}

fn code(shared: &EmulatorState) -> String {
    shared.messages()[0].code.clone()
}

fn wrong(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

#[test]
fn a_start_sends_a_six_digit_code_with_a_ve_sid_into_the_shared_outbox() {
    let (state, shared, _) = twilio();
    let v = state
        .start(TO, TwilioChannel::Sms, None, None)
        .expect("started");
    assert!(v.sid.starts_with("VE") && v.sid.len() == 34, "{}", v.sid);
    assert_eq!((v.status, v.attempts.len()), ("pending", 1));
    let message = &shared.messages()[0];
    assert_eq!((message.to.as_str(), message.channel.as_str()), (TO, "sms"));
    assert_eq!(message.code.len(), 6);
    assert!(message.code.bytes().all(|b| b.is_ascii_digit()));
    assert!(message
        .text
        .ends_with(&format!("@localhost #{}", message.code)));
}

#[test]
fn a_pending_verification_is_reused_with_the_same_code_on_the_asked_channel() {
    let (state, shared, clock) = twilio();
    let first = state
        .start(TO, TwilioChannel::Sms, None, None)
        .expect("started");
    let sms_code = code(&shared);
    clock.advance(Duration::from_secs(60));
    let again = state
        .start(TO, TwilioChannel::Call, None, None)
        .expect("resent");
    assert_eq!(again.sid, first.sid);
    assert_eq!(again.channel, TwilioChannel::Call);
    assert_eq!(again.attempts.len(), 2);
    let call = &shared.messages()[0];
    assert_eq!(
        (call.channel.as_str(), call.code.as_str()),
        ("voice", sms_code.as_str())
    );
    let spoken: Vec<String> = sms_code.chars().map(String::from).collect();
    assert!(call.text.contains(&spoken.join(" ")), "{}", call.text);
}

#[test]
fn the_sixth_delivery_is_refused() {
    let (state, _, _) = twilio();
    for _ in 0..MAX_SENDS {
        state
            .start(TO, TwilioChannel::Sms, None, None)
            .expect("sent");
    }
    let sixth = state.start(TO, TwilioChannel::Call, None, None);
    assert_eq!(sixth, Err(Refusal::MaxSends));
}

#[test]
fn after_ten_minutes_the_verification_is_gone_and_a_start_makes_a_new_one() {
    let (state, _, clock) = twilio();
    let first = state
        .start(TO, TwilioChannel::Sms, None, None)
        .expect("started");
    clock.advance(CODE_TTL);
    assert_eq!(state.fetch(&first.sid), Err(Refusal::NotFound));
    assert_eq!(
        state.check(Target::Sid(&first.sid), "123456"),
        Err(Refusal::NotFound)
    );
    let second = state
        .start(TO, TwilioChannel::Sms, None, None)
        .expect("new");
    assert_ne!(second.sid, first.sid);
}

#[test]
fn right_code_approves_once_by_sid_or_by_number() {
    let (state, shared, _) = twilio();
    let v = state
        .start(TO, TwilioChannel::Sms, None, None)
        .expect("started");
    let right = code(&shared);
    let approved = state.check(Target::To(TO), &right).expect("checked");
    assert_eq!(approved.status, "approved");
    assert_eq!(
        state.check(Target::Sid(&v.sid), &right),
        Err(Refusal::NotFound)
    );
    let again = state
        .start(TO, TwilioChannel::Sms, None, None)
        .expect("new");
    let right = code(&shared);
    let by_sid = state
        .check(Target::Sid(&again.sid), &right)
        .expect("checked");
    assert_eq!(by_sid.status, "approved");
}

#[test]
fn the_fifth_wrong_code_ends_it_and_later_checks_are_refused() {
    let (state, shared, _) = twilio();
    let v = state
        .start(TO, TwilioChannel::Sms, None, None)
        .expect("started");
    let right = code(&shared);
    for _ in 1..MAX_CHECKS {
        let pending = state
            .check(Target::Sid(&v.sid), wrong(&right))
            .expect("checked");
        assert_eq!(pending.status, "pending");
    }
    let last = state
        .check(Target::Sid(&v.sid), wrong(&right))
        .expect("checked");
    assert_eq!(last.status, "max_attempts_reached");
    assert_eq!(
        state.check(Target::Sid(&v.sid), &right),
        Err(Refusal::MaxChecks)
    );
    let fresh = state
        .start(TO, TwilioChannel::Sms, None, None)
        .expect("number free");
    assert_ne!(fresh.sid, v.sid);
}

#[test]
fn cancel_ends_a_pending_verification() {
    let (state, shared, _) = twilio();
    let v = state
        .start(TO, TwilioChannel::Sms, None, None)
        .expect("started");
    let right = code(&shared);
    assert_eq!(state.cancel(&v.sid).map(|c| c.status), Ok("canceled"));
    assert_eq!(state.cancel(&v.sid), Err(Refusal::NotFound));
    assert_eq!(
        state.check(Target::Sid(&v.sid), &right),
        Err(Refusal::NotFound)
    );
    assert_eq!(state.check(Target::To(TO), &right), Err(Refusal::NotFound));
}

#[test]
fn test_numbers_get_their_fixed_code_and_the_friendly_name_is_used() {
    let (state, shared, _) = twilio();
    state
        .start("+15555550100", TwilioChannel::Sms, Some("Acme"), None)
        .expect("started");
    let message = &shared.messages()[0];
    assert_eq!(message.code, "424242");
    assert!(message
        .text
        .starts_with("Your Acme verification code is: 424242"));
}
