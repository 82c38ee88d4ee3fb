use super::*;

fn gb() -> DefaultCountry {
    "GB".parse().expect("GB is a country")
}

#[test]
fn international_input_gives_e164() {
    let n = PhoneNumber::parse("+44 7400 123123", gb()).expect("valid");
    assert_eq!(n.e164(), "+447400123123");
    assert_eq!(n.digits(), "447400123123");
    assert_eq!(n.international(), "+44 7400 123123");
}

#[test]
fn national_input_uses_default_country() {
    let n = PhoneNumber::parse("07400 123123", gb()).expect("valid");
    assert_eq!(n.e164(), "+447400123123");
    let us: DefaultCountry = "us".parse().expect("US");
    let n = PhoneNumber::parse("(201) 555-0123", us).expect("valid");
    assert_eq!(n.e164(), "+12015550123");
}

#[test]
fn idd_prefix_input_gives_e164() {
    let n = PhoneNumber::parse("0044 7400 123123", gb()).expect("valid");
    assert_eq!(n.e164(), "+447400123123");
}

#[test]
fn rejects_empty() {
    assert_eq!(
        PhoneNumber::parse("  ", gb()),
        Err(PhoneNumberProblem::Empty)
    );
}

#[test]
fn rejects_letters() {
    assert_eq!(
        PhoneNumber::parse("call me", gb()),
        Err(PhoneNumberProblem::NotANumber)
    );
    assert_eq!(
        PhoneNumber::parse("<script>", gb()),
        Err(PhoneNumberProblem::NotANumber)
    );
}

#[test]
fn rejects_too_short() {
    assert_eq!(
        PhoneNumber::parse("12", gb()),
        Err(PhoneNumberProblem::TooShort)
    );
}

#[test]
fn rejects_too_long() {
    assert_eq!(
        PhoneNumber::parse("+44 7400 123123 456789", gb()),
        Err(PhoneNumberProblem::TooLong)
    );
    assert_eq!(
        PhoneNumber::parse(&"1".repeat(1000), gb()),
        Err(PhoneNumberProblem::TooLong)
    );
}

#[test]
fn rejects_unknown_country_code() {
    assert_eq!(
        PhoneNumber::parse("+999 1234 5678", gb()),
        Err(PhoneNumberProblem::UnknownCountryCode)
    );
}

#[test]
fn rejects_number_not_valid_in_country() {
    assert_eq!(
        PhoneNumber::parse("+44 1234", gb()),
        Err(PhoneNumberProblem::Invalid)
    );
}

#[test]
fn rejects_premium_rate() {
    assert_eq!(
        PhoneNumber::parse("09098 790000", gb()),
        Err(PhoneNumberProblem::CannotReceiveCodes)
    );
}

#[test]
fn rejects_shared_cost() {
    assert_eq!(
        PhoneNumber::parse("0845 464 0000", gb()),
        Err(PhoneNumberProblem::CannotReceiveCodes)
    );
}

#[test]
fn rejects_uan_and_toll_free() {
    assert_eq!(
        PhoneNumber::parse("0800 123 4567", gb()),
        Err(PhoneNumberProblem::CannotReceiveCodes)
    );
    assert_eq!(
        PhoneNumber::parse("0300 123 4567", gb()),
        Err(PhoneNumberProblem::CannotReceiveCodes)
    );
}

#[test]
fn knows_the_country() {
    assert_eq!(
        PhoneNumber::parse("+4915112345678", gb()).map(|n| n.country().to_owned()),
        Ok("DE".into())
    );
}

#[test]
fn masks_for_logs() {
    let n = PhoneNumber::parse("+447400123456", gb()).expect("valid");
    assert_eq!(n.masked(), "+44******3456");
    assert!(!format!("{n:?}").contains("123456"));
}

#[test]
fn default_country_rejects_bad_code() {
    assert!("XX1".parse::<DefaultCountry>().is_err());
}

#[test]
fn precheck_refuses_what_parse_refuses_cheaply_and_passes_the_rest() {
    for (input, problem) in [
        ("", PhoneNumberProblem::Empty),
        ("   ", PhoneNumberProblem::Empty),
        ("12", PhoneNumberProblem::TooShort),
        ("07400 abc", PhoneNumberProblem::NotANumber),
        ("123456789012345678", PhoneNumberProblem::TooLong),
    ] {
        assert_eq!(
            PhoneNumberProblem::precheck(input),
            Err(problem),
            "{input:?}"
        );
        assert_eq!(
            PhoneNumber::parse(input, gb()).err(),
            Some(problem),
            "{input:?}"
        );
    }
    // Passing the precheck leaves the real verdict to the parser.
    assert_eq!(PhoneNumberProblem::precheck("07400 123123"), Ok(()));
    assert_eq!(PhoneNumberProblem::precheck("+999 1234"), Ok(()));
    assert!(PhoneNumber::parse("+999 1234", gb()).is_err());
}
