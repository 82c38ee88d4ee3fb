//! Property tests for everything parsed at the edge: any input either parses into a value
//! that keeps its contract or is refused with a reason; nothing panics.

#![cfg(feature = "ssr")]

use app_core::auth::safe_next;
use app_core::domain::{DefaultCountry, PhoneNumber, Pin};
use proptest::prelude::*;

fn gb() -> DefaultCountry {
    "GB".parse().expect("GB is a country")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn pin_parse_never_panics_and_ok_means_4_to_10_digits(input in any::<String>()) {
        if let Ok(pin) = Pin::parse(&input) {
            let digits = pin.expose();
            prop_assert!((4..=10).contains(&digits.len()));
            prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn any_4_to_10_digits_parse_to_themselves(code in "[0-9]{4,10}") {
        let pin = Pin::parse(&code).expect("digits parse");
        prop_assert_eq!(pin.expose(), code.as_str());
    }

    #[test]
    fn spaces_and_dashes_between_digits_are_ignored(code in "[0-9]{6}", seps in proptest::collection::vec("[ -]?", 6)) {
        let typed: String = code.chars().zip(seps.iter()).map(|(c, s)| format!("{c}{s}")).collect();
        let pin = Pin::parse(&typed).expect("separated digits parse");
        prop_assert_eq!(pin.expose(), code.as_str());
    }

    #[test]
    fn phone_parse_never_panics_and_ok_means_e164(input in any::<String>()) {
        if let Ok(number) = PhoneNumber::parse(&input, gb()) {
            let e164 = number.e164();
            prop_assert!(e164.starts_with('+'));
            prop_assert!(e164[1..].bytes().all(|b| b.is_ascii_digit()));
            prop_assert!(e164.len() <= 16);
        }
    }

    #[test]
    fn phone_parse_of_plausible_input_is_idempotent(input in "\\+?[0-9 ()-]{4,20}") {
        if let Ok(number) = PhoneNumber::parse(&input, gb()) {
            let again = PhoneNumber::parse(number.e164(), gb()).expect("E.164 output parses again");
            prop_assert_eq!(again.e164(), number.e164());
            let from_display = PhoneNumber::parse(number.international(), gb()).expect("display form parses");
            prop_assert_eq!(from_display.e164(), number.e164());
        }
    }

    #[test]
    fn masked_numbers_never_show_the_middle(input in "\\+44 ?7[0-9]{9}") {
        if let Ok(number) = PhoneNumber::parse(&input, gb()) {
            let masked = number.masked();
            prop_assert_eq!(masked.len(), number.e164().len());
            prop_assert!(masked[3..masked.len() - 4].chars().all(|c| c == '*'));
        }
    }

    #[test]
    fn safe_next_only_yields_same_site_paths(input in any::<String>()) {
        if let Some(path) = safe_next(&input) {
            prop_assert!(path.starts_with('/'));
            prop_assert!(!path.starts_with("//"));
            prop_assert!(!path.contains('\\'));
            prop_assert!(!path.chars().any(char::is_whitespace));
        }
    }

    #[test]
    fn safe_next_refuses_every_host_prefixed_form(host in "[a-z]{1,10}\\.[a-z]{2,3}", scheme in "(https?:)?") {
        let absolute = format!("{scheme}//{host}/account");
        prop_assert_eq!(safe_next(&absolute), None);
    }
}
