//! Unit tests of one request's timeline, on explicit times.

use super::*;
use crate::reachability::Reachability;
use std::time::{Duration, SystemTime};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Every channel reaches every number.
fn everywhere() -> Reachability {
    Reachability::default()
}

fn deliverer(reach: &Reachability) -> Deliverer<'_> {
    Deliverer {
        webotp_host: None,
        reach,
    }
}

fn new_pending(plan: Plan, api: Api) -> (Pending, SystemTime) {
    let t0 = SystemTime::UNIX_EPOCH + secs(1_700_000_000);
    let pending = Pending::new(
        api,
        "+447400123123".to_owned(),
        "Passwordless".to_owned(),
        6,
        None,
        plan,
        t0,
    );
    (pending, t0)
}

#[test]
fn plan_pads_missing_waits_and_never_is_empty() {
    let plan = Plan::new(&[], &[], None);
    assert_eq!(plan, Plan::new(&[Channel::Sms], &[secs(300)], None));
    let padded = Plan::new(
        &[Channel::Sms, Channel::Voice, Channel::Voice],
        &[secs(60)],
        None,
    );
    assert_eq!(padded.waits, [secs(60); 3]);
}

#[test]
fn v1_events_fall_due_a_wait_apart_and_late_ones_carry_their_due_time() {
    let plan = Plan::new(
        &[Channel::Sms, Channel::Voice, Channel::Voice],
        &[secs(125), secs(180), secs(300)],
        Some(secs(300)),
    );
    let (mut pending, t0) = new_pending(plan, Api::V1);
    assert_eq!(pending.next_due(), Some(t0 + secs(125)));
    assert_eq!(pending.ends_at(), None);
    let first_code = pending.code.clone();
    let reach = everywhere();
    let made = pending.catch_up("id", t0 + secs(1_000), &deliverer(&reach));
    let times: Vec<SystemTime> = made.iter().map(|(at, _)| *at).collect();
    assert_eq!(times, [t0 + secs(125), t0 + secs(305)]);
    assert_eq!(made[0].1.code, first_code, "the PIN still lives at 125");
    assert_eq!(made[1].1.code, pending.code, "a new PIN at 305");
    assert_eq!(pending.ends_at(), Some(t0 + secs(605)));
    assert!(made.iter().all(|(_, m)| m.cause == DeliveryCause::Auto));
}

#[test]
fn v1_request_ends_when_the_last_wait_and_the_pin_have_both_run_out() {
    let plan = Plan::new(&[Channel::Sms], &[secs(60)], Some(secs(300)));
    let (pending, t0) = new_pending(plan, Api::V1);
    assert_eq!(
        pending.ends_at(),
        Some(t0 + secs(300)),
        "PIN outlives the wait"
    );
    let plan = Plan::new(&[Channel::Sms], &[secs(900)], Some(secs(300)));
    let (pending, t0) = new_pending(plan, Api::V1);
    assert_eq!(
        pending.ends_at(),
        Some(t0 + secs(900)),
        "wait outlives the PIN"
    );
}

#[test]
fn a_v1_pin_matches_only_until_it_expires() {
    let plan = Plan::new(
        &[Channel::Sms, Channel::Voice],
        &[secs(400)],
        Some(secs(300)),
    );
    let (pending, t0) = new_pending(plan, Api::V1);
    let code = pending.code.clone();
    assert!(pending.matches(&code, t0 + secs(299)));
    assert!(!pending.matches(&code, t0 + secs(300)));
}

#[test]
fn v2_keeps_one_code_and_ends_after_the_last_channel_timeout() {
    let plan = Plan::every(&[Channel::Sms, Channel::Voice], secs(150));
    let (mut pending, t0) = new_pending(plan, Api::V2);
    let code = pending.code.clone();
    assert_eq!(pending.code_valid_until(), t0 + secs(300));
    let reach = everywhere();
    let d = deliverer(&reach);
    let made = pending.move_on("id", t0 + secs(40), DeliveryCause::Next, &d);
    let made: Vec<_> = made
        .expect("a voice call")
        .into_iter()
        .map(|m| (m.channel, m.code))
        .collect();
    assert_eq!(made, [("voice".to_owned(), code.clone())]);
    assert_eq!(
        pending.ends_at(),
        Some(t0 + secs(190)),
        "150 s after the voice call"
    );
    assert!(pending.matches(&code, t0 + secs(189)));
    assert!(pending
        .move_on("id", t0 + secs(41), DeliveryCause::Next, &d)
        .is_none());
}

#[test]
fn an_unreachable_step_falls_back_at_once_and_an_unreachable_last_step_ends_the_request() {
    let reach = Reachability::configured(&["447400123123".to_owned()], &[], &[]);
    let d = deliverer(&reach);
    let plan = Plan::every(&[Channel::Rcs, Channel::Sms, Channel::Rcs], secs(60));
    let (mut pending, t0) = new_pending(plan, Api::V2);
    let made = pending.begin("id", &d);
    let made: Vec<_> = made.iter().map(|m| (m.channel.as_str(), m.cause)).collect();
    assert_eq!(made, [("sms", DeliveryCause::Fallback)]);
    assert_eq!(pending.next_due(), Some(t0 + secs(60)));
    assert!(
        pending.catch_up("id", t0 + secs(60), &d).is_empty(),
        "no RCS"
    );
    assert_eq!(
        pending.ends_at(),
        Some(t0 + secs(60)),
        "the last step failed"
    );
}
