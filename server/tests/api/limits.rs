//! Send and check limits hold before anything reaches the provider.

use crate::helpers::{spawn_app_seen_from, spawn_app_with, wrong_code, TestApp};
use reqwest::StatusCode;

async fn start(app: &TestApp, number: &str) -> crate::helpers::Answer {
    app.call("start_login", &[("number", number)]).await
}

fn assert_limited(answer: &crate::helpers::Answer) {
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        answer.body
    );
    assert!(answer.body.contains("TooManyRequests"), "{}", answer.body);
    let retry: u64 = answer
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After header in seconds");
    assert!(retry >= 1, "{retry}");
}

async fn sent_count(app: &TestApp) -> usize {
    app.messages().await.len()
}

#[tokio::test]
async fn per_number_flood_is_stopped() {
    let app = spawn_app_with(&[("VONAGE_WORKFLOW", "sms"), ("LIMIT_PER_NUMBER", "2/10m")]).await;
    for _ in 0..2 {
        // A new browser each time, as a bot would, giving the number up after each code.
        let bot = app.other_browser();
        assert_eq!(start(&bot, "+447400123060").await.status, StatusCode::OK);
        bot.call("change_number", &[]).await;
    }
    assert_limited(&start(&app.other_browser(), "+447400123060").await);
    assert_eq!(sent_count(&app).await, 2);
}

// Every start counts two deliveries: the SMS, and the call the provider makes by itself
// unless the login ends first (given back when it does).

#[tokio::test]
async fn per_ip_flood_across_many_numbers_is_stopped() {
    let app = spawn_app_with(&[("LIMIT_PER_IP", "6/1h")]).await;
    for n in 61..64 {
        assert_eq!(
            start(&app.other_browser(), &format!("+447400123{n:03}"))
                .await
                .status,
            StatusCode::OK
        );
    }
    assert_limited(&start(&app.other_browser(), "+447400123064").await);
    assert_eq!(sent_count(&app).await, 3, "the refused send reached nobody");
}

#[tokio::test]
async fn per_session_limit_counts_sends_from_one_browser() {
    // SMS + call for the first number (2); the second reserves its own two (4 of 4), then
    // gives the first up before its call (given back: 3); a third needs two more.
    let app = spawn_app_with(&[("LIMIT_PER_SESSION", "4/1h")]).await;
    assert_eq!(start(&app, "+447400123065").await.status, StatusCode::OK);
    assert_eq!(start(&app, "+447400123066").await.status, StatusCode::OK);
    assert_limited(&start(&app, "+447400123067").await);
}

#[tokio::test]
async fn global_budget_stops_all_sends() {
    let app = spawn_app_with(&[("LIMIT_GLOBAL_PER_HOUR", "4")]).await;
    assert_eq!(
        start(&app.other_browser(), "+447400123068").await.status,
        StatusCode::OK
    );
    assert_eq!(
        start(&app.other_browser(), "+447400123069").await.status,
        StatusCode::OK
    );
    assert_limited(&start(&app.other_browser(), "+447400123070").await);
}

