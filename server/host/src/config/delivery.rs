//! `VONAGE_WORKFLOW` and `AUTO_CALL_AFTER`: the delivery sequence the Vonage clients send
//! (and the emulator follows), so the provider never calls anyone the app did not tell.

use super::values::parse_or;
use super::ConfigError;
use crate::verify::VonageDelivery;
use std::time::Duration;

/// The longest a Vonage code is kept: v1 `pin_expiry` and v2's two channel timeouts are set
/// to fit in it.
pub const VONAGE_LIFETIME: Duration = Duration::from_secs(300);

/// Reads the delivery sequence for a login of `login_ttl` (capped at [`VONAGE_LIFETIME`]).
/// `AUTO_CALL_AFTER` (default half the lifetime, at most 150) must be less than that
/// lifetime and 15 to 900 seconds (v2 `channel_timeout`), or 60 to 900 for Vonage v1,
/// where the lifetime must also be a multiple of it (v1 requires `pin_expiry` to be a
/// multiple of `next_event_wait`).
pub(super) fn parse_delivery(
    get: &impl Fn(&str) -> Option<String>,
    login_ttl: Duration,
    legacy: bool,
) -> Result<VonageDelivery, ConfigError> {
    let fail = |variable: &'static str, problem: String| ConfigError { variable, problem };
    let call = match get("VONAGE_WORKFLOW").as_deref().unwrap_or("sms,voice") {
        "sms,voice" => true,
        "sms" => false,
        other => {
            return Err(fail(
                "VONAGE_WORKFLOW",
                format!("`{other}` is not sms,voice or sms"),
            ))
        }
    };
    let lifetime = login_ttl.min(VONAGE_LIFETIME);
    let default = (lifetime.as_secs() / 2).min(150).to_string();
    let call_after: u64 = parse_or("AUTO_CALL_AFTER", get("AUTO_CALL_AFTER"), &default)?;
    let shortest = if legacy { 60 } else { 15 };
    if call && !(shortest..=900).contains(&call_after) {
        return Err(fail(
            "AUTO_CALL_AFTER",
            format!("must be {shortest} to 900 seconds (with a LOGIN_TTL under 120 s for Vonage v1, set VONAGE_WORKFLOW=sms)"),
        ));
    }
    if call && call_after >= lifetime.as_secs() {
        return Err(fail(
            "AUTO_CALL_AFTER",
            format!(
                "must be less than the login's lifetime ({} s), or the call would come after the code expired",
                lifetime.as_secs()
            ),
        ));
    }
    if call && legacy && !lifetime.as_secs().is_multiple_of(call_after) {
        return Err(fail(
            "AUTO_CALL_AFTER",
            format!(
                "must divide the login's lifetime ({} s) for Vonage v1, whose pin_expiry must be a multiple of next_event_wait",
                lifetime.as_secs()
            ),
        ));
    }
    Ok(VonageDelivery {
        call,
        call_after: Duration::from_secs(call_after),
        lifetime,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)], legacy: bool) -> Result<VonageDelivery, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        parse_delivery(
            &|k: &str| map.get(k).cloned(),
            Duration::from_secs(600),
            legacy,
        )
    }

    #[test]
    fn defaults_to_sms_then_a_call_at_150_s_in_a_300_s_login() {
        let delivery = parse(&[], true).expect("defaults are valid");
        assert_eq!(delivery, VonageDelivery::default());
    }

    #[test]
    fn a_short_login_gets_its_call_half_way() {
        let map = |k: &str| (k == "LOGIN_TTL").then(|| "120".to_owned());
        let delivery = parse_delivery(&map, Duration::from_secs(120), true).expect("valid");
        assert_eq!(delivery.call_after, Duration::from_secs(60));
        assert_eq!(delivery.lifetime, Duration::from_secs(120));
    }

    #[test]
    fn sms_only_is_allowed() {
        let delivery = parse(&[("VONAGE_WORKFLOW", "sms")], false).expect("valid");
        assert!(!delivery.call);
    }

    #[test]
    fn refuses_settings_that_would_call_unannounced_or_break_v1() {
        let variable =
            |pairs: &[(&str, &str)], legacy| parse(pairs, legacy).expect_err("refused").variable;
        assert_eq!(
            variable(&[("VONAGE_WORKFLOW", "voice")], false),
            "VONAGE_WORKFLOW"
        );
        assert_eq!(
            variable(&[("AUTO_CALL_AFTER", "10")], false),
            "AUTO_CALL_AFTER"
        );
        assert_eq!(
            variable(&[("AUTO_CALL_AFTER", "30")], true),
            "AUTO_CALL_AFTER"
        );
        assert_eq!(
            variable(&[("AUTO_CALL_AFTER", "300")], false),
            "AUTO_CALL_AFTER"
        );
        assert_eq!(
            variable(&[("AUTO_CALL_AFTER", "120")], true),
            "AUTO_CALL_AFTER"
        );
        assert!(
            parse(&[("AUTO_CALL_AFTER", "120")], false).is_ok(),
            "v2 needs no multiple"
        );
    }
}
