//! The limiter on in-memory counters: rule parsing, each scope's limit (number, address,
//! session, global, code checks, new sessions, wrong codes), the sliding window and parallel
//! requests; IPv6 networks in [`ipv6_networks`].

use super::*;
use crate::auth::server::store::counters::MemoryCounters;

mod ipv6_networks;

fn limiter(policy: LimitPolicy) -> RateLimiter {
    RateLimiter::new(Arc::new(MemoryCounters::default()), policy)
}

fn rule(max: u32, secs: u64) -> Rule {
    Rule {
        max,
        window: Duration::from_secs(secs),
    }
}

fn loose() -> LimitPolicy {
    LimitPolicy {
        per_number: vec![rule(100, 60)],
        per_ip: vec![rule(100, 60)],
        per_session: vec![rule(100, 60)],
        global_per_hour: 100,
        checks_per_ip: vec![rule(100, 60)],
        new_sessions_per_ip: vec![rule(100, 60)],
        failed_per_number: vec![rule(100, 60)],
        ipv6_prefix: 64,
        ipv6_wider: WiderNetwork::DEFAULTS.to_vec(),
    }
}

fn ip(text: &str) -> Option<IpAddr> {
    Some(text.parse().expect("IP address"))
}

const T0: u64 = 1_800_000_000; // a multiple of 600 and 3600: window starts line up
const IP: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));

#[test]
fn parses_rules_and_lists() {
    assert_eq!(Rule::parse("3/10m"), Ok(rule(3, 600)));
    assert_eq!(Rule::parse("10/1d"), Ok(rule(10, 86_400)));
    assert_eq!(Rule::parse("5/h"), Ok(rule(5, 3600)));
    assert_eq!(
        Rule::parse_list("3/10m, 10/1d"),
        Ok(vec![rule(3, 600), rule(10, 86_400)])
    );
}

#[test]
fn rejects_bad_rules() {
    for bad in ["3", "x/10m", "3/10", "3/10w", "0/1m", "3/0m"] {
        assert!(Rule::parse(bad).is_err(), "{bad}");
    }
}

#[tokio::test]
async fn per_number_limit_refuses_the_fourth_send_and_says_when() {
    let l = limiter(LimitPolicy {
        per_number: vec![rule(3, 600)],
        ..loose()
    });
    for _ in 0..3 {
        assert_eq!(l.allow_send("+447400123456", IP, T0 + 10).await, Ok(()));
    }
    match l.allow_send("+447400123456", IP, T0 + 10).await {
        Err(LimitRefusal::Limited {
            scope: "number",
            retry_after_secs,
        }) => assert_eq!(retry_after_secs, 590),
        other => panic!("expected number limit, got {other:?}"),
    }
    // Another number is not affected.
    assert_eq!(l.allow_send("+447400123457", IP, T0 + 10).await, Ok(()));
}

#[tokio::test]
async fn sliding_window_blocks_the_boundary_burst() {
    let l = limiter(LimitPolicy {
        per_number: vec![rule(3, 600)],
        ..loose()
    });
    for _ in 0..3 {
        l.allow_send("+447400123456", IP, T0 + 590)
            .await
            .expect("allowed");
    }
    // Just after the fixed window turns over, the previous window still weighs ~98%.
    assert!(l.allow_send("+447400123456", IP, T0 + 610).await.is_err());
    // Well into the next window the old sends have decayed.
    assert_eq!(
        l.allow_send("+447400123456", IP, T0 + 600 + 450).await,
        Ok(())
    );
}

#[tokio::test]
async fn refused_sends_are_not_counted() {
    let l = limiter(LimitPolicy {
        per_ip: vec![rule(1, 600)],
        ..loose()
    });
    l.allow_send("+447400123456", IP, T0).await.expect("first");
    for _ in 0..5 {
        assert!(l.allow_send("+447400123456", IP, T0).await.is_err());
    }
    assert_eq!(l.allow_send("+447400123456", IP, T0 + 1200).await, Ok(()));
}

