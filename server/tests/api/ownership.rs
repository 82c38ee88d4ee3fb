//! A pending login belongs to the session that started it: another browser that knows only
//! the number can neither take it over, cancel it, move it to a call nor use up its
//! attempts; and wrong codes count per number, whatever happens in between.

use crate::helpers::{new_client, spawn_against, spawn_app, spawn_app_with, wrong_code, TestApp};
use reqwest::StatusCode;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn sent_to(app: &TestApp, e164: &str) -> usize {
    app.messages()
        .await
        .iter()
        .filter(|m| m["to"] == e164)
        .count()
}

fn attempts_left(status_body: &str) -> String {
    status_body
        .split(r#""attempts_left":"#)
        .nth(1)
        .and_then(|rest| rest.split([',', '}']).next())
        .unwrap_or("?")
        .to_owned()
}

#[tokio::test]
async fn another_browser_cannot_take_over_cancel_ring_or_burn_the_owners_login() {
    let app = spawn_app().await;
    let number = "+447400900611";
    assert_eq!(
        app.call("start_login", &[("number", number)]).await.status,
        StatusCode::OK
    );
    let code = app.latest_code(number).await;

    // Browser B knows only the number.
    let b = app.other_browser();
    for _ in 0..3 {
        let start = b.call("start_login", &[("number", number)]).await;
        assert_eq!(start.status, StatusCode::CONFLICT, "{}", start.body);
        assert!(start.body.contains("NumberBusy"), "{}", start.body);
        let retry: u64 = start
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After");
        assert!((1..=600).contains(&retry), "{retry}");
        // "Use a different number", "Call me instead" and guesses have nothing to act on.
        b.post_form("change_number", &[]).await;
        app.clock.advance(std::time::Duration::from_secs(31));
        let call = b.call("resend_code", &[]).await;
        assert!(call.body.contains("NoPendingLogin"), "{}", call.body);
        let guess = b.call("finish_login", &[("code", wrong_code(&code))]).await;
        assert!(guess.body.contains("NoPendingLogin"), "{}", guess.body);
    }
    let page = b.post_form("start_login", &[("number", number)]).await;
    assert_eq!(page.location(), "/login");
    let login = b.get("/login").await;
    assert!(
        login
            .body
            .contains("Use it in the browser where you asked for it"),
        "{}",
        login.body
    );

    assert_eq!(sent_to(&app, number).await, 1, "nothing sent for browser B");
    let status = app.call("login_status", &[]).await;
    assert_eq!(attempts_left(&status.body), "3", "{}", status.body);
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(
        finish.status,
        StatusCode::OK,
        "owner signs in: {}",
        finish.body
    );
}

#[tokio::test]
async fn a_live_request_no_session_owns_is_cancelled_and_replaced_never_resumed() {
    let app = spawn_app().await;
    let number = "+447400900612";
    // A request for the number live at the provider that no session owns (a lost reply,
    // an ended login): its id is known to whoever started it.
    let orphan = app.live_request_id_after_starting(number).await;
    let start = app.call("start_login", &[("number", number)]).await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    assert_eq!(
        sent_to(&app, number).await,
        2,
        "a fresh code, not the orphan's"
    );
    // The orphan is dead: its holder cannot use it any more.
    let probe = new_client()
        .post(format!("{}/v2/verify/{orphan}", app.emulator_base))
        .basic_auth("emulator", Some("emulator"))
        .json(&serde_json::json!({"code": "000000"}))
        .send()
        .await
        .expect("emulator reachable");
    assert_eq!(probe.status(), StatusCode::NOT_FOUND);
    let code = app.latest_code(number).await;
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{}", finish.body);
}

#[tokio::test]
async fn a_provider_still_busy_after_a_cancel_means_wait_a_moment() {
    // Vonage v2 answers 409 (with the old id) for a few seconds after a DELETE.
    let upstream = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/verify"))
        .respond_with(ResponseTemplate::new(409).set_body_json(serde_json::json!({
            "title": "Conflict",
            "request_id": "c11236f4-00bf-4b89-84ba-88b25df97315"
        })))
        .mount(&upstream)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&upstream)
        .await;
    let app = spawn_against("vonage", &upstream.uri(), &[]).await;
    let start = app
        .call("start_login", &[("number", "+447400900618")])
        .await;
    assert_eq!(start.status, StatusCode::CONFLICT, "{}", start.body);
    assert!(start.body.contains("NumberSettling"), "{}", start.body);
    assert_eq!(
        start
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("5")
    );
    let status = app.call("login_status", &[]).await;
    assert!(
        status.body.contains("SignedOut"),
        "never resumed: {}",
        status.body
    );
}

