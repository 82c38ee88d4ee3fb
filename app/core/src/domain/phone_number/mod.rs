//! A phone number that a code can be sent to, always held in E.164 form.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A valid phone number. Built only by [`PhoneNumber::parse`] (server side, where the
/// numbering-plan metadata lives), so holding one means the number was checked.
/// `Debug` and [`PhoneNumber::masked`] hide the middle digits for logs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber {
    e164: String,
    international: String,
    // Added after the first release: sessions written before it still load.
    #[serde(default)]
    country: String,
}

/// Why a typed number was rejected; each maps to one short user message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhoneNumberProblem {
    /// Nothing was typed.
    Empty,
    /// Letters or symbols that cannot be part of a phone number.
    NotANumber,
    /// The `+` country code does not exist.
    UnknownCountryCode,
    /// Fewer digits than any number in that country has.
    TooShort,
    /// More digits than any number can have.
    TooLong,
    /// The digits do not form a number in use in that country.
    Invalid,
    /// A number type that cannot receive codes or costs extra: premium rate, shared cost,
    /// UAN, voicemail, pager, personal, toll-free or unknown.
    CannotReceiveCodes,
    /// The number's country is not in `ALLOWED_COUNTRIES`.
    CountryNotAllowed,
}

impl PhoneNumber {
    /// The number in E.164 form, e.g. `+447400123123`.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// E.164 without the `+`, as the Vonage APIs want it, e.g. `447400123123`.
    pub fn digits(&self) -> &str {
        self.e164.trim_start_matches('+')
    }

    /// Human-readable international form, e.g. `+44 7400 123123`.
    pub fn international(&self) -> &str {
        &self.international
    }

    /// The ISO 3166 alpha-2 country of the number (`GB`), or `001` for non-geographic ones.
    pub fn country(&self) -> &str {
        &self.country
    }

    /// The number with all but the country code and last four digits hidden, for logs:
    /// `+44******0123`.
    pub fn masked(&self) -> String {
        mask(&self.e164)
    }
}

/// Masks an E.164-like string, keeping the first 3 and last 4 characters.
pub fn mask(e164: &str) -> String {
    let chars: Vec<char> = e164.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - 7;
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(hidden))
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

impl PhoneNumberProblem {
    /// The checks that need no numbering-plan data, shared by the browser (before any call)
    /// and the server (before the parser): something typed, at most 40 characters, only
    /// digits and `+-().` and spaces, 4 to 17 digits. Passing says nothing about validity.
    pub fn precheck(input: &str) -> Result<(), PhoneNumberProblem> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Self::Empty);
        }
        // Longest real numbers are 15 digits; allow generous punctuation, refuse the rest
        // before the parser sees it.
        if trimmed.len() > 40 {
            return Err(Self::TooLong);
        }
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        {
            return Err(Self::NotANumber);
        }
        match trimmed.chars().filter(char::is_ascii_digit).count() {
            0..=3 => Err(Self::TooShort),
            18.. => Err(Self::TooLong),
            _ => Ok(()),
        }
    }

    /// The sentence shown next to the number field, in `locale`.
    pub fn message(self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::td_string;
        match self {
            Self::Empty => td_string!(locale, number_problem.empty),
            Self::NotANumber => td_string!(locale, number_problem.not_a_number),
            Self::UnknownCountryCode => td_string!(locale, number_problem.unknown_country_code),
            Self::TooShort => td_string!(locale, number_problem.too_short),
            Self::TooLong => td_string!(locale, number_problem.too_long),
            Self::Invalid => td_string!(locale, number_problem.invalid),
            Self::CannotReceiveCodes => td_string!(locale, number_problem.cannot_receive),
            Self::CountryNotAllowed => td_string!(locale, number_problem.country_not_allowed),
        }
        .to_owned()
    }
}

#[cfg(feature = "ssr")]
mod parse {
    use super::{PhoneNumber, PhoneNumberProblem};
    use phonenumber::{country, Mode};
    use std::str::FromStr;

