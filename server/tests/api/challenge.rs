//! The human check before risky sends, through the real server and the emulator's stand-ins
//! of the CAPTCHA providers (their documented test keys): asked only when a send is risky (a
//! burst from one address, even in parallel; a range near the guard's threshold), a passed
//! check sends, a failed or unverifiable one sends nothing, code checks never ask, the page
//! says so without JavaScript, and the CSP admits a provider only when one is configured.

use crate::helpers::{free_port, spawn_app_with, TestApp};
use crate::scale_out_support::RedisServer;
use emulator::captcha::{
    HCAPTCHA_TEST_SECRET, HCAPTCHA_TEST_TOKEN, TURNSTILE_FAILING_SECRET, TURNSTILE_PASSING_SECRET,
};
use reqwest::StatusCode;
use serde_json::Value;

const SITE_KEY: &str = "1x00000000000000000000AA";
const TOKEN: &str = "XXXX.DUMMY.TOKEN.XXXX";

async fn with_captcha(secret: &str, extra: &[(&str, &str)]) -> TestApp {
    let mut settings = vec![
        ("CAPTCHA_PROVIDER", "turnstile"),
        ("CAPTCHA_SITE_KEY", SITE_KEY),
        ("CAPTCHA_SECRET", secret),
        ("CLIENT_IP_HEADER", "X-Forwarded-For"),
    ];
    settings.extend_from_slice(extra);
    spawn_app_with(&settings).await
}

/// `start_login` from client address `ip` in this browser, with a check token if given;
/// the status and the JSON body.
async fn start(
    browser: &TestApp,
    ip: &str,
    number: &str,
    token: Option<&str>,
) -> (StatusCode, Value) {
    let mut fields = vec![("number", number)];
    if let Some(token) = token {
        fields.push(("captcha_token", token));
    }
    let response = browser
        .client
        .post(format!("{}/api/start_login", browser.base))
        .header("x-forwarded-for", ip)
        .header("accept", "application/json")
        .form(&fields)
        .send()
        .await
        .expect("reachable");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn sent_to(app: &TestApp, number: &str) -> usize {
    app.messages()
        .await
        .iter()
        .filter(|m| m["to"] == number)
        .count()
}

/// The `ChallengeRequired` body's `failed`, or `None` for any other answer.
fn challenge_failed(body: &Value) -> Option<bool> {
    body["ChallengeRequired"]["failed"].as_bool()
}

#[tokio::test]
async fn a_burst_from_one_address_is_checked_and_a_passed_check_sends() {
    let app = with_captcha(TURNSTILE_PASSING_SECRET, &[("CAPTCHA_IP_BURST", "2/10m")]).await;
    for n in 1..=2 {
        let number = format!("+44740012310{n}");
        let (status, _) = start(&app.other_browser(), "203.0.113.7", &number, None).await;
        assert_eq!(status, StatusCode::OK, "send {n} of the burst's allowance");
    }
    let browser = app.other_browser();
    let number = "+447400123103";
    let (status, body) = start(&browser, "203.0.113.7", number, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(challenge_failed(&body), Some(false), "{body}");
    let widget = &body["ChallengeRequired"]["widget"];
    assert_eq!(widget["provider"], "Turnstile");
    assert_eq!(widget["site_key"], SITE_KEY);
    assert_eq!(widget["script_url"], "/dev/captcha/api.js");
    assert!(
        !body.to_string().contains(TURNSTILE_PASSING_SECRET),
        "the secret stays on the server"
    );
    assert_eq!(
        sent_to(&app, number).await,
        0,
        "nothing sent before the check"
    );

    let (status, body) = start(&browser, "203.0.113.7", number, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(sent_to(&app, number).await, 1);
    // The code check asks for nothing more.
    let code = app.latest_code(number).await;
    let signed_in = browser.call("finish_login", &[("code", &code)]).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);

    let (status, _) = start(&app.other_browser(), "203.0.113.8", "+447400123104", None).await;
    assert_eq!(status, StatusCode::OK, "another address is not checked");
}

#[tokio::test]
async fn a_failed_or_unverifiable_check_sends_nothing() {
    let app = with_captcha(TURNSTILE_FAILING_SECRET, &[("CAPTCHA_WHEN", "always")]).await;
    let browser = app.other_browser();
    let number = "+447400123201";
    let (status, body) = start(&browser, "203.0.113.9", number, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(challenge_failed(&body), Some(true), "{body}");
    assert_eq!(sent_to(&app, number).await, 0);

    let nowhere = format!("http://127.0.0.1:{}/siteverify", free_port());
    let app = with_captcha(
        TURNSTILE_PASSING_SECRET,
        &[("CAPTCHA_WHEN", "always"), ("CAPTCHA_VERIFY_URL", &nowhere)],
    )
    .await;
    let (status, body) = start(&app.other_browser(), "203.0.113.9", number, Some(TOKEN)).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "an outage is never a pass"
    );
    assert_eq!(body, Value::from("ServiceUnavailable"));
    assert_eq!(sent_to(&app, number).await, 0);
}

/// 20 parallel attempts from one address, each from its own browser to its own number:
/// exactly the burst's 3 are sent unchecked.
async fn parallel_attempts_are_checked_beyond_the_burst(store: &[(&str, &str)]) {
    let mut settings = vec![("CAPTCHA_IP_BURST", "3/10m")];
    settings.extend_from_slice(store);
    let app = with_captcha(TURNSTILE_PASSING_SECRET, &settings).await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..20 {
        let browser = app.other_browser();
        tasks.spawn(async move {
            let number = format!("+4474001233{n:02}");
            start(&browser, "198.51.100.5", &number, None).await.0
        });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.expect("start ran"));
    }
    let sent = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::FORBIDDEN)
        .count();
    assert_eq!((sent, checked), (3, 17), "{statuses:?}");
    assert_eq!(app.messages().await.len(), 3);
}