#[tokio::test]
async fn the_owner_may_leave_and_come_back_to_the_same_number() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400900613")])
        .await;
    app.call("start_login", &[("number", "+447400900614")])
        .await;
    // Back to the first number (given up when the second was started): a fresh code.
    let back = app
        .call("start_login", &[("number", "+447400900613")])
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(sent_to(&app, "+447400900613").await, 2);
    let code = app.latest_code("+447400900613").await;
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{}", finish.body);
}

#[tokio::test]
async fn wrong_codes_survive_change_number_other_numbers_and_new_browsers() {
    let app = spawn_app_with(&[("LIMIT_PER_NUMBER", "10/10m")]).await;
    let first = "+447400900615";
    app.call("start_login", &[("number", first)]).await;
    let code = app.latest_code(first).await;
    for _ in 0..2 {
        app.call("finish_login", &[("code", wrong_code(&code))])
            .await;
    }
    let status = app.call("login_status", &[]).await;
    assert_eq!(attempts_left(&status.body), "1", "{}", status.body);

    // "Use a different number", another number, "Use a different number", the first again.
    app.post_form("change_number", &[]).await;
    app.call("start_login", &[("number", "+447400900616")])
        .await;
    app.post_form("change_number", &[]).await;
    let again = app.call("start_login", &[("number", first)]).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let status = app.call("login_status", &[]).await;
    assert_eq!(
        attempts_left(&status.body),
        "1",
        "never back up: {}",
        status.body
    );

    // A new browser after the owner let go: the count still holds.
    app.post_form("change_number", &[]).await;
    let other = app.other_browser();
    other.call("start_login", &[("number", first)]).await;
    let status = other.call("login_status", &[]).await;
    assert_eq!(attempts_left(&status.body), "1", "{}", status.body);
    // The right code still works and clears the count.
    let code = other.latest_code(first).await;
    let finish = other.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{}", finish.body);
    let fresh = app.other_browser();
    fresh.call("start_login", &[("number", first)]).await;
    let status = fresh.call("login_status", &[]).await;
    assert_eq!(attempts_left(&status.body), "3", "{}", status.body);
}

#[tokio::test]
async fn consecutive_wrong_codes_per_number_are_capped_across_sessions() {
    let app = spawn_app_with(&[("LIMIT_FAILED_PER_NUMBER", "4/1d")]).await;
    let number = "+447400900617";
    let mut wrong = 0;
    while wrong < 4 {
        let browser = app.other_browser();
        let start = browser.call("start_login", &[("number", number)]).await;
        assert_eq!(
            start.status,
            StatusCode::OK,
            "after {wrong}: {}",
            start.body
        );
        let code = browser.latest_code(number).await;
        loop {
            let answer = browser
                .call("finish_login", &[("code", wrong_code(&code))])
                .await;
            wrong += 1;
            if !answer.body.contains(r#"{"WrongCode""#) {
                break;
            }
        }
    }
    assert_eq!(wrong, 4);
    let refused = app
        .other_browser()
        .call("start_login", &[("number", number)])
        .await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("TooManyWrongCodes"),
        "{}",
        refused.body
    );
    let retry: u64 = refused
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(retry >= 60, "{retry}");
}

#[tokio::test]
async fn moving_on_to_another_number_frees_the_first_for_others() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400900619")])
        .await;
    app.call("start_login", &[("number", "+447400900620")])
        .await;
    // The first login was given up (one pending login per browser): its number is free.
    let other = app.other_browser();
    let start = other
        .call("start_login", &[("number", "+447400900619")])
        .await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    // The second number is still owned by the first browser.
    let busy = other
        .call("start_login", &[("number", "+447400900620")])
        .await;
    assert!(busy.body.contains("NumberBusy"), "{}", busy.body);
}