    /// The country assumed for numbers typed without a `+` country code.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct DefaultCountry(country::Id);

    impl FromStr for DefaultCountry {
        type Err = String;

        /// Parses an ISO 3166 alpha-2 code such as `GB` or `us`.
        fn from_str(code: &str) -> Result<Self, Self::Err> {
            country::Id::from_str(&code.trim().to_ascii_uppercase())
                .map(Self)
                .map_err(|_| format!("`{code}` is not a two-letter country code such as GB or US"))
        }
    }

    impl PhoneNumber {
        /// Parses what a user typed: international (`+44 7400 123123`, `0044…`) or national
        /// (`07400 123123`, read as a number of `default_country`).
        pub fn parse(
            input: &str,
            default_country: DefaultCountry,
        ) -> Result<Self, PhoneNumberProblem> {
            PhoneNumberProblem::precheck(input)?;
            let trimmed = input.trim();
            let parsed = phonenumber::parse(Some(default_country.0), trimmed).map_err(|e| {
                use phonenumber::ParseError as E;
                match e {
                    E::NoNumber => PhoneNumberProblem::TooShort,
                    E::InvalidCountryCode => PhoneNumberProblem::UnknownCountryCode,
                    E::TooShortAfterIdd | E::TooShortNsn => PhoneNumberProblem::TooShort,
                    E::TooLong => PhoneNumberProblem::TooLong,
                    E::MalformedInteger(_) => PhoneNumberProblem::NotANumber,
                }
            })?;
            if !parsed.is_valid() {
                return Err(PhoneNumberProblem::Invalid);
            }
            if !can_receive_codes(parsed.number_type(&phonenumber::metadata::DATABASE)) {
                return Err(PhoneNumberProblem::CannotReceiveCodes);
            }
            Ok(Self::from_parsed(&parsed))
        }

        /// Parses as [`Self::parse`] does but accepts a number no network has been given
        /// (such as the ranges reserved for drama, e.g. `07700 900123`), as long as its
        /// country code and length are right. Only for numbers the operator listed as test
        /// numbers: nothing is ever sent to them.
        pub fn parse_unallocated(
            input: &str,
            default_country: DefaultCountry,
        ) -> Result<Self, PhoneNumberProblem> {
            match Self::parse(input, default_country) {
                Err(PhoneNumberProblem::Invalid) => {}
                other => return other,
            }
            let parsed = phonenumber::parse(Some(default_country.0), input.trim())
                .map_err(|_| PhoneNumberProblem::Invalid)?;
            let national = parsed.national().value().to_string();
            let code = parsed.code().value();
            // A shared calling code (+1, +44 with its dependencies) names its main region
            // first.
            let region = phonenumber::metadata::DATABASE
                .region(&code)
                .and_then(|regions| regions.first().map(|r| (*r).to_owned()));
            match (region, (7..=13).contains(&national.len())) {
                (Some(region), true) => {
                    let mut number = Self::from_parsed(&parsed);
                    number.country = region;
                    Ok(number)
                }
                _ => Err(PhoneNumberProblem::Invalid),
            }
        }

        fn from_parsed(parsed: &phonenumber::PhoneNumber) -> Self {
            PhoneNumber {
                e164: parsed.format().mode(Mode::E164).to_string(),
                international: parsed.format().mode(Mode::International).to_string(),
                country: parsed
                    .country()
                    .id()
                    .map_or_else(|| "001".to_owned(), |id| id.as_ref().to_owned()),
            }
        }
    }

    /// Types a code can reach by SMS or by the voice fallback at normal cost. Premium-rate,
    /// shared-cost and service numbers are what SMS-pumping fraud targets.
    fn can_receive_codes(kind: phonenumber::Type) -> bool {
        use phonenumber::Type as T;
        matches!(
            kind,
            T::Mobile | T::FixedLineOrMobile | T::FixedLine | T::Voip
        )
    }
}

#[cfg(feature = "ssr")]
pub use parse::DefaultCountry;

#[cfg(all(test, feature = "ssr"))]
mod tests;
