//! Which sends are risky, on the in-process counter store.

use super::*;
use crate::auth::server::counter_store::MemoryCounters;
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

const NOW: u64 = 1_800_000_000;
const UK: &str = "+447400123123";
const FRANCE: &str = "+33612345678";

#[tokio::test]
async fn a_first_send_from_an_address_is_not_risky() {
    let c = challenge(ChallengeWhen::Risky);
    assert_eq!(
        c.risk(&number(UK), Some("192.0.2.1"), false, NOW).await,
        Ok(None)
    );
    assert_eq!(c.risk(&number(UK), None, false, NOW).await, Ok(None));
}

#[tokio::test]
async fn the_send_after_a_burst_from_one_address_is_risky() {
    let c = challenge(ChallengeWhen::Risky);
    for n in 0..3 {
        let to = number(&format!("+44740012312{n}"));
        assert_eq!(
            c.risk(&to, Some("192.0.2.1"), false, NOW + n).await,
            Ok(None)
        );
        c.note_send(&to, Some("192.0.2.1"), NOW + n)
            .await
            .expect("store");
    }
    let next = number("+447400123129");
    assert_eq!(
        c.risk(&next, Some("192.0.2.2"), false, NOW + 5).await,
        Ok(None),
        "another address is not concerned"
    );
    assert_eq!(
        c.risk(&next, Some("192.0.2.1"), false, NOW + 5).await,
        Ok(Some(Risk::Burst))
    );
    assert_eq!(
        c.risk(&next, Some("192.0.2.1"), false, NOW + 1800).await,
        Ok(None),
        "two windows later the burst is forgotten"
    );
}

#[tokio::test]
async fn a_new_country_for_an_address_that_sent_today_is_risky() {
    let c = challenge(ChallengeWhen::Risky);
    c.note_send(&number(UK), Some("192.0.2.1"), NOW)
        .await
        .expect("store");
    assert_eq!(
        c.risk(&number(FRANCE), Some("192.0.2.1"), false, NOW + 60)
            .await,
        Ok(Some(Risk::NewCountry))
    );
    assert_eq!(
        c.risk(&number("+447400123777"), Some("192.0.2.1"), false, NOW + 60)
            .await,
        Ok(None),
        "the same country again"
    );
    assert_eq!(
        c.risk(&number(FRANCE), Some("192.0.2.9"), false, NOW + 60)
            .await,
        Ok(None),
        "an address with no sends today"
    );
}

#[tokio::test]
async fn a_range_near_its_threshold_and_always_mode_ask_every_time() {
    let c = challenge(ChallengeWhen::Risky);
    assert_eq!(
        c.risk(&number(UK), Some("192.0.2.1"), true, NOW).await,
        Ok(Some(Risk::RangeNearThreshold))
    );
    let c = challenge(ChallengeWhen::Always);
    assert_eq!(
        c.risk(&number(UK), None, false, NOW).await,
        Ok(Some(Risk::Always))
    );
}

#[tokio::test]
async fn a_burst_sent_in_parallel_is_judged_as_one() {
    let c = challenge(ChallengeWhen::Risky);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.risk(&number(UK), Some("192.0.2.1"), false, NOW).await })
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
