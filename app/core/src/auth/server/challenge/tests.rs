//! Which sends are risky, on the in-process counter store.

use super::*;
use crate::auth::server::rate_limit::{LimitPolicy, RateLimiter};
use crate::auth::server::store::counters::MemoryCounters;
use crate::auth::CaptchaProvider;
use crate::domain::DefaultCountry;
use std::time::Duration;

fn number(text: &str) -> PhoneNumber {
    let gb: DefaultCountry = "GB".parse().expect("GB");
    PhoneNumber::parse(text, gb).expect("valid number")
}

/// A siteverify that answers every token the same way (`None`: cannot be reached).
struct Answers(Option<SiteAnswer>);

#[async_trait::async_trait]
impl ChallengeVerifier for Answers {
    async fn verify(&self, _: &str, _: Option<IpAddr>) -> Result<SiteAnswer, String> {
        self.0.clone().ok_or_else(|| "unreachable".to_owned())
    }
}

fn challenge_answering(when: ChallengeWhen, answer: Option<SiteAnswer>) -> Challenge {
    let settings = ChallengeSettings {
        widget: ChallengeWidget {
            provider: CaptchaProvider::Turnstile,
            site_key: "1x00000000000000000000AA".into(),
            script_url: "/dev/captcha/api.js".into(),
            action: Some("login".into()),
        },
        when,
        ip_burst: Rule {
            max: 3,
            window: Duration::from_secs(600),
        },
        csp_origins: Vec::new(),
        binding: Binding {
            site_host: None,
            action: Some("login".into()),
            test_hostname: None,
        },
    };
    Challenge::new(
        settings,
        Arc::new(Answers(answer)),
        Arc::new(MemoryCounters::default()),
    )
}

fn challenge(when: ChallengeWhen) -> Challenge {
    challenge_answering(when, None)
}

/// The buckets of one IPv4 address (the address alone).
fn at(address: &str) -> Vec<IpBucket> {
    vec![IpBucket {
        key: address.into(),
        factor: 1,
    }]
}

/// The buckets of an IPv6 address under the default limits: its /64, /56 (4×) and /48 (16×).
fn at_v6(address: &str) -> Vec<IpBucket> {
    let limiter = RateLimiter::new(Arc::new(MemoryCounters::default()), LimitPolicy::default());
    limiter.ip_buckets(address.parse().expect("IPv6 address"))
}

const NOW: u64 = 1_800_000_000;
const UK: &str = "+447400123123";
const FRANCE: &str = "+33612345678";

#[tokio::test]
async fn a_first_send_from_an_address_is_not_risky() {
    let c = challenge(ChallengeWhen::Risky);
    assert_eq!(
        c.risk(&number(UK), &at("192.0.2.1"), false, NOW).await,
        Ok(None)
    );
    assert_eq!(c.risk(&number(UK), &[], false, NOW).await, Ok(None));
}

#[tokio::test]
async fn the_send_after_a_burst_from_one_address_is_risky() {
    let c = challenge(ChallengeWhen::Risky);
    for n in 0..3 {
        let to = number(&format!("+44740012312{n}"));
        assert_eq!(
            c.risk(&to, &at("192.0.2.1"), false, NOW + n).await,
            Ok(None)
        );
        c.note_send(&to, &at("192.0.2.1"), NOW + n)
            .await
            .expect("store");
    }
    let next = number("+447400123129");
    assert_eq!(
        c.risk(&next, &at("192.0.2.2"), false, NOW + 5).await,
        Ok(None),
        "another address is not concerned"
    );
    assert_eq!(
        c.risk(&next, &at("192.0.2.1"), false, NOW + 5).await,
        Ok(Some(Risk::Burst))
    );
    assert_eq!(
        c.risk(&next, &at("192.0.2.1"), false, NOW + 1800).await,
        Ok(None),
        "two windows later the burst is forgotten"
    );
}

#[tokio::test]
async fn a_new_country_for_an_address_that_sent_today_is_risky() {
    let c = challenge(ChallengeWhen::Risky);
    c.note_send(&number(UK), &at("192.0.2.1"), NOW)
        .await
        .expect("store");
    assert_eq!(
        c.risk(&number(FRANCE), &at("192.0.2.1"), false, NOW + 60)
            .await,
        Ok(Some(Risk::NewCountry))
    );
    assert_eq!(
        c.risk(&number("+447400123777"), &at("192.0.2.1"), false, NOW + 60)
            .await,
        Ok(None),
        "the same country again"
    );
    assert_eq!(
        c.risk(&number(FRANCE), &at("192.0.2.9"), false, NOW + 60)
            .await,
        Ok(None),
        "an address with no sends today"
    );
}

