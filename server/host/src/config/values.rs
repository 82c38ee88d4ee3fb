//! Parsers for single settings; each failure names its variable.

use super::ConfigError;
use std::collections::HashMap;

pub(super) fn parse_or<T: std::str::FromStr>(
    variable: &'static str,
    value: Option<String>,
    default: &str,
) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    let raw = value.unwrap_or_else(|| default.to_owned());
    raw.parse().map_err(|e| ConfigError {
        variable,
        problem: format!("`{raw}` is not valid ({e})"),
    })
}

pub(super) fn parse_test_numbers(raw: &str) -> Result<HashMap<String, String>, ConfigError> {
    let fail = |problem: String| ConfigError {
        variable: "EMULATOR_TEST_NUMBERS",
        problem,
    };
    raw.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let (number, code) = entry
                .split_once('=')
                .ok_or_else(|| fail(format!("`{entry}` is not NUMBER=CODE")))?;
            let (number, code) = (number.trim(), code.trim());
            let number_ok = number.starts_with('+')
                && number.len() > 4
                && number[1..].chars().all(|c| c.is_ascii_digit());
            if !number_ok {
                return Err(fail(format!(
                    "`{number}` is not an E.164 number such as +12015550100"
                )));
            }
            if !(4..=10).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_digit()) {
                return Err(fail(format!(
                    "the code for {number} must be 4 to 10 digits"
                )));
            }
            Ok((number.to_owned(), code.to_owned()))
        })
        .collect()
}
