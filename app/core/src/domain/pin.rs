//! A one-time code as typed by the user.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Shortest code any supported provider issues.
pub const MIN_DIGITS: usize = 4;
/// Longest code any supported provider issues.
pub const MAX_DIGITS: usize = 10;

/// A one-time code: 4 to 10 ASCII digits. Spaces and dashes typed or pasted between
/// digits are dropped. `Debug` never prints the digits, so a `Pin` cannot leak into logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

/// Why a typed code was rejected; each maps to one short user message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PinProblem {
    /// Nothing was typed.
    Empty,
    /// Something other than digits, spaces or dashes was typed.
    NotDigits,
    /// Fewer than [`MIN_DIGITS`] digits.
    TooShort,
    /// More than [`MAX_DIGITS`] digits.
    TooLong,
}

impl Pin {
    /// Parses user input into a code, or says what is wrong with it.
    pub fn parse(input: &str) -> Result<Self, PinProblem> {
        // Bound the work on hostile input before looking at every character.
        if input.len() > 64 {
            return Err(PinProblem::TooLong);
        }
        let mut digits = String::with_capacity(MAX_DIGITS);
        for c in input.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' => {}
                _ => return Err(PinProblem::NotDigits),
            }
        }
        match digits.len() {
            0 => Err(PinProblem::Empty),
            n if n < MIN_DIGITS => Err(PinProblem::TooShort),
            n if n > MAX_DIGITS => Err(PinProblem::TooLong),
            _ => Ok(Self(digits)),
        }
    }

    /// The digits, for sending to the provider and nowhere else.
    /// The code the mobile network hands the browser after silent authentication (Vonage
    /// v2's `check_url` redirect): never typed, so kept as given when it is 4 to 64 ASCII
    /// letters, digits, `-` or `_`; anything else is `None`.
    pub fn from_silent_auth(raw: &str) -> Option<Self> {
        let fits = (4..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        fits.then(|| Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pin(<{} digits>)", self.0.len())
    }
}

impl PinProblem {
    /// The sentence shown next to the code field, in `locale`.
    pub fn message(self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::td_string;
        match self {
            Self::Empty => td_string!(locale, code_problem.empty),
            Self::NotDigits => td_string!(locale, code_problem.not_digits),
            Self::TooShort => td_string!(locale, code_problem.too_short),
            Self::TooLong => td_string!(locale, code_problem.too_long),
        }
        .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_six_digits() {
        assert_eq!(
            Pin::parse("123456").map(|p| p.expose().to_owned()),
            Ok("123456".into())
        );
    }

    #[test]
    fn accepts_pasted_code_with_spaces_and_dashes() {
        assert_eq!(
            Pin::parse(" 123-456 ").map(|p| p.expose().to_owned()),
            Ok("123456".into())
        );
    }

    #[test]
    fn accepts_four_and_ten_digit_bounds() {
        assert!(Pin::parse("1234").is_ok());
        assert!(Pin::parse("1234567890").is_ok());
    }

    #[test]
    fn rejects_empty() {
        assert_eq!(Pin::parse(""), Err(PinProblem::Empty));
        assert_eq!(Pin::parse("   "), Err(PinProblem::Empty));
    }

    #[test]
    fn rejects_letters() {
        assert_eq!(Pin::parse("12a456"), Err(PinProblem::NotDigits));
    }

    #[test]
    fn rejects_non_ascii_digits() {
        assert_eq!(Pin::parse("١٢٣٤٥٦"), Err(PinProblem::NotDigits));
    }

    #[test]
    fn rejects_too_short() {
        assert_eq!(Pin::parse("123"), Err(PinProblem::TooShort));
    }

    #[test]
    fn rejects_too_long() {
        assert_eq!(Pin::parse("12345678901"), Err(PinProblem::TooLong));
    }

    #[test]
    fn rejects_huge_input_without_scanning_it() {
        assert_eq!(Pin::parse(&"1".repeat(1_000_000)), Err(PinProblem::TooLong));
    }

    #[test]
    fn debug_hides_digits() {
        let pin = Pin::parse("987654").expect("valid pin");
        assert!(!format!("{pin:?}").contains("987654"));
    }
}
