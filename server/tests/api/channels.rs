//! WhatsApp beside text messages: the phone step offers the choice, the code goes where the
//! person chose (the emulator's outbox shows the channel), the choice is remembered in this
//! browser only, the code step says where the code went and what comes next, and a forged
//! channel is refused without sending anything.

use crate::helpers::{spawn_app_with, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

const NUMBER: &str = "+447400123150";
const CHOICE: &[(&str, &str)] = &[
    ("VONAGE_WORKFLOW", "whatsapp,sms,voice"),
    ("VONAGE_WHATSAPP_FROM", "447700900000"),
];

async fn status(app: &TestApp) -> Value {
    let status = app.call("login_status", &[]).await;
    serde_json::from_str(&status.body).expect("status is JSON")
}

async fn newest_channel(app: &TestApp) -> String {
    let messages = app.messages().await;
    let newest = messages
        .iter()
        .find(|m| m["to"] == NUMBER)
        .expect("a message");
    newest["channel"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_phone_step_offers_whatsapp_or_a_text_and_sends_where_chosen() {
    let app = spawn_app_with(CHOICE).await;
    let page = app.get("/login").await;
    assert!(page.body.contains(r#"name="channel""#), "radio buttons");
    assert!(page.body.contains(r#"value="whatsapp""#) && page.body.contains(r#"value="sms""#));
    let offered = status(&app).await["channel_choice"].clone();
    assert_eq!(offered["options"], serde_json::json!(["WhatsApp", "Sms"]));
    assert_eq!(
        offered["chosen"], "WhatsApp",
        "the first named is preselected"
    );

    let start = app
        .call("start_login", &[("number", NUMBER), ("channel", "sms")])
        .await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    let cookie = start
        .set_cookie("channel")
        .expect("the choice is remembered");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(newest_channel(&app).await, "sms");
    let pending = status(&app).await["step"]["Pending"].clone();
    assert_eq!(pending["channel"], "Sms");
    assert_eq!(pending["next_channel"], "Voice");
    assert_eq!(
        status(&app).await["channel_choice"]["chosen"],
        "Sms",
        "this browser's choice is preselected next time"
    );
    let other = app.other_browser();
    assert_eq!(status(&other).await["channel_choice"]["chosen"], "WhatsApp");
}

#[tokio::test]
async fn a_whatsapp_code_signs_in_and_its_page_says_where_it_went_without_javascript() {
    let app = spawn_app_with(CHOICE).await;
    let start = app
        .post_form(
            "start_login",
            &[("number", NUMBER), ("channel", "whatsapp")],
        )
        .await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
    assert_eq!(newest_channel(&app).await, "whatsapp");
    let page = app.get("/verify").await;
    assert!(
        page.body.contains("WhatsApp message"),
        "the step says WhatsApp"
    );
    assert!(
        page.body.contains("we&#x27;ll call you in") || page.body.contains("we'll call you in"),
        "and what comes next"
    );
    let code = app.latest_code(NUMBER).await;
    let finish = app.post_form("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::SEE_OTHER, "{}", finish.body);
    assert_eq!(finish.location(), "/");
}

#[tokio::test]
async fn a_forged_channel_is_refused_and_sends_nothing() {
    let app = spawn_app_with(CHOICE).await;
    let start = app
        .call(
            "start_login",
            &[("number", NUMBER), ("channel", "carrier-pigeon")],
        )
        .await;
    assert_ne!(start.status, StatusCode::OK);
    assert!(start.body.contains("BadRequest"), "{}", start.body);
    assert!(app.messages().await.iter().all(|m| m["to"] != NUMBER));
    // A channel this site does not offer is not an error: the site's first channel goes.
    let start = app
        .call("start_login", &[("number", NUMBER), ("channel", "rcs")])
        .await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    assert_eq!(newest_channel(&app).await, "whatsapp");
}

#[tokio::test]
async fn without_a_choice_the_page_offers_none_and_sets_no_cookie() {
    let app = spawn_app_with(&[]).await;
    assert!(!app.get("/login").await.body.contains(r#"name="channel""#));
    assert_eq!(status(&app).await["channel_choice"], Value::Null);
    let start = app
        .call("start_login", &[("number", NUMBER), ("channel", "sms")])
        .await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    assert_eq!(start.set_cookie("channel"), None);
}