#[tokio::test]
async fn parallel_attempts_from_one_address_are_checked_beyond_the_burst_in_memory() {
    parallel_attempts_are_checked_beyond_the_burst(&[]).await;
}

#[tokio::test]
async fn parallel_attempts_from_one_address_are_checked_beyond_the_burst_in_sqlite() {
    let dir = std::env::temp_dir().join(format!("passwordless-captcha-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/sessions.db", dir.display());
    parallel_attempts_are_checked_beyond_the_burst(&[("SESSION_STORE", url.as_str())]).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn parallel_attempts_from_one_address_are_checked_beyond_the_burst_in_redis() {
    let redis = RedisServer::start();
    let url = redis.url();
    parallel_attempts_are_checked_beyond_the_burst(&[("SESSION_STORE", url.as_str())]).await;
}

#[tokio::test]
async fn a_range_near_the_guards_threshold_is_checked_from_any_address() {
    let app = with_captcha(TURNSTILE_PASSING_SECRET, &[("GUARD_MIN_SENDS", "4")]).await;
    for n in 1..=2 {
        let ip = format!("198.51.100.{n}");
        let (status, _) = start(&app.other_browser(), &ip, &format!("+44740090000{n}"), None).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) = start(&app.other_browser(), "198.51.100.3", "+447400900003", None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "half the volume, nothing typed: {body}"
    );
    let (status, _) = start(&app.other_browser(), "198.51.100.4", "+447911100004", None).await;
    assert_eq!(status, StatusCode::OK, "other ranges are not checked");
}

#[tokio::test]
async fn hcaptchas_test_keys_work_the_same_way() {
    let app = spawn_app_with(&[
        ("CAPTCHA_PROVIDER", "hcaptcha"),
        ("CAPTCHA_SITE_KEY", "10000000-ffff-ffff-ffff-000000000001"),
        ("CAPTCHA_SECRET", HCAPTCHA_TEST_SECRET),
        ("CAPTCHA_WHEN", "always"),
    ])
    .await;
    let browser = app.other_browser();
    let number = "+447400123401";
    let (_, body) = start(&browser, "ignored", number, None).await;
    assert_eq!(body["ChallengeRequired"]["widget"]["provider"], "Hcaptcha");
    let (_, body) = start(&browser, "ignored", number, Some(TOKEN)).await;
    assert_eq!(
        challenge_failed(&body),
        Some(true),
        "not hCaptcha's test token"
    );
    let (status, _) = start(&browser, "ignored", number, Some(HCAPTCHA_TEST_TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sent_to(&app, number).await, 1);
}

#[tokio::test]
async fn without_javascript_the_page_says_the_check_needs_it() {
    let app = with_captcha(TURNSTILE_PASSING_SECRET, &[("CAPTCHA_WHEN", "always")]).await;
    let posted = app
        .post_form("start_login", &[("number", "+447400123501")])
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    assert_eq!(posted.location(), "/login");
    let page = app.get("/login").await;
    assert!(
        page.body.contains("confirm you&#x27;re a person")
            || page.body.contains("confirm you're a person"),
        "{}",
        page.body
    );
    assert!(page.body.contains("This check needs JavaScript"));
    assert!(page.body.contains("class=\"human-check\""));
    assert_eq!(app.messages().await.len(), 0);
}

#[tokio::test]
async fn the_csp_admits_a_provider_only_when_one_is_configured() {
    let csp = |app: TestApp| async move {
        let page = app.get("/login").await;
        page.headers["content-security-policy"]
            .to_str()
            .expect("ascii")
            .to_owned()
    };
    let plain = csp(spawn_app_with(&[]).await).await;
    assert!(plain.contains("frame-src 'self';"), "{plain}");
    assert!(!plain.contains("https://"), "{plain}");
    let stand_in = csp(with_captcha(TURNSTILE_PASSING_SECRET, &[]).await).await;
    assert!(
        !stand_in.contains("https://"),
        "the stand-in is on this site: {stand_in}"
    );
    let vendor = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";
    let real =
        csp(with_captcha(TURNSTILE_PASSING_SECRET, &[("CAPTCHA_SCRIPT_URL", vendor)]).await).await;
    for directive in ["script-src", "frame-src"] {
        let rule = real
            .split(';')
            .find(|d| d.trim_start().starts_with(directive))
            .unwrap_or_default();
        assert!(rule.contains("https://challenges.cloudflare.com"), "{real}");
    }
}
