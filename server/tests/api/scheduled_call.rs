//! The call the provider makes by itself (Vonage: `next_event_wait` / `channel_timeout`)
//! is announced by the page, counted against the send limits from the start, and given
//! back when the login ends before it.

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

const NUMBER: &str = "+447400123140";

async fn pending(app: &TestApp) -> Value {
    let status = app.call("login_status", &[]).await;
    let body: Value = serde_json::from_str(&status.body).expect("status is JSON");
    body["step"]["Pending"].clone()
}

#[tokio::test]
async fn the_page_announces_the_call_and_then_says_it_is_calling() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", NUMBER)]).await;
    let before = pending(&app).await;
    assert_eq!(before["channel"], "Sms");
    assert_eq!(before["call_in_secs"], 150, "{before}");
    assert_eq!(before["can_resend"], true);

    app.clock.advance(Duration::from_secs(150));
    let after = pending(&app).await;
    assert_eq!(after["channel"], "Voice", "{after}");
    assert_eq!(after["call_in_secs"], Value::Null);
    assert_eq!(after["can_resend"], false, "the one call was made");
    let resend = app.call("resend_code", &[]).await;
    assert!(resend.body.contains("NoChannelLeft"), "{}", resend.body);
}

#[tokio::test]
async fn calling_sooner_cancels_the_announcement() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", NUMBER)]).await;
    app.clock.advance(Duration::from_secs(40));
    let resend = app.call("resend_code", &[]).await;
    assert_eq!(resend.status, StatusCode::OK, "{}", resend.body);
    let view = pending(&app).await;
    assert_eq!(view["channel"], "Voice");
    assert_eq!(view["call_in_secs"], Value::Null);
}

#[tokio::test]
async fn signing_in_before_the_call_gives_its_count_back() {
    // 3 per 10 minutes: each start reserves SMS + call (2) and gives the call back on
    // sign-in, so two quick sign-ins in a row both get their SMS (1 + 2 = 3); a third start
    // would need room for two more deliveries.
    let app = spawn_app_with(&[("LIMIT_PER_NUMBER", "3/10m")]).await;
    for _ in 0..2 {
        let start = app.call("start_login", &[("number", NUMBER)]).await;
        assert_eq!(start.status, StatusCode::OK, "{}", start.body);
        let code = app.latest_code(NUMBER).await;
        let finish = app.call("finish_login", &[("code", &code)]).await;
        assert_eq!(finish.status, StatusCode::OK, "{}", finish.body);
        app.call("logout", &[]).await;
    }
    let third = app.call("start_login", &[("number", NUMBER)]).await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        third.body
    );
}

#[tokio::test]
async fn sms_only_offers_no_call_and_announces_none() {
    let app = spawn_app_with(&[("VONAGE_WORKFLOW", "sms")]).await;
    app.call("start_login", &[("number", NUMBER)]).await;
    let view = pending(&app).await;
    assert_eq!(view["call_in_secs"], Value::Null);
    assert_eq!(view["can_resend"], false);
}
