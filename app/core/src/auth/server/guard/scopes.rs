//! The scopes a destination number belongs to for the fraud guard: its country and its
//! number prefixes (the E.164 country calling code plus the next digits), most specific first.

use crate::domain::PhoneNumber;

/// The guard's scopes of one number, most specific (longest prefix) first, the country last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scopes(pub Vec<String>);

/// The scopes of `number` for prefixes of `prefix_digits` digits after its country calling
/// code (longest first), then `country:XX`. Prefixes longer than the number are skipped.
pub fn scopes_of(number: &PhoneNumber, prefix_digits: &[u8]) -> Scopes {
    let digits = number.digits();
    let code_len = calling_code_len(number);
    let mut lengths: Vec<usize> = prefix_digits
        .iter()
        .map(|d| code_len + usize::from(*d))
        .filter(|len| *len < digits.len())
        .collect();
    lengths.sort_unstable_by(|a, b| b.cmp(a));
    lengths.dedup();
    let mut scopes: Vec<String> = lengths
        .into_iter()
        .map(|len| format!("prefix:+{}", &digits[..len]))
        .collect();
    scopes.push(format!("country:{}", number.country()));
    Scopes(scopes)
}

/// The kind of a scope, for metric labels: `country` or `prefix`.
pub fn scope_kind(scope: &str) -> &'static str {
    if scope.starts_with("country:") {
        "country"
    } else {
        "prefix"
    }
}

/// Whether `number` starts with one of the `safe` E.164 prefixes (`+44`, `+1555`).
pub fn is_safe(number: &PhoneNumber, safe: &[String]) -> bool {
    safe.iter()
        .any(|prefix| number.e164().starts_with(prefix.as_str()))
}

/// Digits in the number's country calling code (1 to 3): looked up by its country in the
/// numbering-plan metadata (a map lookup; parsing the number again costs far more), or for a
/// non-geographic number (`001`), by the calling codes the metadata knows.
fn calling_code_len(number: &PhoneNumber) -> usize {
    let database = &*phonenumber::metadata::DATABASE;
    if let Some(metadata) = database.by_id(number.country()) {
        return metadata.country_code().to_string().len();
    }
    let digits = number.digits();
    (1..=3)
        .find(|len| {
            digits
                .get(..*len)
                .and_then(|code| code.parse::<u16>().ok())
                .is_some_and(|code| database.by_code(&code).is_some())
        })
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DefaultCountry;

    fn number(text: &str) -> PhoneNumber {
        let gb: DefaultCountry = "GB".parse().expect("GB");
        PhoneNumber::parse(text, gb).expect("valid")
    }

    #[test]
    fn prefixes_start_after_the_country_calling_code() {
        let uk = scopes_of(&number("+447400900123"), &[3, 5]);
        assert_eq!(uk.0, ["prefix:+4474009", "prefix:+44740", "country:GB"]);
        let us = scopes_of(&number("+12015550123"), &[3]);
        assert_eq!(us.0, ["prefix:+1201", "country:US"]);
        let ie = scopes_of(&number("+353861234567"), &[2]);
        assert_eq!(ie.0, ["prefix:+35386", "country:IE"]);
        // Non-geographic (Inmarsat +870, country "001"): the calling code is found by its digits.
        let global = scopes_of(&number("+870773123456"), &[2]);
        assert_eq!(global.0[0], "prefix:+87077", "{global:?}");
    }

    #[test]
    fn safe_prefixes_match_the_start_of_the_number() {
        let safe = vec!["+4474009".to_owned()];
        assert!(is_safe(&number("+447400900123"), &safe));
        assert!(!is_safe(&number("+447400123123"), &safe));
    }

    #[test]
    fn scope_kinds_label_metrics() {
        assert_eq!(scope_kind("country:GB"), "country");
        assert_eq!(scope_kind("prefix:+44770"), "prefix");
    }
}
