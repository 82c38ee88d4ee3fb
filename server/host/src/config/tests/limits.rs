//! The limit settings (`LIMIT_*`): defaults, rule lists, the room a login needs for an SMS
//! and a call, and the wider IPv6 networks.

use super::*;
use app_core::auth::server::rate_limit::Rule;

#[test]
fn limits_have_defaults_and_parse_lists() {
    let c = config(&[]).expect("valid");
    assert_eq!(c.limits.per_number.len(), 2);
    assert_eq!(c.limits.global_per_hour, 1000);
    let c = config(&[
        ("LIMIT_PER_NUMBER", "100/1m"),
        ("LIMIT_GLOBAL_PER_HOUR", "5000"),
    ])
    .expect("valid");
    assert_eq!(
        c.limits.per_number,
        vec![Rule {
            max: 100,
            window: Duration::from_secs(60)
        }]
    );
    assert_eq!(c.limits.global_per_hour, 5000);
    assert_eq!(
        config(&[("LIMIT_PER_IP", "ten/1h")])
            .expect_err("e")
            .variable,
        "LIMIT_PER_IP"
    );
    assert_eq!(
        config(&[("LIMIT_GLOBAL_PER_HOUR", "0")])
            .expect_err("e")
            .variable,
        "LIMIT_GLOBAL_PER_HOUR"
    );
    assert_eq!(
        config(&[("CLIENT_IP_HEADER", "bad header")])
            .expect_err("e")
            .variable,
        "CLIENT_IP_HEADER"
    );
}

#[test]
fn a_send_limit_without_room_for_sms_and_call_is_refused_at_start_up() {
    // The default workflow calls by itself: each login reserves two deliveries.
    for variable in ["LIMIT_PER_NUMBER", "LIMIT_PER_IP", "LIMIT_PER_SESSION"] {
        let error = config(&[(variable, "1/1h")]).expect_err("no login could pass");
        assert_eq!(error.variable, variable);
        assert!(
            error.problem.contains("VONAGE_WORKFLOW=sms"),
            "{}",
            error.problem
        );
    }
    let error = config(&[("LIMIT_GLOBAL_PER_HOUR", "1")]).expect_err("too small");
    assert_eq!(error.variable, "LIMIT_GLOBAL_PER_HOUR");
    // SMS only, or a provider that never calls by itself: one delivery per login.
    config(&[("LIMIT_PER_IP", "1/1h"), ("VONAGE_WORKFLOW", "sms")]).expect("SMS only");
    config(&[("LIMIT_PER_IP", "1/1h"), ("EMULATOR_API", "twilio")]).expect("Twilio");
}

#[test]
fn ipv6_wider_networks_default_to_a_56_and_a_48_and_name_their_variable() {
    use app_core::auth::server::rate_limit::WiderNetwork;
    let wider = |vars: &[(&str, &str)]| config(vars).expect("valid").limits.ipv6_wider;
    let network = |prefix, factor| WiderNetwork { prefix, factor };
    assert_eq!(wider(&[]), [network(56, 4), network(48, 16)]);
    assert_eq!(
        wider(&[("LIMIT_IPV6_WIDER", "/48:8, 40:32,56:2")]),
        [network(56, 2), network(48, 8), network(40, 32)],
        "narrowest first"
    );
    assert!(wider(&[("LIMIT_IPV6_WIDER", "off")]).is_empty());
    assert_eq!(
        wider(&[("LIMIT_IPV6_PREFIX", "56")]),
        [network(48, 16)],
        "only defaults wider than the client's own network"
    );
    for (prefix, value) in [
        ("64", "abc"),
        ("64", "48"),
        ("64", "64:4"),
        ("56", "56:4"),
        ("64", "8:4"),
        ("64", "48:0"),
        ("64", "48:4,48:8"),
    ] {
        let error =
            config(&[("LIMIT_IPV6_PREFIX", prefix), ("LIMIT_IPV6_WIDER", value)]).expect_err(value);
        assert_eq!(error.variable, "LIMIT_IPV6_WIDER", "{value}");
    }
}
