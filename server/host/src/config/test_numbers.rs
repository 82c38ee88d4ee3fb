//! `TEST_NUMBERS`, `TEST_NUMBERS_UNTIL` and `TEST_NUMBERS_ANY_RANGE`: numbers that sign in
//! with a fixed code and send nothing, for app-store review and live checks, checked here so
//! an unsafe list stops the start with the variable's name.

use super::edge::parse_yes_no;
use super::ConfigError;
use app_core::auth::server::test_numbers::TestNumbers;
use app_core::domain::DefaultCountry;
use std::time::SystemTime;

/// Reads the three variables at `now`; `None` when `TEST_NUMBERS` is unset. A list needs
/// `TEST_NUMBERS_UNTIL`; `TEST_NUMBERS_UNTIL` or `TEST_NUMBERS_ANY_RANGE` alone is refused
/// too, as a sign of a half-made setting.
pub(super) fn parse_test_numbers(
    get: &impl Fn(&str) -> Option<String>,
    country: DefaultCountry,
    now: SystemTime,
) -> Result<Option<TestNumbers>, ConfigError> {
    let any_range = parse_yes_no("TEST_NUMBERS_ANY_RANGE", get("TEST_NUMBERS_ANY_RANGE"))?;
    let fail = |variable: &'static str, problem: String| ConfigError { variable, problem };
    let Some(spec) = get("TEST_NUMBERS") else {
        if get("TEST_NUMBERS_UNTIL").is_some() || any_range {
            return Err(fail(
                "TEST_NUMBERS",
                "TEST_NUMBERS_UNTIL or TEST_NUMBERS_ANY_RANGE is set without TEST_NUMBERS".into(),
            ));
        }
        return Ok(None);
    };
    let until = get("TEST_NUMBERS_UNTIL").ok_or_else(|| {
        fail(
            "TEST_NUMBERS_UNTIL",
            "required with TEST_NUMBERS: the last day they work (YYYY-MM-DD, at most 90 days ahead)"
                .into(),
        )
    })?;
    let now = app_core::clock::unix_seconds(now);
    TestNumbers::parse(&spec, &until, any_range, now, country)
        .map(Some)
        .map_err(|problem| fail("TEST_NUMBERS", problem))
}
