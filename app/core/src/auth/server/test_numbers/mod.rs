//! Test numbers for production (`TEST_NUMBERS`, `TEST_NUMBERS_UNTIL`): a few numbers that
//! sign in with a fixed code under any provider, sending nothing, for app-store review and
//! live end-to-end checks. Safe by construction: at most ten, six-digit codes, an end date
//! at most 90 days ahead after which they stop, and only numbers from ranges reserved for
//! fiction unless the operator opts in (see [`ranges`]).

mod provider;
pub mod ranges;

pub use provider::TestNumberProvider;

use crate::domain::{DefaultCountry, PhoneNumber, Pin};
use std::collections::HashMap;

/// Most test numbers allowed.
pub const MAX_TEST_NUMBERS: usize = 10;
/// Furthest end date allowed, in days from today.
pub const MAX_DAYS_AHEAD: u64 = 90;

/// What a number is to the test-number list at a given time.
#[derive(Debug, PartialEq, Eq)]
pub enum TestNumberUse<'a> {
    /// Not a test number: the provider handles it.
    NotListed,
    /// A test number in force: this is its code.
    Active(&'a Pin),
    /// A test number past `TEST_NUMBERS_UNTIL`: it no longer signs in.
    Expired,
}

/// The configured test numbers and when they stop.
#[derive(Clone, Debug)]
pub struct TestNumbers {
    codes: HashMap<String, Pin>,
    /// Unix second from which they stop (midnight UTC after the end date).
    stops_at: u64,
}

impl TestNumbers {
    /// Parses `spec` (`NUMBER=CODE,…`) and `until` (`YYYY-MM-DD`, the last day they work,
    /// UTC) at `now`; numbers are read as `country`'s when typed without `+`. Refuses: a code
    /// that is not exactly 6 digits, an unreadable or duplicate number, more than
    /// [`MAX_TEST_NUMBERS`], a date in the past or more than [`MAX_DAYS_AHEAD`] days ahead,
    /// and (unless `any_range`) a number outside [`ranges::is_reserved`]. The error says which
    /// and why, for the start-up message.
    pub fn parse(
        spec: &str,
        until: &str,
        any_range: bool,
        now: u64,
        country: DefaultCountry,
    ) -> Result<Self, String> {
        let stops_at = parse_until(until, now)?;
        let mut codes = HashMap::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (typed, code) = entry
                .split_once('=')
                .ok_or_else(|| format!("`{entry}` is not NUMBER=CODE"))?;
            let number = PhoneNumber::parse_unallocated(typed, country).map_err(|problem| {
                format!("`{}` is not a usable number ({problem:?})", typed.trim())
            })?;
            let code = code.trim();
            if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "the code for {} must be exactly 6 digits",
                    number.e164()
                ));
            }
            let pin = Pin::parse(code).map_err(|p| format!("code for {}: {p:?}", number.e164()))?;
            if !any_range && !ranges::is_reserved(number.e164()) {
                return Err(format!(
                    "{} is not in a range reserved for fiction or testing (see README); \
                     set TEST_NUMBERS_ANY_RANGE=yes only for a number you own",
                    number.e164()
                ));
            }
            if codes.insert(number.e164().to_owned(), pin).is_some() {
                return Err(format!("{} is listed twice", number.e164()));
            }
        }
        if codes.is_empty() {
            return Err("no NUMBER=CODE pair".to_owned());
        }
        if codes.len() > MAX_TEST_NUMBERS {
            return Err(format!(
                "{} numbers; at most {MAX_TEST_NUMBERS}",
                codes.len()
            ));
        }
        Ok(Self { codes, stops_at })
    }

    /// What `e164` is at `now`.
    pub fn lookup(&self, e164: &str, now: u64) -> TestNumberUse<'_> {
        match self.codes.get(e164) {
            None => TestNumberUse::NotListed,
            Some(_) if now >= self.stops_at => TestNumberUse::Expired,
            Some(pin) => TestNumberUse::Active(pin),
        }
    }

    /// How many numbers are listed.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// `true` when none are (never, once parsed).
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Unix second from which the numbers stop working.
    pub fn stops_at(&self) -> u64 {
        self.stops_at
    }
}

/// The Unix second after the last day `until` (`YYYY-MM-DD`, UTC), checked against `now`.
fn parse_until(until: &str, now: u64) -> Result<u64, String> {
    let bad = || format!("TEST_NUMBERS_UNTIL `{until}` is not a date such as 2027-01-31");
    let mut parts = until.trim().splitn(3, '-');
    let mut next = |len: usize| {
        parts
            .next()
            .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u16>().ok())
            .ok_or_else(bad)
    };
    let (year, month, day) = (next(4)?, next(2)?, next(2)?);
    let month =
        time::Month::try_from(u8::try_from(month).map_err(|_| bad())?).map_err(|_| bad())?;
    let date = time::Date::from_calendar_date(
        i32::from(year),
        month,
        u8::try_from(day).map_err(|_| bad())?,
    )
    .map_err(|_| bad())?;
    let last_day_starts = date.midnight().assume_utc().unix_timestamp();
    let stops_at = u64::try_from(last_day_starts).map_err(|_| bad())? + 86_400;
    if stops_at <= now {
        return Err(format!("TEST_NUMBERS_UNTIL {until} is in the past"));
    }
    if stops_at > now + (MAX_DAYS_AHEAD + 1) * 86_400 {
        return Err(format!(
            "TEST_NUMBERS_UNTIL {until} is more than {MAX_DAYS_AHEAD} days ahead"
        ));
    }
    Ok(stops_at)
}

#[cfg(test)]
mod tests;
