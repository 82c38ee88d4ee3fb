//! IPv6 clients: counted in their own network (a /64) and at once in each wider network
//! around it (a /56, a /48) with its multiple of the rule, so hopping from /64 to /64 gains
//! nothing once the wider budget is spent.

use super::*;

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