#[tokio::test]
async fn a_range_near_its_threshold_and_always_mode_ask_every_time() {
    let c = challenge(ChallengeWhen::Risky);
    assert_eq!(
        c.risk(&number(UK), &at("192.0.2.1"), true, NOW).await,
        Ok(Some(Risk::RangeNearThreshold))
    );
    let c = challenge(ChallengeWhen::Always);
    assert_eq!(
        c.risk(&number(UK), &[], false, NOW).await,
        Ok(Some(Risk::Always))
    );
}

#[tokio::test]
async fn a_burst_sent_in_parallel_is_judged_as_one() {
    let c = challenge(ChallengeWhen::Risky);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.risk(&number(UK), &at("192.0.2.1"), false, NOW).await })
        })
        .collect();
    let mut unchecked = 0;
    for task in tasks {
        if task.await.expect("task") == Ok(None) {
            unchecked += 1;
        }
    }
    assert_eq!(unchecked, 3, "only the burst's allowance goes unchecked");
}

#[tokio::test]
async fn a_genuine_token_counts_only_when_solved_here_in_our_widget() {
    let solved = |hostname: &str, action: &str| {
        Some(SiteAnswer::Solved(Solved {
            hostname: Some(hostname.into()),
            action: Some(action.into()),
        }))
    };
    let verdict = |answer| async move {
        challenge_answering(ChallengeWhen::Always, answer)
            .verify("token", None, Some("127.0.0.1"))
            .await
    };
    assert_eq!(
        verdict(solved("127.0.0.1", "login")).await,
        Ok(Verdict::Passed)
    );
    assert_eq!(
        verdict(solved("evil.example", "login")).await,
        Ok(Verdict::Elsewhere(Mismatch::Hostname {
            answered: Some("evil.example".into()),
            expected: Some("127.0.0.1".into()),
        }))
    );
    assert!(matches!(
        verdict(solved("127.0.0.1", "signup")).await,
        Ok(Verdict::Elsewhere(Mismatch::Action { .. }))
    ));
    let refused = Some(SiteAnswer::Refused(vec!["invalid-input-response".into()]));
    assert_eq!(
        verdict(refused).await,
        Ok(Verdict::Refused(vec!["invalid-input-response".into()]))
    );
    assert!(verdict(None).await.is_err(), "an outage is never a pass");
}

#[tokio::test]
async fn a_burst_spread_over_the_64s_of_one_network_is_risky() {
    // Burst rule 3 per 10 min: a /64 may send 3, its /56 12, its /48 48.
    let c = challenge(ChallengeWhen::Risky);
    let attempt = |ip: String, n: u32| {
        let c = c.clone();
        async move {
            let to = number(&format!("+4474001{n:05}"));
            c.risk(&to, &at_v6(&ip), false, NOW + u64::from(n) % 60)
                .await
        }
    };
    // Two attempts from each of six /64s of one /56: the /56's 12 pass unchecked.
    let mut n = 0;
    for net in 0..6 {
        for host in 1..=2 {
            let ip = format!("2001:db8:1:{net:x}::{host}");
            assert_eq!(attempt(ip, n).await, Ok(None), "attempt {n}");
            n += 1;
        }
    }
    assert_eq!(
        attempt("2001:db8:1:6::1".into(), n).await,
        Ok(Some(Risk::Burst)),
        "a fresh /64 of a /56 that spent its burst"
    );
    // Other /56s of the /48 have room until the /48's 48 are spent.
    let mut unchecked = 0;
    for net in 1..=20u32 {
        for host in 1..=3 {
            let ip = format!("2001:db8:1:{:x}::{host}", net << 8);
            n += 1;
            if attempt(ip, n).await == Ok(None) {
                unchecked += 1;
            }
        }
    }
    // The /48 counted 13 already: the first /56's 12 and its checked 13th (an attempt
    // counts whether or not it is checked).
    assert_eq!(unchecked, 48 - 13, "the rest of the /48's burst");
    assert_eq!(
        attempt("2001:db8:2::1".into(), n + 1).await,
        Ok(None),
        "another /48 is not concerned"
    );
}
