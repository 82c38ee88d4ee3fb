//! `EMULATOR_NO_RCS`, `EMULATOR_NO_WHATSAPP` and `EMULATOR_SILENT_AUTH_FAIL`: numbers the
//! emulator's RCS, WhatsApp or silent authentication cannot reach, so a Verify v2 workflow
//! falls back to its next channel for them.

use super::ConfigError;

/// Reads a comma-separated list of E.164 numbers (`+` optional, 7 to 15 digits, blanks
/// ignored) from `variable`; none when unset.
pub(super) fn parse_numbers(
    variable: &'static str,
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Vec<String>, ConfigError> {
    let raw = get(variable).unwrap_or_default();
    raw.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let digits = entry.strip_prefix('+').unwrap_or(entry);
            let ok = (7..=15).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && !digits.starts_with('0');
            if ok {
                Ok(format!("+{digits}"))
            } else {
                Err(ConfigError {
                    variable,
                    problem: format!("`{entry}` is not an E.164 number such as +447700900001"),
                })
            }
        })
        .collect()
}
