//! Unit tests of the reachability rules.

use super::*;

fn setting(number: Option<&str>, rcs: Option<bool>) -> ReachabilitySetting {
    ReachabilitySetting {
        number: number.map(str::to_owned),
        rcs,
        ..ReachabilitySetting::default()
    }
}

#[test]
fn configured_numbers_are_unreachable_and_others_reachable() {
    let reach = Reachability::configured(
        &["447700900001".to_owned(), "not a number".to_owned()],
        &["+447700900002".to_owned()],
        &[],
    );
    assert!(!reach.reaches("+447700900001", Channel::Rcs));
    assert!(reach.reaches("+447700900001", Channel::WhatsApp));
    assert!(!reach.reaches("+447700900002", Channel::WhatsApp));
    assert!(reach.reaches("+447700900003", Channel::Rcs));
    assert!(
        reach.reaches("+447700900001", Channel::Sms),
        "SMS reaches everyone"
    );
}

#[test]
fn a_number_flag_beats_the_default_and_reset_restores_the_configuration() {
    let mut reach = Reachability::configured(&["447700900001".to_owned()], &[], &[]);
    reach.apply(&setting(None, Some(false))).expect("valid");
    assert!(!reach.reaches("+447700900009", Channel::Rcs));
    reach
        .apply(&setting(Some("447700900009"), Some(true)))
        .expect("valid");
    assert!(reach.reaches("+447700900009", Channel::Rcs));
    reach
        .apply(&setting(Some("+447700900001"), Some(true)))
        .expect("valid");
    assert!(reach.reaches("+447700900001", Channel::Rcs));
    reach.reset();
    assert!(!reach.reaches("+447700900001", Channel::Rcs));
    assert!(reach.reaches("+447700900009", Channel::Rcs));
}

#[test]
fn bad_changes_are_refused() {
    let mut reach = Reachability::default();
    assert!(reach.apply(&setting(None, None)).is_err(), "no flag");
    assert!(reach.apply(&setting(Some("12"), Some(false))).is_err());
    assert_eq!(reach.view()["numbers"], json!({}));
}
