//! The account's signed-in sessions: each browser sees where the account is signed in and
//! can end any other session, or all of them, with and without JavaScript; a stranger's
//! session, a forged id or a replayed cookie ends nothing and opens nothing.

use crate::helpers::{spawn_app_with, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

/// Several sign-ins of one number within minutes.
const SETTINGS: &[(&str, &str)] = &[("LIMIT_PER_NUMBER", "20/1h"), ("LIMIT_PER_IP", "100/1h")];

async fn sessions(browser: &TestApp) -> Vec<Value> {
    let answer = browser.call("account", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let account: Value = serde_json::from_str(&answer.body).expect("JSON");
    account["sessions"].as_array().cloned().unwrap_or_default()
}

fn id_of(sessions: &[Value], current: bool) -> Vec<String> {
    sessions
        .iter()
        .filter(|s| s["current"].as_bool() == Some(current))
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn is_signed_in(browser: &TestApp) -> bool {
    browser
        .call("account", &[])
        .await
        .body
        .contains("\"number\"")
}

/// A new browser signed in as `number`, and its session cookie's value.
async fn sign_in_keeping_cookie(app: &TestApp, number: &str) -> (TestApp, String) {
    let browser = app.other_browser();
    let started = browser.call("start_login", &[("number", number)]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let code = browser.latest_code(number).await;
    let finished = browser.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
    let cookie = finished.session_id().expect("a session cookie at sign-in");
    (browser, cookie)
}

/// The account page fetched with only `cookie`, as a thief replaying it would.
async fn account_page_with(app: &TestApp, cookie: &str) -> String {
    crate::helpers::new_client()
        .get(format!("{}/account", app.base))
        .header("cookie", format!("session={cookie}"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("reachable")
        .text()
        .await
        .expect("body")
}

#[tokio::test]
async fn each_browser_sees_the_others_and_signing_one_out_ends_it_at_its_next_request() {
    let app = spawn_app_with(SETTINGS).await;
    let number = "+447400123201";
    let laptop = app.signed_in_browser(number).await;
    let (phone, cookie) = sign_in_keeping_cookie(&app, number).await;
    let listed = sessions(&laptop).await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(id_of(&listed, true).len(), 1, "one is this browser");
    let first = &listed[0];
    assert_eq!(first["signed_in_with"], "a code");
    assert_eq!(first["network"], "This computer");
    assert_eq!(
        first["device"], "Unknown browser",
        "reqwest names no browser"
    );
    for session in &listed {
        let id = session["id"].as_str().expect("id");
        assert!(!cookie.contains(id), "a listed id is never a cookie");
    }

    let phone_id = id_of(&listed, false).remove(0);
    let ended = laptop.call("session_end", &[("id", &phone_id)]).await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(ended.body, "false", "another browser, not this one");
    assert!(
        !is_signed_in(&phone).await,
        "the ended browser is signed out"
    );
    assert!(!is_signed_in(&phone).await, "and stays so");
    assert!(is_signed_in(&laptop).await);
    assert_eq!(sessions(&laptop).await.len(), 1);
    let again = laptop.call("session_end", &[("id", &phone_id)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.body);
    assert!(again.body.contains("SessionNotFound"), "{}", again.body);
}

#[tokio::test]
async fn sign_out_everywhere_else_keeps_only_this_browser() {
    let app = spawn_app_with(SETTINGS).await;
    let number = "+447400123202";
    let mut browsers = Vec::new();
    for _ in 0..4 {
        browsers.push(app.signed_in_browser(number).await);
    }
    let kept = browsers.remove(0);
    let ended = kept.call("session_end_others", &[]).await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(ended.body, "3");
    for browser in &browsers {
        assert!(!is_signed_in(browser).await);
    }
    let listed = sessions(&kept).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["current"], true);
    assert_eq!(kept.call("session_end_others", &[]).await.body, "0");
}

#[tokio::test]
async fn a_stranger_or_a_signed_out_browser_ends_nothing() {
    let app = spawn_app_with(SETTINGS).await;
    let owner = app.signed_in_browser("+447400123203").await;
    let stranger = app.signed_in_browser("+447400123204").await;
    let owner_id = id_of(&sessions(&owner).await, true).remove(0);
    let forged = stranger.call("session_end", &[("id", &owner_id)]).await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND, "{}", forged.body);
    let everything = stranger.call("session_end_others", &[]).await;
    assert_eq!(everything.body, "0", "the stranger's account has no others");
    let anonymous = app.other_browser();
    let nobody = anonymous.call("session_end", &[("id", &owner_id)]).await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED, "{}", nobody.body);
    for garbage in ["", &"x".repeat(5000)] {
        let bad = owner.call("session_end", &[("id", garbage)]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    }
    assert!(is_signed_in(&owner).await, "the owner is still signed in");
    assert_eq!(sessions(&owner).await.len(), 1);
}

#[tokio::test]
async fn a_replayed_cookie_of_an_ended_session_is_anonymous() {
    let app = spawn_app_with(SETTINGS).await;
    let number = "+447400123205";
    let laptop = app.signed_in_browser(number).await;
    let (_thief, stolen) = sign_in_keeping_cookie(&app, number).await;
    assert!(account_page_with(&app, &stolen).await.contains("Where you"));
    laptop.call("session_end_others", &[]).await;
    let replayed = account_page_with(&app, &stolen).await;
    assert!(
        !replayed.contains("Where you"),
        "the stolen cookie no longer signs in"
    );
}

#[tokio::test]
async fn logging_out_takes_the_session_off_the_list() {
    let app = spawn_app_with(SETTINGS).await;
    let number = "+447400123206";
    let laptop = app.signed_in_browser(number).await;
    let phone = app.signed_in_browser(number).await;
    assert_eq!(phone.call("logout", &[]).await.status, StatusCode::OK);
    let listed = sessions(&laptop).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["current"], true);
}

#[tokio::test]
async fn parallel_ends_of_one_session_count_it_once() {
    let app = spawn_app_with(SETTINGS).await;
    let number = "+447400123207";
    let laptop = app.signed_in_browser(number).await;
    let tablet = app.signed_in_browser(number).await;
    let phone = app.signed_in_browser(number).await;
    let phone_id = id_of(&sessions(&phone).await, true).remove(0);
    let mut calls = Vec::new();
    for i in 0..20 {
        let browser = if i % 2 == 0 {
            laptop.same_browser()
        } else {
            tablet.same_browser()
        };
        let id = phone_id.clone();
        calls.push(tokio::spawn(async move {
            browser.call("session_end", &[("id", &id)]).await.status
        }));
    }
    let mut ok = 0;
    for call in calls {
        match call.await.expect("joined") {
            StatusCode::OK => ok += 1,
            StatusCode::NOT_FOUND => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(ok, 1, "exactly one request ended it");
    assert_eq!(sessions(&laptop).await.len(), 2);
}

#[tokio::test]
async fn without_javascript_the_buttons_post_and_come_back_to_the_account() {
    let app = spawn_app_with(SETTINGS).await;
    let number = "+447400123208";
    let laptop = app.signed_in_browser(number).await;
    let phone = app.signed_in_browser(number).await;
    let _tablet = app.signed_in_browser(number).await;
    let page = laptop.get("/account").await;
    assert!(
        page.body.contains("Where you"),
        "the list is server-rendered"
    );
    assert!(page.body.contains("This browser"));
    assert!(page.body.contains("Sign out everywhere else"));
    assert!(
        page.body.contains("action=\"/api/session_end\""),
        "a form per session"
    );
    let phone_id = id_of(&sessions(&phone).await, true).remove(0);
    let one = laptop.post_form("session_end", &[("id", &phone_id)]).await;
    assert_eq!(one.status, StatusCode::SEE_OTHER);
    assert_eq!(one.location(), "/account");
    assert!(!is_signed_in(&phone).await);
    let rest = laptop.post_form("session_end_others", &[]).await;
    assert_eq!(rest.status, StatusCode::SEE_OTHER);
    assert_eq!(rest.location(), "/account");
    assert_eq!(sessions(&laptop).await.len(), 1);
    let own = id_of(&sessions(&laptop).await, true).remove(0);
    let me = laptop.post_form("session_end", &[("id", &own)]).await;
    assert_eq!(me.status, StatusCode::SEE_OTHER);
    assert_eq!(
        me.location(),
        "/",
        "ending this browser's own session signs it out"
    );
    assert!(!is_signed_in(&laptop).await);
}
