//! Resend with voice fallback, change number, return-to after sign-in.

use crate::helpers::{spawn_app, spawn_app_with, wrong_code};
use reqwest::StatusCode;
use std::time::Duration;

#[tokio::test]
async fn resend_waits_for_the_countdown_then_calls_with_the_same_code() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123100")])
        .await;
    let code = app.latest_code("+447400123100").await;

    let early = app.call("resend_code", &[]).await;
    assert_eq!(
        early.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        early.body
    );
    assert!(early.body.contains("ResendTooSoon"), "{}", early.body);
    assert!(early.headers.get("retry-after").is_some());

    app.clock.advance(Duration::from_secs(31));
    let resend = app.call("resend_code", &[]).await;
    assert_eq!(resend.status, StatusCode::OK, "{}", resend.body);
    assert!(
        resend.body.contains("We're calling +44 7400 123100"),
        "{}",
        resend.body
    );
    let newest = &app.messages().await[0];
    assert_eq!(newest["channel"], "voice");
    assert_eq!(newest["code"], code.as_str());

    let status = app.call("login_status", &[]).await;
    assert!(
        status.body.contains(r#""channel":"Voice""#),
        "{}",
        status.body
    );
    assert!(
        status.body.contains(r#""can_resend":false"#),
        "{}",
        status.body
    );

    app.clock.advance(Duration::from_secs(31));
    let again = app.call("resend_code", &[]).await;
    assert!(again.body.contains("NoChannelLeft"), "{}", again.body);
    assert_eq!(
        app.call("finish_login", &[("code", &code)]).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn resend_never_resets_the_wrong_code_budget() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123101")])
        .await;
    let code = app.latest_code("+447400123101").await;
    app.call("finish_login", &[("code", wrong_code(&code))])
        .await;
    app.call("finish_login", &[("code", wrong_code(&code))])
        .await;
    app.clock.advance(Duration::from_secs(31));
    assert_eq!(app.call("resend_code", &[]).await.status, StatusCode::OK);
    let last = app
        .call("finish_login", &[("code", wrong_code(&code))])
        .await;
    assert!(last.body.contains("TooManyAttempts"), "{}", last.body);
}

#[tokio::test]
async fn starting_again_for_the_same_number_keeps_the_wrong_code_count() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123102")])
        .await;
    let code = app.latest_code("+447400123102").await;
    app.call("finish_login", &[("code", wrong_code(&code))])
        .await;
    app.call("start_login", &[("number", "+447400123102")])
        .await;
    let wrong = app
        .call("finish_login", &[("code", wrong_code(&code))])
        .await;
    assert!(
        wrong.body.contains(r#""attempts_left":1"#),
        "{}",
        wrong.body
    );
}

#[tokio::test]
async fn the_scheduled_call_counts_against_the_send_limits_from_the_start() {
    // A start needs room for the SMS and the call the provider will make by itself; asking
    // for that call sooner ("Call me instead") is not a third delivery.
    let app = spawn_app_with(&[("LIMIT_PER_NUMBER", "4/10m")]).await;
    let number = [("number", "+447400123103")];
    app.call("start_login", &number).await;
    app.clock.advance(Duration::from_secs(31));
    let resend = app.call("resend_code", &[]).await;
    assert_eq!(resend.status, StatusCode::OK, "{}", resend.body);
    app.call("change_number", &[]).await;
    // Two deliveries made: one more start fits (its SMS and call make 4 of 4); its call is
    // given back when that login is abandoned before it (3 of 4), and then no start fits.
    let again = app.call("start_login", &number).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    app.call("change_number", &[]).await;
    let refused = app.call("start_login", &number).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert_eq!(app.messages().await.len(), 3, "SMS, call, SMS");
}

#[tokio::test]
async fn resend_without_javascript_returns_to_the_pin_step_with_the_notice() {
    let app = spawn_app().await;
    app.post_form("start_login", &[("number", "+447400123104")])
        .await;
    app.clock.advance(Duration::from_secs(31));
    let resend = app.post_form("resend_code", &[]).await;
    assert_eq!(
        (resend.status, resend.location()),
        (StatusCode::SEE_OTHER, "/verify")
    );
    let page = app.get("/verify").await;
    assert!(
        page.body.contains("We&#x27;re calling") || page.body.contains("We're calling"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn change_number_cancels_and_returns_to_the_phone_step_prefilled() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123105")])
        .await;
    let change = app.post_form("change_number", &[]).await;
    assert_eq!(
        (change.status, change.location()),
        (StatusCode::SEE_OTHER, "/login")
    );
    let login = app.get("/login").await;
    assert!(
        login.body.contains(r#"value="+44 7400 123105""#),
        "{}",
        login.body
    );
    assert!(app
        .call("login_status", &[])
        .await
        .body
        .contains("SignedOut"));
    // Upstream was cancelled: a new start is a fresh request with a new message.
    app.call("start_login", &[("number", "+447400123105")])
        .await;
    let sent = app
        .messages()
        .await
        .iter()
        .filter(|m| m["to"] == "+447400123105")
        .count();
    assert_eq!(sent, 2);
}

#[tokio::test]
async fn protected_page_sends_to_sign_in_and_back() {
    let app = spawn_app().await;
    let account = app.get("/account").await;
    assert!(account.status.is_redirection());
    assert_eq!(account.location(), "/login?next=/account");
    let login = app.get("/login?next=/account").await;
    assert!(
        login.body.contains(r#"name="next" value="/account""#),
        "{}",
        login.body
    );

    app.post_form(
        "start_login",
        &[("number", "+447400123106"), ("next", "/account")],
    )
    .await;
    let code = app.latest_code("+447400123106").await;
    let finish = app.post_form("finish_login", &[("code", &code)]).await;
    assert_eq!(
        (finish.status, finish.location()),
        (StatusCode::SEE_OTHER, "/account")
    );
    let page = app.get("/account").await;
    assert!(
        page.body.contains("+44 7400 123106") && page.body.contains("Signed in since"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn open_redirects_through_next_all_go_home() {
    for (i, next) in [
        "//evil.example",
        "https://evil.example/",
        r"/\evil.example",
        "/%2F/evil.example",
    ]
    .iter()
    .enumerate()
    {
        let app = spawn_app().await;
        let number = format!("+44740012311{i}");
        app.call(
            "start_login",
            &[("number", number.as_str()), ("next", next)],
        )
        .await;
        let code = app.latest_code(&number).await;
        let finish = app.call("finish_login", &[("code", &code)]).await;
        assert_eq!(finish.body, r#""/""#, "{next} must not be honoured");
    }
}
