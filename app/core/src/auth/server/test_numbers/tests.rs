use super::*;

const NOW: u64 = 1_796_428_800; // 2026-12-05 00:00:00 UTC

fn gb() -> DefaultCountry {
    "GB".parse().expect("GB")
}

fn parse(spec: &str, until: &str) -> Result<TestNumbers, String> {
    TestNumbers::parse(spec, until, false, NOW, gb())
}

#[test]
fn reserved_numbers_sign_in_with_their_code_until_the_end_of_the_last_day() {
    let numbers = parse("07700 900123=123456, +1 201 555 0123=654321", "2027-01-31").expect("ok");
    assert_eq!(numbers.len(), 2);
    let code = |e164| match numbers.lookup(e164, NOW) {
        TestNumberUse::Active(pin) => Some(pin.expose().to_owned()),
        _ => None,
    };
    assert_eq!(code("+447700900123").as_deref(), Some("123456"));
    assert_eq!(code("+12015550123").as_deref(), Some("654321"));
    assert_eq!(
        numbers.lookup("+447700900124", NOW),
        TestNumberUse::NotListed
    );
    let last_second = numbers.stops_at() - 1;
    assert!(matches!(
        numbers.lookup("+447700900123", last_second),
        TestNumberUse::Active(_)
    ));
    assert_eq!(
        numbers.lookup("+447700900123", numbers.stops_at()),
        TestNumberUse::Expired
    );
    // 2027-02-01 00:00 UTC.
    assert_eq!(numbers.stops_at(), 1_801_440_000);
}

#[test]
fn unsafe_lists_are_refused_with_the_reason() {
    for (spec, until, reason) in [
        ("07700900123=12345", "2027-01-31", "exactly 6 digits"),
        ("07700900123=1234567", "2027-01-31", "exactly 6 digits"),
        ("07700900123=12a456", "2027-01-31", "exactly 6 digits"),
        (
            "07700900123=123456,+447700900123=111111",
            "2027-01-31",
            "listed twice",
        ),
        ("07700900123", "2027-01-31", "NUMBER=CODE"),
        ("", "2027-01-31", "no NUMBER=CODE"),
        (
            "07400123456=123456",
            "2027-01-31",
            "not in a range reserved",
        ),
        (
            "+12015550200=123456",
            "2027-01-31",
            "not in a range reserved",
        ),
        ("07700900123=123456", "2026-12-04", "in the past"),
        (
            "07700900123=123456",
            "2027-03-06",
            "more than 90 days ahead",
        ),
        ("07700900123=123456", "31/01/2027", "not a date"),
        ("07700900123=123456", "2027-02-30", "not a date"),
        ("12=123456", "2027-01-31", "not a usable number"),
    ] {
        let error = parse(spec, until).expect_err(spec);
        assert!(error.contains(reason), "{spec} / {until}: {error}");
    }
    let eleven: Vec<String> = (0..11).map(|i| format!("077009001{i:02}=123456")).collect();
    let error = parse(&eleven.join(","), "2027-01-31").expect_err("eleven");
    assert!(error.contains("at most 10"), "{error}");
    assert!(
        parse("07700900123=123456", "2026-12-05").is_ok(),
        "today is allowed"
    );
    assert!(
        parse("07700900123=123456", "2027-03-05").is_ok(),
        "90 days ahead is allowed"
    );
}

#[test]
fn any_range_is_an_explicit_opt_in() {
    let owned = TestNumbers::parse("07400 123456=123456", "2027-01-31", true, NOW, gb());
    assert!(owned.is_ok());
}

#[test]
fn reserved_ranges_are_exactly_the_documented_ones() {
    for reserved in [
        "+447700900000",
        "+447700900999",
        "+442079460123",
        "+441134960999",
        "+442890180001",
        "+441632960500",
        "+12125550100",
        "+13105550199",
    ] {
        assert!(ranges::is_reserved(reserved), "{reserved}");
    }
    for real in [
        "+447700901000",
        "+447400123456",
        "+442079461000",
        "+12125550200",
        "+12125550099",
        "+12125551234",
        "+33612345678",
        "+4477009001234",
    ] {
        assert!(!ranges::is_reserved(real), "{real}");
    }
}

