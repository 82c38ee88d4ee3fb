//! `VONAGE_WORKFLOW`, `VONAGE_WHATSAPP_FROM`, `VONAGE_RCS_FROM` and `AUTO_CALL_AFTER`: the
//! delivery sequence the Vonage clients send (and the emulator follows), so the provider never
//! sends or calls anything the app did not announce.

use super::channels::parse_sequence;
use super::values::parse_or;
use super::ConfigError;
use crate::verify::VonageDelivery;
use app_core::auth::Channel;
use std::time::Duration;

/// The `channel_timeout` sent whenever a workflow uses silent authentication, in seconds
/// (reportedly fixed by Vonage for such workflows; sent explicitly so the login's announced
/// times hold either way).
pub const SILENT_AUTH_STEP: u64 = 60;

/// The longest a Vonage code is kept: v1 `pin_expiry` and v2's two channel timeouts are set
/// to fit in it.
pub const VONAGE_LIFETIME: Duration = Duration::from_secs(300);

/// Reads the delivery sequence for a login of `login_ttl` (capped at [`VONAGE_LIFETIME`]).
/// `AUTO_CALL_AFTER` (default half the lifetime, 150 at most and at least the shortest
/// allowed) must be less than that
/// lifetime and 15 to 900 seconds (v2 `channel_timeout`), or 60 to 900 for Vonage v1,
/// where the lifetime must also be a multiple of it (v1 requires `pin_expiry` to be a
/// multiple of `next_event_wait`).
pub(super) fn parse_delivery(
    get: &impl Fn(&str) -> Option<String>,
    login_ttl: Duration,
    legacy: bool,
) -> Result<VonageDelivery, ConfigError> {
    let fail = |variable: &'static str, problem: String| ConfigError { variable, problem };
    let allowed: &[Channel] = match legacy {
        true => &[Channel::Sms, Channel::Voice],
        false => &[
            Channel::Sms,
            Channel::WhatsApp,
            Channel::Rcs,
            Channel::Voice,
        ],
    };
    let raw = get("VONAGE_WORKFLOW").unwrap_or_else(|| "sms,voice".to_owned());
    let sequence = parse_sequence(&raw, "voice", allowed, !legacy).map_err(|problem| {
        let problem = match legacy {
            true => format!("{problem}; Verify v1 sends sms and voice only (whatsapp and rcs need VERIFY_PROVIDER=vonage)"),
            false => problem,
        };
        fail("VONAGE_WORKFLOW", problem)
    })?;
    if legacy && sequence.next.is_some_and(|next| next != Channel::Voice) {
        return Err(fail(
            "VONAGE_WORKFLOW",
            "Verify v1 takes sms or sms,voice".into(),
        ));
    }
    let whatsapp_from = match (sequence.uses(Channel::WhatsApp), get("VONAGE_WHATSAPP_FROM")) {
        (true, None) => {
            return Err(fail(
                "VONAGE_WHATSAPP_FROM",
                "required when VONAGE_WORKFLOW names whatsapp: the WhatsApp Business number codes come from, e.g. 447700900000".into(),
            ))
        }
        (_, Some(raw)) => Some(sender_number(&raw).ok_or_else(|| {
            fail(
                "VONAGE_WHATSAPP_FROM",
                format!("`{raw}` is not a number in international form (7 to 15 digits, e.g. 447700900000)"),
            )
        })?),
        (false, None) => None,
    };
    let rcs_from = get("VONAGE_RCS_FROM");
    // Vonage moves on by itself after each step: from silent authentication to the first
    // code, and from the first code to the next channel.
    let call = sequence.next.is_some() || sequence.silent;
    let lifetime = login_ttl.min(VONAGE_LIFETIME);
    let shortest = if legacy { 60 } else { 15 };
    let default = match sequence.silent {
        true => SILENT_AUTH_STEP.to_string(),
        false => (lifetime.as_secs() / 2).clamp(shortest, 150).to_string(),
    };
    let call_after: u64 = parse_or("AUTO_CALL_AFTER", get("AUTO_CALL_AFTER"), &default)?;
    if sequence.silent && call_after != SILENT_AUTH_STEP {
        return Err(fail(
            "AUTO_CALL_AFTER",
            format!("must be {SILENT_AUTH_STEP} with silent_auth in VONAGE_WORKFLOW (Vonage is said to fix channel_timeout at {SILENT_AUTH_STEP} s for such workflows; the app sends it explicitly)"),
        ));
    }
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
    let steps = u64::from(sequence.silent) + u64::from(sequence.next.is_some());
    if sequence.silent && call_after * steps >= login_ttl.as_secs() {
        return Err(fail(
            "AUTO_CALL_AFTER",
            format!(
                "with silent_auth first, {steps} steps of {call_after} s must end before the login does ({} s): lower it or raise LOGIN_TTL",
                login_ttl.as_secs()
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
        first: sequence.first,
        alternative: sequence.alternative,
        next: sequence.next,
        next_after: Duration::from_secs(call_after),
        lifetime,
        whatsapp_from,
        rcs_from,
        silent: sequence.silent,
    })
}

/// A sender number as Vonage's `from` takes it: the digits of `raw` (spaces and a leading
/// `+` dropped), 7 to 15 of them.
fn sender_number(raw: &str) -> Option<String> {
    let digits: String = raw
        .trim()
        .trim_start_matches('+')
        .chars()
        .filter(|c| *c != ' ')
        .collect();
    (digits.chars().all(|c| c.is_ascii_digit()) && (7..=15).contains(&digits.len()))
        .then_some(digits)
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
        assert_eq!(delivery.next_after, Duration::from_secs(60));
        assert_eq!(delivery.lifetime, Duration::from_secs(120));
    }

    #[test]
    fn sms_only_is_allowed() {
        let delivery = parse(&[("VONAGE_WORKFLOW", "sms")], false).expect("valid");
        assert_eq!(delivery.next, None);
    }

    #[test]
    fn whatsapp_needs_its_sender_number_and_v2() {
        let refused =
            parse(&[("VONAGE_WORKFLOW", "whatsapp,sms,voice")], false).expect_err("no sender");
        assert_eq!(refused.variable, "VONAGE_WHATSAPP_FROM");
        let delivery = parse(
            &[
                ("VONAGE_WORKFLOW", "whatsapp,sms,voice"),
                ("VONAGE_WHATSAPP_FROM", "+44 7700 900000"),
            ],
            false,
        )
        .expect("valid");
        assert_eq!(delivery.first, Channel::WhatsApp);
        assert_eq!(delivery.alternative, Some(Channel::Sms));
        assert_eq!(delivery.next, Some(Channel::Voice));
        assert_eq!(delivery.whatsapp_from.as_deref(), Some("447700900000"));
        let bad = parse(
            &[
                ("VONAGE_WORKFLOW", "whatsapp"),
                ("VONAGE_WHATSAPP_FROM", "call me"),
            ],
            false,
        )
        .expect_err("not a number");
        assert_eq!(bad.variable, "VONAGE_WHATSAPP_FROM");
        let v1 = parse(
            &[
                ("VONAGE_WORKFLOW", "whatsapp"),
                ("VONAGE_WHATSAPP_FROM", "447700900000"),
            ],
            true,
        )
        .expect_err("v1 has no WhatsApp");
        assert!(
            v1.problem.contains("Verify v1 sends sms and voice only"),
            "{}",
            v1.problem
        );
    }

    #[test]
    fn silent_authentication_takes_vonages_60_second_steps() {
        let delivery =
            parse(&[("VONAGE_WORKFLOW", "silent_auth,sms,voice")], false).expect("valid");
        assert!(delivery.silent);
        assert_eq!(delivery.next_after, Duration::from_secs(60));
        assert_eq!(delivery.v2_code_lifetime(), Duration::from_secs(180));
        let other = parse(
            &[
                ("VONAGE_WORKFLOW", "silent_auth,sms"),
                ("AUTO_CALL_AFTER", "90"),
            ],
            false,
        )
        .expect_err("Vonage fixes it");
        assert_eq!(other.variable, "AUTO_CALL_AFTER");
        let v1 = parse(&[("VONAGE_WORKFLOW", "silent_auth,sms")], true).expect_err("v2 only");
        assert_eq!(v1.variable, "VONAGE_WORKFLOW");
    }

    #[test]
    fn rcs_falls_back_to_a_text() {
        let delivery = parse(
            &[("VONAGE_WORKFLOW", "rcs,sms"), ("VONAGE_RCS_FROM", "acme")],
            false,
        )
        .expect("valid");
        assert_eq!(delivery.first, Channel::Rcs);
        assert_eq!(delivery.next, Some(Channel::Sms));
        assert_eq!(delivery.rcs_from.as_deref(), Some("acme"));
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
