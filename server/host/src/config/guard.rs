//! The `GUARD_*` settings of the SMS-pumping guard.

use super::ConfigError;
use app_core::auth::server::guard::{GuardMode, GuardSettings};
use app_core::auth::server::store::blocks::BlockTerms;
use std::time::Duration;

/// Reads `GUARD_MODE`, `GUARD_MIN_SENDS`, `GUARD_MIN_CONVERSION`, `GUARD_WINDOW`,
/// `GUARD_BLOCK_FOR`, `GUARD_MAX_BLOCK`, `GUARD_PREFIX_DIGITS` and `GUARD_SAFE_LIST` (unset:
/// the [`GuardSettings`] defaults).
pub(super) fn parse_guard(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<GuardSettings, ConfigError> {
    let fail = |variable: &'static str, problem: String| ConfigError { variable, problem };
    let defaults = GuardSettings::default();
    let mode = match get("GUARD_MODE").as_deref().map(str::trim) {
        None | Some("audit") => GuardMode::Audit,
        Some("enforce") => GuardMode::Enforce,
        Some("off") => GuardMode::Off,
        Some(other) => {
            return Err(fail(
                "GUARD_MODE",
                format!("`{other}` is not off, audit or enforce"),
            ))
        }
    };
    let min_sends = match get("GUARD_MIN_SENDS") {
        None => defaults.min_sends,
        Some(raw) => raw
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1_000_000).contains(n))
            .ok_or_else(|| fail("GUARD_MIN_SENDS", format!("`{raw}` is not 1 to 1000000")))?,
    };
    let min_conversion = match get("GUARD_MIN_CONVERSION") {
        None => defaults.min_conversion,
        Some(raw) => parse_share(&raw).ok_or_else(|| {
            fail(
                "GUARD_MIN_CONVERSION",
                format!("`{raw}` is not a share such as 0.35 or 35%"),
            )
        })?,
    };
    let span = |variable: &'static str, fallback: Duration| match get(variable) {
        None => Ok(fallback),
        Some(raw) => parse_span(&raw).ok_or_else(|| {
            fail(
                variable,
                format!("`{raw}` is not a time such as 30m, 1h or 1d"),
            )
        }),
    };
    let window = span("GUARD_WINDOW", defaults.window)?;
    let base = span("GUARD_BLOCK_FOR", Duration::from_secs(defaults.terms.base))?;
    let max = span("GUARD_MAX_BLOCK", Duration::from_secs(defaults.terms.max))?;
    if max < base {
        return Err(fail(
            "GUARD_MAX_BLOCK",
            "must be at least GUARD_BLOCK_FOR".into(),
        ));
    }
    let prefix_digits = match get("GUARD_PREFIX_DIGITS") {
        None => defaults.prefix_digits,
        Some(raw) => raw
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.parse::<u8>().ok().filter(|d| (1..=12).contains(d)))
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| {
                fail(
                    "GUARD_PREFIX_DIGITS",
                    format!("`{raw}` is not a list of digit counts 1 to 12 such as 3,5"),
                )
            })?,
    };
    let safe_list = get("GUARD_SAFE_LIST")
        .map(|raw| {
            raw.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let ok = p.len() > 1
                        && p.starts_with('+')
                        && p[1..].chars().all(|c| c.is_ascii_digit());
                    ok.then(|| p.to_owned()).ok_or_else(|| {
                        fail(
                            "GUARD_SAFE_LIST",
                            format!("`{p}` is not an E.164 prefix such as +44 or +1555"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?
        .unwrap_or_default();
    Ok(GuardSettings {
        mode,
        prefix_digits,
        window,
        min_sends,
        min_conversion,
        terms: BlockTerms {
            base: base.as_secs(),
            max: max.as_secs(),
        },
        safe_list,
    })
}

/// `0.35` or `35%`, between 0 and 1.
fn parse_share(raw: &str) -> Option<f64> {
    let raw = raw.trim();
    let share = match raw.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f64>().ok()? / 100.0,
        None => raw.parse::<f64>().ok()?,
    };
    (0.0..=1.0).contains(&share).then_some(share)
}

/// `90s`, `30m`, `1h`, `2d`: at least a minute, at most 30 days.
fn parse_span(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    let split = raw.find(|c: char| !c.is_ascii_digit())?;
    let (amount, unit) = raw.split_at(split);
    let unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    let seconds = amount.parse::<u64>().ok()?.checked_mul(unit)?;
    (60..=30 * 86_400)
        .contains(&seconds)
        .then(|| Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> Result<GuardSettings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        parse_guard(&|key: &str| map.get(key).cloned())
    }

    #[test]
    fn defaults_audit_with_vonages_threshold() {
        let settings = parse(&[]).expect("defaults");
        assert_eq!(settings.mode, GuardMode::Audit);
        assert_eq!((settings.min_sends, settings.min_conversion), (20, 0.35));
        assert_eq!(
            settings.terms,
            BlockTerms {
                base: 3600,
                max: 86_400
            }
        );
    }

    #[test]
    fn every_setting_is_read() {
        let settings = parse(&[
            ("GUARD_MODE", "enforce"),
            ("GUARD_MIN_SENDS", "50"),
            ("GUARD_MIN_CONVERSION", "20%"),
            ("GUARD_WINDOW", "30m"),
            ("GUARD_BLOCK_FOR", "2h"),
            ("GUARD_MAX_BLOCK", "7d"),
            ("GUARD_PREFIX_DIGITS", "4"),
            ("GUARD_SAFE_LIST", "+44, +1555"),
        ])
        .expect("valid");
        assert_eq!(settings.mode, GuardMode::Enforce);
        assert_eq!((settings.min_sends, settings.min_conversion), (50, 0.2));
        assert_eq!(settings.window, Duration::from_secs(1800));
        assert_eq!(
            settings.terms,
            BlockTerms {
                base: 7200,
                max: 604_800
            }
        );
        assert_eq!(settings.prefix_digits, [4]);
        assert_eq!(settings.safe_list, ["+44", "+1555"]);
    }

    #[test]
    fn mistakes_name_their_variable() {
        for (variable, value) in [
            ("GUARD_MODE", "strict"),
            ("GUARD_MIN_SENDS", "0"),
            ("GUARD_MIN_CONVERSION", "1.5"),
            ("GUARD_WINDOW", "10"),
            ("GUARD_BLOCK_FOR", "5s"),
            ("GUARD_PREFIX_DIGITS", "3,x"),
            ("GUARD_SAFE_LIST", "44"),
        ] {
            let error = parse(&[(variable, value)]).expect_err(variable);
            assert_eq!(error.variable, variable);
        }
        let error = parse(&[("GUARD_BLOCK_FOR", "2d"), ("GUARD_MAX_BLOCK", "1d")]);
        assert_eq!(error.expect_err("max < base").variable, "GUARD_MAX_BLOCK");
    }
}
