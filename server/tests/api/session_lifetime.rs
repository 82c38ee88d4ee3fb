//! Idle and absolute session lifetimes.

use crate::helpers::spawn_app;
use reqwest::StatusCode;
use std::time::Duration;

fn session_cookie_max_age(answer: &crate::helpers::Answer) -> Option<u64> {
    answer
        .set_cookie("session")?
        .split(';')
        .find_map(|part| part.trim().strip_prefix("Max-Age=").map(str::to_owned))?
        .parse()
        .ok()
}

#[tokio::test]
async fn pending_sessions_idle_out_in_30_minutes_and_signed_in_ones_in_7_days() {
    let app = spawn_app().await;
    let start = app
        .call("start_login", &[("number", "+447400123095")])
        .await;
    assert_eq!(session_cookie_max_age(&start), Some(30 * 60));
    let code = app.latest_code("+447400123095").await;
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK);
    assert_eq!(session_cookie_max_age(&finish), Some(7 * 24 * 3600));
}

#[tokio::test]
async fn signed_in_session_ends_after_30_days_however_active() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123096")])
        .await;
    let code = app.latest_code("+447400123096").await;
    app.call("finish_login", &[("code", &code)]).await;
    // A visit every 5 days keeps it within the 7-day idle limit.
    for day in (5..=25).step_by(5) {
        app.clock.advance(Duration::from_secs(5 * 24 * 3600));
        assert!(app.get("/").await.body.contains("Hello "), "day {day}");
    }
    app.clock.advance(Duration::from_secs(4 * 24 * 3600));
    assert!(
        app.get("/").await.body.contains("Hello "),
        "still signed in on day 29"
    );
    app.clock.advance(Duration::from_secs(2 * 24 * 3600));
    let home = app.get("/").await;
    assert!(!home.body.contains("Hello "), "signed out after 30 days");
    assert!(home.body.contains("Sign in"));
}

#[tokio::test]
async fn cookie_secure_always_gives_a_host_prefixed_secure_cookie() {
    let app = crate::helpers::spawn_app_with(&[("COOKIE_SECURE", "always")]).await;
    let start = app
        .call("start_login", &[("number", "+447400123097")])
        .await;
    let cookie = start.set_cookie("__Host-session").expect("__Host- cookie");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    assert!(
        start.headers.get("strict-transport-security").is_some(),
        "HSTS with secure cookies"
    );
}