#[tokio::test]
async fn code_checks_per_ip_are_limited() {
    let app = spawn_app_with(&[("LIMIT_CHECKS_PER_IP", "2/5m")]).await;
    assert_eq!(start(&app, "+447400123071").await.status, StatusCode::OK);
    let code = app.latest_code("+447400123071").await;
    app.call("finish_login", &[("code", wrong_code(&code))])
        .await;
    app.call("finish_login", &[("code", wrong_code(&code))])
        .await;
    assert_limited(&app.call("finish_login", &[("code", &code)]).await);
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_a_proxy_header_is_configured() {
    let app = spawn_app_with(&[("VONAGE_WORKFLOW", "sms"), ("LIMIT_PER_IP", "1/1h")]).await;
    let spoofed = |ip, number| app.start_with_header("x-forwarded-for", ip, number);
    assert_eq!(
        spoofed("203.0.113.1", "+447400123071").await,
        StatusCode::OK
    );
    assert_eq!(
        spoofed("203.0.113.2", "+447400123072").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn trusted_proxy_header_gives_each_client_its_own_budget() {
    let app = spawn_app_with(&[
        ("VONAGE_WORKFLOW", "sms"),
        ("LIMIT_PER_IP", "1/1h"),
        ("CLIENT_IP_HEADER", "X-Real-IP"),
    ])
    .await;
    let send = |ip, number| app.start_with_header("x-real-ip", ip, number);
    assert_eq!(send("203.0.113.1", "+447400123081").await, StatusCode::OK);
    assert_eq!(send("203.0.113.2", "+447400123082").await, StatusCode::OK);
    assert_eq!(
        send("203.0.113.1", "+447400123083").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn limit_message_reaches_a_browser_without_javascript() {
    let app = spawn_app_with(&[("LIMIT_PER_SESSION", "2/1h")]).await;
    app.post_form("start_login", &[("number", "+447400123084")])
        .await;
    let refused = app
        .post_form("start_login", &[("number", "+447400123085")])
        .await;
    assert_eq!(
        (refused.status, refused.location()),
        (StatusCode::SEE_OTHER, "/login")
    );
    let page = app.get("/login").await;
    assert!(
        page.body.contains("Too many attempts. Try again in"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn disallowed_country_and_premium_numbers_are_refused_before_sending() {
    let app = spawn_app_with(&[("ALLOWED_COUNTRIES", "GB")]).await;
    let german = start(&app, "+4915112345678").await;
    assert_eq!(german.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(german.body.contains("CountryNotAllowed"), "{}", german.body);
    let premium = start(&app, "09098 790000").await;
    assert!(
        premium.body.contains("CannotReceiveCodes"),
        "{}",
        premium.body
    );
    assert_eq!(sent_count(&app).await, 0);
    assert_eq!(start(&app, "+447400123090").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_direct_client_cannot_choose_its_ip_with_the_proxy_header() {
    // The header is configured, but this peer is no trusted proxy (default: loopback only).
    let app = spawn_app_seen_from(
        "203.0.113.50:40000",
        &[
            ("VONAGE_WORKFLOW", "sms"),
            ("LIMIT_PER_IP", "1/1h"),
            ("CLIENT_IP_HEADER", "X-Real-IP"),
        ],
    )
    .await;
    let send = |ip, number| app.start_with_header("x-real-ip", ip, number);
    assert_eq!(send("198.51.100.1", "+447400123091").await, StatusCode::OK);
    assert_eq!(
        send("198.51.100.2", "+447400123092").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn forwarded_for_from_a_trusted_proxy_counts_the_rightmost_untrusted_address() {
    let app = spawn_app_seen_from(
        "10.0.0.2:40000",
        &[
            ("VONAGE_WORKFLOW", "sms"),
            ("LIMIT_PER_IP", "1/1h"),
            ("CLIENT_IP_HEADER", "X-Forwarded-For"),
            ("TRUSTED_PROXIES", "10.0.0.0/8"),
        ],
    )
    .await;
    let send = |chain, number| app.start_with_header("x-forwarded-for", chain, number);
    assert_eq!(
        send("1.1.1.1, 198.51.100.7, 10.0.0.9", "+447400123093").await,
        StatusCode::OK
    );
    // The client forges a new leftmost entry: still the same client to us.
    assert_eq!(
        send("2.2.2.2, 198.51.100.7, 10.0.0.9", "+447400123094").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(send("198.51.100.8", "+447400123095").await, StatusCode::OK);
}

#[tokio::test]
async fn ipv6_clients_are_limited_per_64() {
    let app = spawn_app_with(&[
        ("VONAGE_WORKFLOW", "sms"),
        ("LIMIT_PER_IP", "1/1h"),
        ("CLIENT_IP_HEADER", "X-Real-IP"),
    ])
    .await;
    let send = |ip, number| app.start_with_header("x-real-ip", ip, number);
    assert_eq!(
        send("2001:db8:1:2::1", "+447400123096").await,
        StatusCode::OK
    );
    assert_eq!(
        send("2001:db8:1:2:ffff:ffff:ffff:fffe", "+447400123097").await,
        StatusCode::TOO_MANY_REQUESTS,
        "another address in the same /64"
    );
    assert_eq!(
        send("2001:db8:1:3::1", "+447400123098").await,
        StatusCode::OK
    );
}
