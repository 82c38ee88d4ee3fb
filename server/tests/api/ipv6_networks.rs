//! IPv6 budgets per network size, attacked the way the hole was found: one client holding a
//! /48 (65,536 /64s) moves to a fresh /64 for every send, every code check and every human
//! check attempt. Each IPv6 client is counted in its /64, its /56 (4 times the per-address
//! rule) and its /48 (16 times) at once, so the fresh /64s run out. Client addresses come
//! from the trusted (loopback) test client in `X-Real-IP`; all traffic stays on loopback.

use crate::helpers::{spawn_app_with, wrong_code, Answer, TestApp};
use crate::scale_out_support::RedisServer;
use emulator::captcha::{TURNSTILE_PASSING_SECRET, TURNSTILE_TEST_TOKEN};
use reqwest::StatusCode;
use serde_json::Value;

/// Settings every test here uses: the proxy header the (loopback, trusted) client sets.
const VIA_PROXY: (&str, &str) = ("CLIENT_IP_HEADER", "X-Real-IP");

/// A fresh /64 of the /48 `2001:db8:1::/48`: the `n`th of its first /56.
fn fresh_64_of_one_56(n: usize) -> String {
    format!("2001:db8:1:{n:x}::1")
}

/// A fresh /56 of the /48 `2001:db8:1::/48` (and a fresh /64 in it).
fn fresh_56(n: usize) -> String {
    format!("2001:db8:1:{:x}::1", n << 8)
}

/// A distinct UK mobile number for the `n`th send.
fn number(n: usize) -> String {
    format!("+4474009{n:05}")
}

/// `POST /api/{function}` as the hydrated app does, in `browser`, for the client `ip`.
async fn call_from(browser: &TestApp, ip: &str, function: &str, fields: &[(&str, &str)]) -> Answer {
    let response = browser
        .client
        .post(format!("{}/api/{function}", browser.base))
        .header("x-real-ip", ip)
        .header("accept", "application/json")
        .form(fields)
        .send()
        .await
        .expect("reachable");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body");
    Answer {
        status,
        headers,
        body,
    }
}

/// A login started by a new browser from `ip` for `number`; the status.
async fn start_from(app: &TestApp, ip: &str, number: &str) -> StatusCode {
    app.start_with_header("x-real-ip", ip, number).await
}

#[tokio::test]
async fn forty_fresh_64s_of_one_48_do_not_all_get_codes() {
    // The attack: `LIMIT_PER_IP=10/1h`, 40 sends from 40 /64s of one /48. Each start
    // reserves 2 deliveries (its SMS and the provider's call): 5 logins per /64, 20 per /56.
    let app = spawn_app_with(&[VIA_PROXY, ("LIMIT_PER_IP", "10/1h")]).await;
    let mut statuses = Vec::new();
    for n in 0..40 {
        statuses.push(start_from(&app, &fresh_64_of_one_56(n), &number(n)).await);
    }
    let sent = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((sent, refused), (20, 20), "{statuses:?}");
    assert_eq!(
        app.messages().await.len(),
        20,
        "refused sends reached nobody"
    );
    assert_eq!(
        start_from(&app, &fresh_56(1), &number(40)).await,
        StatusCode::OK,
        "another /56 of the /48 has its own budget"
    );
    assert_eq!(
        start_from(&app, "2001:db8:2::1", &number(41)).await,
        StatusCode::OK,
        "another /48"
    );
    assert_eq!(
        start_from(&app, "203.0.113.7", &number(42)).await,
        StatusCode::OK,
        "IPv4 clients stay per address"
    );
}

#[tokio::test]
async fn fresh_56s_of_one_48_run_out_of_the_48s_budget() {
    // One delivery per start; 2 per address: a /56 holds 8, the /48 32.
    let app = spawn_app_with(&[
        VIA_PROXY,
        ("VONAGE_WORKFLOW", "sms"),
        ("LIMIT_PER_IP", "2/1h"),
    ])
    .await;
    let mut sent = 0;
    for n in 0..40 {
        if start_from(&app, &fresh_56(n), &number(n)).await == StatusCode::OK {
            sent += 1;
        }
    }
    assert_eq!(sent, 32, "the /48's 16 times 2");
    assert_eq!(app.messages().await.len(), 32);
    assert_eq!(
        start_from(&app, "2001:db8:2::1", &number(40)).await,
        StatusCode::OK,
        "another /48"
    );
}

#[tokio::test]
async fn the_wider_budgets_follow_limit_ipv6_wider() {
    // 1 per address; a /56 holds 2, no /48 budget; `off` restores one budget per /64.
    let settings = |wider| {
        [
            VIA_PROXY,
            ("VONAGE_WORKFLOW", "sms"),
            ("LIMIT_PER_IP", "1/1h"),
            ("LIMIT_IPV6_WIDER", wider),
        ]
    };
    let app = spawn_app_with(&settings("56:2")).await;
    let mut sent = 0;
    for n in 0..10 {
        if start_from(&app, &fresh_64_of_one_56(n), &number(n)).await == StatusCode::OK {
            sent += 1;
        }
    }
    assert_eq!(sent, 2);
    let app = spawn_app_with(&settings("off")).await;
    for n in 0..10 {
        let status = start_from(&app, &fresh_64_of_one_56(n), &number(n)).await;
        assert_eq!(status, StatusCode::OK, "a budget per /64 only");
    }
}

