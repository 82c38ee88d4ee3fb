//! Every edge parser on arbitrary bytes: `PhoneNumber::parse`, `Pin::parse` and `safe_next`.
//! Contracts checked: nothing panics; a parsed number is E.164 and re-parses to itself; a
//! parsed PIN is 4 to 10 ASCII digits; a kept `next` path is same-origin.

#![no_main]

use app_core::auth::safe_next;
use app_core::domain::{DefaultCountry, PhoneNumber, Pin};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(pin) = Pin::parse(input) {
        let digits = pin.expose();
        assert!((4..=10).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()));
    }
    let gb: DefaultCountry = "GB".parse().expect("GB is a country");
    if let Ok(number) = PhoneNumber::parse(input, gb) {
        let e164 = number.e164();
        assert!(e164.starts_with('+') && e164[1..].bytes().all(|b| b.is_ascii_digit()));
        let again = PhoneNumber::parse(e164, gb).expect("E.164 re-parses");
        assert_eq!(again.e164(), e164);
    }
    if let Some(next) = safe_next(input) {
        assert!(next.starts_with('/') && !next.starts_with("//") && !next.contains('\\'));
    }
});