#[tokio::test]
async fn per_ip_limit_spans_many_numbers() {
    let l = limiter(LimitPolicy {
        per_ip: vec![rule(2, 3600)],
        ..loose()
    });
    l.allow_send("+447400123401", IP, T0).await.expect("1");
    l.allow_send("+447400123402", IP, T0).await.expect("2");
    assert!(matches!(
        l.allow_send("+447400123403", IP, T0).await,
        Err(LimitRefusal::Limited { scope: "ip", .. })
    ));
}

#[tokio::test]
async fn global_budget_stops_everyone() {
    let l = limiter(LimitPolicy {
        global_per_hour: 2,
        ..loose()
    });
    l.allow_send("+447400123401", None, T0).await.expect("1");
    l.allow_send("+447400123402", None, T0).await.expect("2");
    assert!(matches!(
        l.allow_send("+447400123403", None, T0).await,
        Err(LimitRefusal::Limited {
            scope: "global",
            ..
        })
    ));
}

#[tokio::test]
async fn check_limit_per_ip() {
    let l = limiter(LimitPolicy {
        checks_per_ip: vec![rule(2, 300)],
        ..loose()
    });
    l.allow_check(IP, T0).await.expect("1");
    l.allow_check(IP, T0).await.expect("2");
    assert!(l.allow_check(IP, T0).await.is_err());
    assert_eq!(
        l.allow_check(None, T0).await,
        Ok(()),
        "no IP known: not limited per IP"
    );
}

#[tokio::test]
async fn parallel_sends_never_exceed_the_limit() {
    let l = limiter(LimitPolicy {
        per_ip: vec![rule(10, 3600)],
        ..loose()
    });
    let tasks: Vec<_> = (0..60)
        .map(|n| {
            let l = l.clone();
            tokio::spawn(async move { l.allow_send(&format!("+4474001234{n:02}"), IP, T0).await })
        })
        .collect();
    let mut allowed = 0;
    for task in tasks {
        if task.await.expect("task ran").is_ok() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 10);
}

#[tokio::test]
async fn wrong_codes_add_up_per_number_until_a_success_clears_them() {
    let l = limiter(LimitPolicy {
        failed_per_number: vec![rule(3, 86_400)],
        ..loose()
    });
    let n = "+447400123456";
    assert_eq!(l.failures(n, T0).await.map(|f| f.count), Ok(0));
    l.record_failure(n, T0).await.expect("1");
    let two = l.record_failure(n, T0 + 5).await.expect("2");
    assert_eq!((two.count, two.left, two.blocked_for), (2, 1, None));
    let three = l.record_failure(n, T0 + 10).await.expect("3");
    assert_eq!(three.left, 0);
    assert!(three.blocked_for.is_some_and(|s| s > 3600), "{three:?}");
    l.clear_failures(n, T0 + 20).await.expect("cleared");
    assert_eq!(l.failures(n, T0 + 20).await.map(|f| f.count), Ok(0));
}

#[tokio::test]
async fn per_session_limit_is_counted_in_the_store() {
    let l = limiter(LimitPolicy {
        per_session: vec![rule(2, 3600)],
        ..loose()
    });
    let send = |n: &'static str, s: &'static str| l.allow_send_from(n, IP, Some(s), T0);
    send("+447400123401", "a").await.expect("1");
    send("+447400123402", "a").await.expect("2");
    assert!(matches!(
        send("+447400123403", "a").await,
        Err(LimitRefusal::Limited {
            scope: "session",
            ..
        })
    ));
    send("+447400123403", "b").await.expect("another session");
}

#[tokio::test]
async fn new_anonymous_sessions_are_limited_per_address() {
    let l = limiter(LimitPolicy {
        new_sessions_per_ip: vec![rule(2, 600)],
        ..loose()
    });
    for _ in 0..2 {
        l.allow_new_session(ip("192.0.2.7"), 1000)
            .await
            .expect("room");
    }
    let refused = l.allow_new_session(ip("192.0.2.7"), 1001).await;
    assert!(
        matches!(
            refused,
            Err(LimitRefusal::Limited {
                scope: "sessions",
                ..
            })
        ),
        "{refused:?}"
    );
    l.allow_new_session(ip("192.0.2.8"), 1001)
        .await
        .expect("another address");
    l.allow_new_session(None, 1001)
        .await
        .expect("no address, no limit");
}
