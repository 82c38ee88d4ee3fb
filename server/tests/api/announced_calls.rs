//! On the emulator's clock (shared with the app), a 300 s login runs in milliseconds and
//! shows that no call reaches the user that the page did not announce, through Vonage v2
//! and v1, and that every delivery is counted against the send limits.

use crate::helpers::{spawn_app_with, TestApp};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

const NUMBER: &str = "+447400123160";

async fn deliveries(app: &TestApp) -> Vec<Value> {
    let mut to_number: Vec<Value> = app
        .messages()
        .await
        .into_iter()
        .filter(|m| m["to"] == NUMBER)
        .collect();
    to_number.reverse();
    to_number
}

fn summary(messages: &[Value]) -> Vec<(String, String)> {
    messages
        .iter()
        .map(|m| {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (text(&m["channel"]), text(&m["cause"]))
        })
        .collect()
}

fn pair(channel: &str, cause: &str) -> (String, String) {
    (channel.to_owned(), cause.to_owned())
}

async fn call_in_secs(app: &TestApp) -> Value {
    let status = app.call("login_status", &[]).await;
    let body: Value = serde_json::from_str(&status.body).expect("status JSON");
    body["step"]["Pending"]["call_in_secs"].clone()
}

async fn the_provider_calls_when_the_page_said(api: &str) {
    let app = spawn_app_with(&[("EMULATOR_API", api)]).await;
    app.call("start_login", &[("number", NUMBER)]).await;
    assert_eq!(
        call_in_secs(&app).await,
        150,
        "{api}: announced at the start"
    );
    app.clock.advance(Duration::from_secs(149));
    assert_eq!(
        summary(&deliveries(&app).await),
        [pair("sms", "start")],
        "{api}"
    );
    assert_eq!(call_in_secs(&app).await, 1, "{api}");

    app.clock.advance(Duration::from_secs(1));
    let made = deliveries(&app).await;
    assert_eq!(
        summary(&made),
        [pair("sms", "start"), pair("voice", "auto")],
        "{api}: the call comes when announced"
    );
    assert_eq!(made[0]["code"], made[1]["code"], "{api}: one code for both");
    let status = app.call("login_status", &[]).await;
    assert!(
        status.body.contains(r#""channel":"Voice""#),
        "{api}: {}",
        status.body
    );

    app.clock.advance(Duration::from_secs(200));
    assert_eq!(
        deliveries(&app).await.len(),
        2,
        "{api}: nothing after the one call"
    );
}

async fn calling_sooner_replaces_the_scheduled_call(api: &str) {
    let app = spawn_app_with(&[("EMULATOR_API", api)]).await;
    app.call("start_login", &[("number", NUMBER)]).await;
    app.clock.advance(Duration::from_secs(40));
    let resend = app.call("resend_code", &[]).await;
    assert_eq!(resend.status, StatusCode::OK, "{api}: {}", resend.body);
    app.clock.advance(Duration::from_secs(400));
    assert_eq!(
        summary(&deliveries(&app).await),
        [pair("sms", "start"), pair("voice", "next")],
        "{api}: no second call at 150 s"
    );
}

async fn every_delivery_is_counted(api: &str) {
    // A day-long window: the 300 s of this test never straddle a window boundary in practice.
    let app = spawn_app_with(&[("EMULATOR_API", api), ("LIMIT_PER_NUMBER", "4/1d")]).await;
    app.call("start_login", &[("number", NUMBER)]).await;
    app.clock.advance(Duration::from_secs(301));
    assert_eq!(
        deliveries(&app).await.len(),
        2,
        "{api}: SMS and the provider's call"
    );

    // Another browser once the first login ran out: its SMS and call fit (4 of 4).
    let second = app.other_browser();
    let start = second.call("start_login", &[("number", NUMBER)]).await;
    assert_eq!(start.status, StatusCode::OK, "{api}: {}", start.body);
    app.clock.advance(Duration::from_secs(31));
    second.call("change_number", &[]).await;
    // Cancelled 31 s in (v1 allows it from 30 s, before the second event): its call will
    // not come and is given back, so 3 deliveries are counted and a start (2 more) does not fit.
    let third = app
        .other_browser()
        .call("start_login", &[("number", NUMBER)])
        .await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{api}: {}",
        third.body
    );
    app.clock.advance(Duration::from_secs(400));
    assert_eq!(
        deliveries(&app).await.len(),
        3,
        "{api}: as many sent as counted"
    );
}

macro_rules! timeline {
    ($module:ident, $api:literal) => {
        mod $module {
            #[tokio::test]
            async fn the_provider_calls_when_the_page_said() {
                super::the_provider_calls_when_the_page_said($api).await
            }
            #[tokio::test]
            async fn calling_sooner_replaces_the_scheduled_call() {
                super::calling_sooner_replaces_the_scheduled_call($api).await
            }
            #[tokio::test]
            async fn every_delivery_is_counted() {
                super::every_delivery_is_counted($api).await
            }
        }
    };
}

timeline!(vonage, "vonage");
timeline!(vonage_legacy, "vonage-legacy");
