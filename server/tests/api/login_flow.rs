//! The login as the hydrated app drives it (JSON server functions).

use crate::helpers::{new_client, spawn_app};
use reqwest::StatusCode;

#[tokio::test]
async fn signs_in_with_the_code_from_the_outbox_and_greets_the_number() {
    let app = spawn_app().await;
    let start = app.call("start_login", &[("number", "07400 123001")]).await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);

    let status = app.call("login_status", &[]).await;
    assert!(status.body.contains("Pending"), "{}", status.body);
    assert!(status.body.contains("+44 7400 123001"), "{}", status.body);

    let code = app.latest_code("+447400123001").await;
    assert_eq!(code.len(), 6);
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{}", finish.body);

    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Hello "), "{}", home.body);
    assert!(home.body.contains("+44 7400 123001"));
    assert!(home.body.contains("Log out"));
}

#[tokio::test]
async fn session_id_is_renewed_at_sign_in() {
    let app = spawn_app().await;
    let start = app
        .call("start_login", &[("number", "+447400123002")])
        .await;
    let before = start
        .session_id()
        .expect("a session cookie is set when a code is sent");
    let code = app.latest_code("+447400123002").await;
    let finish = app.call("finish_login", &[("code", &code)]).await;
    let after = finish.session_id().expect("sign-in sets a new cookie");
    assert_ne!(before, after, "session id must change at sign-in");

    // The pre-login id no longer signs anybody in (fixation).
    let attacker = new_client();
    let home = attacker
        .get(format!("{}/", app.base))
        .header("cookie", format!("session={before}"))
        .send()
        .await
        .expect("reachable")
        .text()
        .await
        .expect("body");
    assert!(!home.contains("Hello "), "old session id must be anonymous");
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site_lax() {
    let app = spawn_app().await;
    let start = app
        .call("start_login", &[("number", "+447400123003")])
        .await;
    let cookie = start.set_cookie("session").expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
}

#[tokio::test]
async fn invalid_number_is_rejected_before_anything_is_sent() {
    let app = spawn_app().await;
    for bad in ["", "12", "call me", "+999 1234 5678", &"9".repeat(5000)] {
        let answer = app.call("start_login", &[("number", bad)]).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad:?}: {}",
            answer.body
        );
        assert!(answer.body.contains("InvalidNumber"), "{}", answer.body);
    }
    assert_eq!(app.messages().await, Vec::<serde_json::Value>::new());
}

#[tokio::test]
async fn missing_field_is_a_clear_bad_request() {
    let app = spawn_app().await;
    let answer = app.call("start_login", &[]).await;
    assert!(
        answer.status.is_client_error(),
        "{}: {}",
        answer.status,
        answer.body
    );
    assert!(!answer.body.contains("panicked"));
}

#[tokio::test]
async fn logout_destroys_the_session_and_the_old_cookie_is_anonymous() {
    let app = spawn_app().await;
    assert_eq!(
        app.call("start_login", &[("number", "+447400123004")])
            .await
            .status,
        StatusCode::OK
    );
    let code = app.latest_code("+447400123004").await;
    let finish = app.call("finish_login", &[("code", &code)]).await;
    let signed_in_cookie = finish.session_id().expect("cookie at sign-in");
    assert!(app.get("/").await.body.contains("Hello "));

    let logout = app.call("logout", &[]).await;
    assert_eq!(logout.status, StatusCode::OK, "{}", logout.body);
    let home = app.get("/").await;
    assert!(!home.body.contains("Hello "), "signed out after logout");
    assert!(home.body.contains("Sign in"));

    let replay = new_client()
        .get(format!("{}/", app.base))
        .header("cookie", format!("session={signed_in_cookie}"))
        .send()
        .await
        .expect("reachable")
        .text()
        .await
        .expect("body");
    assert!(
        !replay.contains("Hello "),
        "a replayed cookie after logout must be anonymous"
    );
}

#[tokio::test]
async fn sms_text_ends_with_the_webotp_origin_line() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123130")])
        .await;
    let messages = app.messages().await;
    let code = messages[0]["code"].as_str().expect("code");
    let text = messages[0]["text"].as_str().expect("text");
    assert!(
        text.ends_with(&format!("\n\n@127.0.0.1 #{code}")),
        "{text:?}"
    );
}
