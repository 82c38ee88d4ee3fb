//! Small text formatters shared by server and browser (no date crate in the wasm bundle).

/// `m:ss`, e.g. `4:05`.
pub fn minutes_seconds(total: u64) -> String {
    format!("{}:{:02}", total / 60, total % 60)
}

/// Unix seconds as `YYYY-MM-DD HH:MM UTC` (proleptic Gregorian, days-from-civil inverse).
pub fn utc_datetime(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Shift the epoch to 0000-03-01 so leap days fall at the end of each 400-year era.
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
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        secs / 3600,
        (secs % 3600) / 60
    )
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
    fn formats_utc_dates() {
        assert_eq!(utc_datetime(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_datetime(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_datetime(1_795_797_000), "2026-11-27 16:30 UTC");
    }
}
