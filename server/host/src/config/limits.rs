//! The `LIMIT_*` settings: send, check and wrong-code limits, and the IPv6 grouping.

use super::values::parse_or;
use super::ConfigError;
use app_core::auth::server::rate_limit::{LimitPolicy, Rule, WiderNetwork};

/// Reads `LIMIT_PER_NUMBER`, `LIMIT_PER_IP`, `LIMIT_PER_SESSION`, `LIMIT_GLOBAL_PER_HOUR`,
/// `LIMIT_CHECKS_PER_IP`, `LIMIT_NEW_SESSIONS_PER_IP`, `LIMIT_FAILED_PER_NUMBER`, `LIMIT_IPV6_PREFIX` and
/// `LIMIT_IPV6_WIDER` (unset: the [`LimitPolicy`] defaults).
pub(super) fn parse_limits(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<LimitPolicy, ConfigError> {
    let fail = |variable: &'static str, problem: String| ConfigError { variable, problem };
    let defaults = LimitPolicy::default();
    let rules = |variable: &'static str, fallback: Vec<Rule>| match get(variable) {
        None => Ok(fallback),
        Some(text) => Rule::parse_list(&text)
            .and_then(|r| {
                if r.is_empty() {
                    Err("needs at least one COUNT/WINDOW".into())
                } else {
                    Ok(r)
                }
            })
            .map_err(|problem| fail(variable, problem)),
    };
    let limits = LimitPolicy {
        per_number: rules("LIMIT_PER_NUMBER", defaults.per_number)?,
        per_ip: rules("LIMIT_PER_IP", defaults.per_ip)?,
        per_session: rules("LIMIT_PER_SESSION", defaults.per_session)?,
        global_per_hour: parse_or(
            "LIMIT_GLOBAL_PER_HOUR",
            get("LIMIT_GLOBAL_PER_HOUR"),
            &defaults.global_per_hour.to_string(),
        )?,
        checks_per_ip: rules("LIMIT_CHECKS_PER_IP", defaults.checks_per_ip)?,
        new_sessions_per_ip: rules("LIMIT_NEW_SESSIONS_PER_IP", defaults.new_sessions_per_ip)?,
        failed_per_number: rules("LIMIT_FAILED_PER_NUMBER", defaults.failed_per_number)?,
        ipv6_prefix: parse_or(
            "LIMIT_IPV6_PREFIX",
            get("LIMIT_IPV6_PREFIX"),
            &defaults.ipv6_prefix.to_string(),
        )?,
        ipv6_wider: Vec::new(),
    };
    if !(32..=128).contains(&limits.ipv6_prefix) {
        return Err(fail("LIMIT_IPV6_PREFIX", "must be 32 to 128".into()));
    }
    let ipv6_wider = match get("LIMIT_IPV6_WIDER") {
        // The defaults that are wider than the client's own network.
        None => defaults
            .ipv6_wider
            .into_iter()
            .filter(|network| network.prefix < limits.ipv6_prefix)
            .collect(),
        Some(text) => parse_wider(&text, limits.ipv6_prefix)
            .map_err(|problem| fail("LIMIT_IPV6_WIDER", problem))?,
    };
    let limits = LimitPolicy {
        ipv6_wider,
        ..limits
    };
    if limits.failed_per_number.iter().any(|r| r.max > 100) {
        return Err(fail(
            "LIMIT_FAILED_PER_NUMBER",
            "must allow at most 100 wrong codes (NIST SP 800-63B-4 §3.2.2)".into(),
        ));
    }
    if limits.global_per_hour == 0 {
        return Err(fail("LIMIT_GLOBAL_PER_HOUR", "must be at least 1".into()));
    }
    Ok(limits)
}

/// Parses `LIMIT_IPV6_WIDER`: `PREFIX:FACTOR` pairs such as `56:4,48:16` (a /56 holds 4
/// times each per-address rule, a /48 16 times), each prefix wider than `own` (the
/// `LIMIT_IPV6_PREFIX`) and at least 16, each factor at least 1; `off` for none. Answered
/// narrowest first.
fn parse_wider(text: &str, own: u8) -> Result<Vec<WiderNetwork>, String> {
    if text.trim().eq_ignore_ascii_case("off") {
        return Ok(Vec::new());
    }
    let mut networks = text
        .split(',')
        .map(|pair| {
            let pair = pair.trim();
            let (prefix, factor) = pair
                .split_once(':')
                .ok_or_else(|| format!("`{pair}` is not PREFIX:FACTOR such as 48:16"))?;
            let prefix: u8 = prefix
                .trim()
                .trim_start_matches('/')
                .parse()
                .ok()
                .filter(|p| (16..own).contains(p))
                .ok_or_else(|| {
                    format!("`{prefix}` is not a prefix length from 16 to {}", own - 1)
                })?;
            let factor: u32 = factor
                .trim()
                .parse()
                .ok()
                .filter(|f| (1..=1_000_000).contains(f))
                .ok_or_else(|| format!("`{factor}` is not a factor from 1 to 1000000"))?;
            Ok(WiderNetwork { prefix, factor })
        })
        .collect::<Result<Vec<_>, String>>()?;
    networks.sort_by_key(|network| std::cmp::Reverse(network.prefix));
    if networks
        .windows(2)
        .any(|pair| pair[0].prefix == pair[1].prefix)
    {
        return Err("names one prefix twice".into());
    }
    Ok(networks)
}

/// With a provider that calls by itself, each login reserves two deliveries (its SMS and
/// that call) against every send limit at once: a limit below 2 would let no login through,
/// so start-up refuses it and names the setting.
pub(super) fn check_room_for_a_login(limits: &LimitPolicy) -> Result<(), ConfigError> {
    let send_rules = [
        ("LIMIT_PER_NUMBER", &limits.per_number),
        ("LIMIT_PER_IP", &limits.per_ip),
        ("LIMIT_PER_SESSION", &limits.per_session),
    ];
    let too_small = send_rules
        .into_iter()
        .find(|(_, rules)| rules.iter().any(|rule| rule.max < 2))
        .map(|(variable, _)| variable)
        .or((limits.global_per_hour < 2).then_some("LIMIT_GLOBAL_PER_HOUR"));
    match too_small {
        Some(variable) => Err(ConfigError {
            variable,
            problem: "must allow at least 2 deliveries: each login reserves its SMS and the \
                      call the provider makes by itself (or set VONAGE_WORKFLOW=sms)"
                .into(),
        }),
        None => Ok(()),
    }
}
