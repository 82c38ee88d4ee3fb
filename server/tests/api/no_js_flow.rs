//! The login as a browser without JavaScript drives it: form posts answered with 303.

use crate::helpers::{spawn_app, wrong_code};
use reqwest::StatusCode;

#[tokio::test]
async fn full_login_with_plain_form_posts_and_303_redirects() {
    let app = spawn_app().await;
    assert_eq!(app.get("/login").await.status, StatusCode::OK);

    let start = app
        .post_form("start_login", &[("number", "07400 123010")])
        .await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    assert_eq!(start.location(), "/verify");

    let verify = app.get("/verify").await;
    assert_eq!(verify.status, StatusCode::OK);
    assert!(
        verify.body.contains("+44 7400 123010"),
        "PIN step shows the number"
    );

    let code = app.latest_code("+447400123010").await;
    let finish = app.post_form("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::SEE_OTHER);
    assert_eq!(finish.location(), "/");

    let home = app.get("/").await;
    assert!(
        home.body.contains("+44 7400 123010"),
        "home greets the number in international format"
    );

    let logout = app.post_form("logout", &[]).await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    assert_eq!(logout.location(), "/");
    assert!(!app.get("/").await.body.contains("Hello "));
}

#[tokio::test]
async fn bad_number_redirects_back_with_message_and_typed_value() {
    let app = spawn_app().await;
    let start = app.post_form("start_login", &[("number", "12")]).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    assert_eq!(start.location(), "/login");
    let page = app.get("/login").await;
    assert!(page.body.contains("too short"), "{}", page.body);
    assert!(page.body.contains(r#"value="12""#), "typed number is kept");
    // The message shows once.
    assert!(!app.get("/login").await.body.contains("too short"));
}

#[tokio::test]
async fn wrong_code_redirects_to_the_pin_step_with_attempts_left() {
    let app = spawn_app().await;
    app.post_form("start_login", &[("number", "+447400123011")])
        .await;
    let code = app.latest_code("+447400123011").await;
    let finish = app
        .post_form("finish_login", &[("code", wrong_code(&code))])
        .await;
    assert_eq!(finish.status, StatusCode::SEE_OTHER);
    assert_eq!(finish.location(), "/verify");
    let page = app.get("/verify").await;
    assert!(page.body.contains("2 attempts left"), "{}", page.body);
}

#[tokio::test]
async fn verify_without_pending_login_redirects_to_login() {
    let app = spawn_app().await;
    let page = app.get("/verify").await;
    assert!(page.status.is_redirection(), "{}", page.status);
    assert_eq!(page.location(), "/login");
}
