use super::*;

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

#[test]
fn ipv6_clients_share_a_budget_per_network() {
    let l = limiter(loose());
    let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
    assert_eq!(
        l.ip_bucket(ip("2001:db8:1:2:aaaa::1")),
        l.ip_bucket(ip("2001:db8:1:2:bbbb::2"))
    );
    assert_ne!(
        l.ip_bucket(ip("2001:db8:1:2::1")),
        l.ip_bucket(ip("2001:db8:1:3::1"))
    );
    assert_eq!(l.ip_bucket(ip("2001:db8:1:2::1")), "2001:db8:1:2::/64");
    assert_eq!(l.ip_bucket(ip("203.0.113.7")), "203.0.113.7");
    assert_eq!(l.ip_bucket(ip("::ffff:203.0.113.7")), "203.0.113.7");
    let l128 = limiter(LimitPolicy {
        ipv6_prefix: 128,
        ..loose()
    });
    assert_eq!(l128.ip_bucket(ip("2001:db8::1")), "2001:db8::1/128");
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

#[test]
fn an_ipv6_client_is_counted_in_its_64_56_and_48_each_with_its_factor() {
    let l = limiter(loose());
    let buckets = |text: &str| {
        l.ip_buckets(ip(text).expect("ip"))
            .into_iter()
            .map(|b| (b.key, b.factor))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        buckets("2001:db8:1:2ab:cafe::1"),
        vec![
            ("2001:db8:1:2ab::/64".to_owned(), 1),
            ("2001:db8:1:200::/56".to_owned(), 4),
            ("2001:db8:1::/48".to_owned(), 16),
        ]
    );
    // IPv4 and IPv4-mapped addresses stay per address.
    assert_eq!(buckets("203.0.113.7"), vec![("203.0.113.7".to_owned(), 1)]);
    assert_eq!(
        buckets("::ffff:203.0.113.7"),
        vec![("203.0.113.7".to_owned(), 1)]
    );
    // Only networks wider than the client's own count; none configured: the network alone.
    let per_56 = limiter(LimitPolicy {
        ipv6_prefix: 56,
        ..loose()
    });
    let keys: Vec<String> = per_56
        .ip_buckets(ip("2001:db8:1:2ab::1").expect("ip"))
        .into_iter()
        .map(|b| b.key)
        .collect();
    assert_eq!(keys, ["2001:db8:1:200::/56", "2001:db8:1::/48"]);
    let alone = limiter(LimitPolicy {
        ipv6_wider: Vec::new(),
        ..loose()
    });
    assert_eq!(alone.ip_buckets(ip("2001:db8::1").expect("ip")).len(), 1);
    assert_eq!(Rule::parse("3/10m").map(|r| r.times(16)), Ok(rule(48, 600)));
}

#[tokio::test]
async fn sends_from_fresh_64s_run_out_in_their_56_then_their_48() {
    // 2 per /64: the /56 holds 8, the /48 32.
    let l = limiter(LimitPolicy {
        per_ip: vec![rule(2, 3600)],
        ..loose()
    });
    let send = |from: String, n: usize| {
        let l = l.clone();
        async move {
            l.allow_send(&format!("+4474001{n:05}"), ip(&from), T0)
                .await
        }
    };
    let mut allowed = 0;
    for n in 0..40 {
        // 40 fresh /64s of one /56, one send each.
        if send(format!("2001:db8:1:{n:x}::1"), n).await.is_ok() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 8, "the /56's budget");
    assert!(matches!(
        send("2001:db8:1:ff::1".into(), 40).await,
        Err(LimitRefusal::Limited {
            scope: "ip_network",
            ..
        })
    ));
    for n in 1..40 {
        // A fresh /56 of the same /48 each time.
        if send(format!("2001:db8:1:{:x}::1", n << 8), 100 + n)
            .await
            .is_ok()
        {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 32, "the /48's budget");
    assert_eq!(
        send("2001:db8:2::1".into(), 200).await,
        Ok(()),
        "another /48"
    );
    assert_eq!(send("203.0.113.7".into(), 201).await, Ok(()), "IPv4");
}

#[tokio::test]
async fn a_refused_send_is_taken_back_in_every_network() {
    // 1 per /64, 4 per /56: a /64 refused many times must not use up its /56.
    let l = limiter(LimitPolicy {
        per_ip: vec![rule(1, 3600)],
        ..loose()
    });
    l.allow_send("+447400100001", ip("2001:db8:1:1::1"), T0)
        .await
        .expect("first");
    for _ in 0..10 {
        assert!(matches!(
            l.allow_send("+447400100002", ip("2001:db8:1:1::2"), T0)
                .await,
            Err(LimitRefusal::Limited { scope: "ip", .. })
        ));
    }
    for n in 2..=4 {
        let from = ip(&format!("2001:db8:1:{n}::1"));
        l.allow_send(&format!("+44740010000{n}"), from, T0)
            .await
            .expect("the /56 still has room");
    }
    assert!(l
        .allow_send("+447400100009", ip("2001:db8:1:9::1"), T0)
        .await
        .is_err());
}

#[tokio::test]
async fn code_checks_from_fresh_64s_run_out_in_their_network() {
    let l = limiter(LimitPolicy {
        checks_per_ip: vec![rule(1, 300)],
        ..loose()
    });
    for n in 0..4 {
        l.allow_check(ip(&format!("2001:db8:1:{n}::1")), T0)
            .await
            .expect("the /56 holds 4");
    }
    assert!(matches!(
        l.allow_check(ip("2001:db8:1:4::1"), T0).await,
        Err(LimitRefusal::Limited {
            scope: "checks_network",
            ..
        })
    ));
    l.allow_check(ip("2001:db8:1:100::1"), T0)
        .await
        .expect("another /56 of the /48");
}

#[tokio::test]
async fn parallel_sends_from_fresh_64s_never_exceed_their_networks_budget() {
    // 10 per /64, 40 per /56: 60 /64s of one /56, 2 sends each, all at once.
    let l = limiter(LimitPolicy {
        per_ip: vec![rule(10, 3600)],
        global_per_hour: 1000,
        ..loose()
    });
    let tasks: Vec<_> = (0..120)
        .map(|n| {
            let l = l.clone();
            let from = ip(&format!("2001:db8:1:{:x}::1", n % 60));
            tokio::spawn(async move { l.allow_send(&format!("+4474001{n:05}"), from, T0).await })
        })
        .collect();
    let mut allowed = 0;
    for task in tasks {
        if task.await.expect("task ran").is_ok() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 40);
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
