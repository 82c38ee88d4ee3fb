//! Small text formatters shared by server and browser (no date crate in the wasm bundle).

use app_core::i18n::{td_string, Locale};

/// `m:ss`, e.g. `4:05`.
pub fn minutes_seconds(total: u64) -> String {
    format!("{}:{:02}", total / 60, total % 60)
}

/// Unix seconds as a date and time in UTC, written the way `locale` writes dates
/// ("27 Nov 2026, 16:30 UTC", "27. Nov. 2026, 16:30 UTC"). Pure arithmetic (civil from days),
/// so it needs no date library in the browser bundle.
pub fn date_time(locale: Locale, unix: u64) -> String {
    let (year, month, day) = civil_date(unix);
    let secs = unix % 86_400;
    let time = format!("{:02}:{:02}", secs / 3600, (secs % 3600) / 60);
    let month = month_name(locale, month);
    td_string!(
        locale,
        dates.format,
        day = day,
        month = month,
        year = year,
        time = time
    )
}

/// Year, month (1–12) and day of the UTC date of `unix`.
fn civil_date(unix: u64) -> (i64, i64, i64) {
    let days = (unix / 86_400) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The short name of `month` (1–12) in `locale`.
fn month_name(locale: Locale, month: i64) -> &'static str {
    match month {
        1 => td_string!(locale, dates.m1),
        2 => td_string!(locale, dates.m2),
        3 => td_string!(locale, dates.m3),
        4 => td_string!(locale, dates.m4),
        5 => td_string!(locale, dates.m5),
        6 => td_string!(locale, dates.m6),
        7 => td_string!(locale, dates.m7),
        8 => td_string!(locale, dates.m8),
        9 => td_string!(locale, dates.m9),
        10 => td_string!(locale, dates.m10),
        11 => td_string!(locale, dates.m11),
        _ => td_string!(locale, dates.m12),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_minutes_and_seconds() {
        assert_eq!(minutes_seconds(0), "0:00");
        assert_eq!(minutes_seconds(65), "1:05");
        assert_eq!(minutes_seconds(600), "10:00");
    }

    #[test]
    fn formats_utc_dates_in_the_visitors_language() {
        assert_eq!(date_time(Locale::en, 0), "1 Jan 1970, 00:00 UTC");
        assert_eq!(date_time(Locale::en, 951_782_400), "29 Feb 2000, 00:00 UTC");
        assert_eq!(
            date_time(Locale::en, 1_795_797_000),
            "27 Nov 2026, 16:30 UTC"
        );
        for locale in app_core::language::all() {
            let text = date_time(*locale, 1_795_797_000);
            assert!(
                text.contains("2026") && text.contains("16:30"),
                "{locale:?}: {text}"
            );
        }
    }
}