/// 60 starts at once, each from a fresh /64 of one /56 (10 deliveries per address, 2 per
/// start): the /56's 40 deliveries, 20 logins, however the requests race.
async fn parallel_starts_from_fresh_64s_stay_within_the_56(store: &str) {
    let app = spawn_app_with(&[
        VIA_PROXY,
        ("LIMIT_PER_IP", "10/1h"),
        ("SESSION_STORE", store),
    ])
    .await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..60 {
        let app = app.other_browser();
        tasks.spawn(async move { start_from(&app, &fresh_64_of_one_56(n), &number(n)).await });
    }
    let mut sent = 0;
    while let Some(status) = tasks.join_next().await {
        let status = status.expect("start ran");
        assert!(
            status == StatusCode::OK || status == StatusCode::TOO_MANY_REQUESTS,
            "{store}: {status}"
        );
        sent += usize::from(status == StatusCode::OK);
    }
    assert_eq!((sent, app.messages().await.len()), (20, 20), "{store}");
}

#[tokio::test]
async fn parallel_starts_from_fresh_64s_stay_within_the_56_in_memory() {
    parallel_starts_from_fresh_64s_stay_within_the_56("memory").await;
}

#[tokio::test]
async fn parallel_starts_from_fresh_64s_stay_within_the_56_in_sqlite() {
    let dir = std::env::temp_dir().join(format!("passwordless-ipv6-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/sessions.db", dir.display());
    parallel_starts_from_fresh_64s_stay_within_the_56(&url).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn parallel_starts_from_fresh_64s_stay_within_the_56_in_redis() {
    let redis = RedisServer::start();
    parallel_starts_from_fresh_64s_stay_within_the_56(&redis.url()).await;
}

/// `n` browsers, each with a login started from its own IPv4 address for its own number.
async fn pending_logins(app: &TestApp, n: usize) -> Vec<(TestApp, String)> {
    let mut logins = Vec::new();
    for i in 0..n {
        let browser = app.other_browser();
        let number = number(100 + i);
        let started = call_from(
            &browser,
            &format!("198.51.100.{}", i + 1),
            "start_login",
            &[("number", &number)],
        )
        .await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.body);
        let code = app.latest_code(&number).await;
        logins.push((browser, code));
    }
    logins
}

#[tokio::test]
async fn code_checks_from_fresh_64s_of_one_48_run_out() {
    // 1 check per address: a /56 holds 4, the /48 16.
    let app = spawn_app_with(&[VIA_PROXY, ("LIMIT_CHECKS_PER_IP", "1/5m")]).await;
    let logins = pending_logins(&app, 19).await;
    let mut logins = logins.iter();
    let mut check = |ip: String| {
        let (browser, code) = logins.next().expect("a login left");
        async move { call_from(browser, &ip, "finish_login", &[("code", wrong_code(code))]).await }
    };
    for n in 0..4 {
        let guess = check(fresh_64_of_one_56(n)).await;
        assert!(guess.body.contains("WrongCode"), "{n}: {}", guess.body);
    }
    let refused = check(fresh_64_of_one_56(4)).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(refused.headers.contains_key("retry-after"));
    // Fresh /56s of the same /48: 12 more, then the /48 is spent too.
    for n in 1..=12 {
        let guess = check(fresh_56(n)).await;
        assert!(guess.body.contains("WrongCode"), "/56 {n}: {}", guess.body);
    }
    let refused = check(fresh_56(13)).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    let other = check("2001:db8:2::1".into()).await;
    assert!(
        other.body.contains("WrongCode"),
        "another /48: {}",
        other.body
    );
}

#[tokio::test]
async fn a_human_check_burst_spread_over_fresh_64s_is_checked() {
    // Burst rule 1 per 10 min: a /64 sends 1 unchecked, a /56 4, the /48 16. The guard's
    // volume is out of reach so only the burst makes a send risky.
    let app = spawn_app_with(&[
        VIA_PROXY,
        ("CAPTCHA_PROVIDER", "turnstile"),
        ("CAPTCHA_SITE_KEY", "1x00000000000000000000AA"),
        ("CAPTCHA_SECRET", TURNSTILE_PASSING_SECRET),
        ("CAPTCHA_IP_BURST", "1/10m"),
        ("GUARD_MIN_SENDS", "1000"),
    ])
    .await;
    let attempt = |ip: String, n: usize, token: Option<&'static str>| {
        let browser = app.other_browser();
        async move {
            let number = number(n);
            let mut fields = vec![("number", number.as_str())];
            fields.extend(token.map(|t| ("captcha_token", t)));
            let answer = call_from(&browser, &ip, "start_login", &fields).await;
            let body: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
            (answer.status, body)
        }
    };
    for n in 0..4 {
        let (status, body) = attempt(fresh_64_of_one_56(n), n, None).await;
        assert_eq!(status, StatusCode::OK, "{n}: {body}");
    }
    let (status, body) = attempt(fresh_64_of_one_56(4), 4, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a fresh /64 of a busy /56");
    assert_eq!(body["ChallengeRequired"]["failed"], false, "{body}");
    let (status, body) = attempt(fresh_64_of_one_56(4), 4, Some(TURNSTILE_TEST_TOKEN)).await;
    assert_eq!(status, StatusCode::OK, "a passed check sends: {body}");
    // The /48 counted 6 attempts (checked ones too): fresh /56s get 10 more unchecked.
    for n in 1..=10 {
        let (status, body) = attempt(fresh_56(n), 10 + n, None).await;
        assert_eq!(status, StatusCode::OK, "/56 {n}: {body}");
    }
    let (status, _) = attempt(fresh_56(11), 30, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the /48's burst is spent");
    let (status, _) = attempt("2001:db8:2::1".into(), 31, None).await;
    assert_eq!(status, StatusCode::OK, "another /48");
    assert_eq!(app.messages().await.len(), 4 + 1 + 10 + 1);
}