#[test]
fn drama_numbers_parse_only_where_unallocated_numbers_are_asked_for() {
    assert_eq!(
        PhoneNumber::parse("07700 900123", gb()).map(|n| n.e164().to_owned()),
        Err(crate::domain::PhoneNumberProblem::Invalid),
        "no network has them, so a visitor cannot type one by default"
    );
    let drama = PhoneNumber::parse_unallocated("07700 900123", gb()).expect("unallocated");
    assert_eq!((drama.e164(), drama.country()), ("+447700900123", "GB"));
    assert!(PhoneNumber::parse_unallocated("0770", gb()).is_err());
    assert!(PhoneNumber::parse_unallocated("+999 123456789", gb()).is_err());
}

mod provider {
    use super::*;
    use crate::auth::server::clock::{unix_seconds, Clock, ManualClock};
    use crate::auth::server::verify_port::*;
    use async_trait::async_trait;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Counts every call that reaches the real provider.
    #[derive(Default)]
    struct Upstream(AtomicUsize);

    #[async_trait]
    impl VerifyProvider for Upstream {
        async fn start(&self, _: &StartVerification) -> Result<Started, StartFailure> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(Started {
                request_id: RequestId::new("real"),
                resumed: false,
                check_url: None,
            })
        }
        async fn check(&self, _: &RequestId, _: &Pin) -> Result<(), CheckFailure> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Err(CheckFailure::WrongCode)
        }
        async fn next_channel(&self, _: &RequestId) -> Result<(), ControlFailure> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
        async fn cancel(&self, _: &RequestId) -> Result<(), ControlFailure> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
        fn name(&self) -> &'static str {
            "upstream"
        }
    }

    fn start_of(number: &PhoneNumber) -> StartVerification {
        StartVerification {
            number: number.clone(),
            brand: "Test".into(),
            locale: None,
            fallback_locales: Vec::new(),
            channel: crate::auth::Channel::Sms,
            silent_return: None,
        }
    }

    #[tokio::test]
    async fn a_test_number_never_reaches_the_provider_and_a_real_one_always_does() {
        let clock = ManualClock::new();
        let now = unix_seconds(clock.now());
        let until = time::OffsetDateTime::from_unix_timestamp(now as i64 + 86_400)
            .expect("time")
            .date()
            .to_string();
        let numbers =
            TestNumbers::parse("07700900123=123456", &until, false, now, gb()).expect("ok");
        let upstream = Arc::new(Upstream::default());
        let provider = TestNumberProvider::new(upstream.clone(), numbers, Arc::new(clock.clone()));
        let test = PhoneNumber::parse_unallocated("07700900123", gb()).expect("test");
        let real = PhoneNumber::parse("07400123456", gb()).expect("real");
        assert!(provider.sends_nothing_to(&test));
        assert!(!provider.sends_nothing_to(&real));

        let started = provider.start(&start_of(&test)).await.expect("started");
        let pin = |s: &str| Pin::parse(s).expect("pin");
        assert_eq!(
            provider.check(&started.request_id, &pin("000000")).await,
            Err(CheckFailure::WrongCode)
        );
        assert_eq!(provider.next_channel(&started.request_id).await, Ok(()));
        assert_eq!(
            provider.check(&started.request_id, &pin("123456")).await,
            Ok(())
        );
        assert_eq!(provider.cancel(&started.request_id).await, Ok(()));
        assert_eq!(
            upstream.0.load(Ordering::SeqCst),
            0,
            "nothing went upstream"
        );

        let real_started = provider.start(&start_of(&real)).await.expect("started");
        assert_eq!(
            provider
                .check(&real_started.request_id, &pin("123456"))
                .await,
            Err(CheckFailure::WrongCode),
            "the test code means nothing for a real number"
        );
        assert_eq!(upstream.0.load(Ordering::SeqCst), 2);

        clock.advance(std::time::Duration::from_secs(3 * 86_400));
        assert!(!provider.sends_nothing_to(&test));
        assert_eq!(
            provider.start(&start_of(&test)).await,
            Err(StartFailure::InvalidNumber)
        );
        assert_eq!(
            provider.check(&started.request_id, &pin("123456")).await,
            Err(CheckFailure::NotFound)
        );
        assert_eq!(
            upstream.0.load(Ordering::SeqCst),
            2,
            "an expired test number is refused, not sent"
        );
    }
}
