//! A no-JavaScript error's one-shot message rides a signed one-minute cookie: no session is
//! stored for it, it shows once, a cookie the server did not sign shows nothing, instances
//! sharing `COOKIE_SECRET` read each other's, and it reaches the visitor while the store is
//! down.

use super::{cookie_lifetime, session_cookie};
use crate::helpers::{spawn_app_with, Answer, TestApp};
use crate::scale_out_support::RedisServer;
use reqwest::StatusCode;
use tower_sessions_sqlx_store::sqlx;

/// The flood the attack used: no-JavaScript posts of a bad number from cookie-less clients
/// on one address, past the per-address new-session limit (100 by default). Not one session
/// is stored: each answer is a 303 carrying the error in the signed `flash` cookie (a minute,
/// `HttpOnly`, `SameSite=Lax`), the next page shows it, and the page after that no longer.
#[tokio::test]
async fn no_javascript_errors_store_no_session_and_still_show_their_message_once() {
    let dir = std::env::temp_dir().join(format!("passwordless-test-{}", uuid::Uuid::new_v4()));
    let file = dir.join("sessions.db");
    let app = spawn_app_with(&[("SESSION_STORE", &format!("sqlite://{}", file.display()))]).await;
    for attempt in 0..150 {
        let browser = app.other_browser();
        let answer = browser.post_form("start_login", &[("number", "12")]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "attempt {attempt}");
        assert_eq!(answer.location(), "/login");
        assert_eq!(session_cookie(&answer), None, "no session for the message");
        let flash = answer
            .set_cookie("flash")
            .expect("the error rides the flash cookie");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(flash.contains(attribute), "{attribute}: {flash}");
        }
        let lifetime = cookie_lifetime(&flash).expect("an expiring cookie");
        assert!((1..=60).contains(&lifetime), "{flash}");
        // Every tenth visitor follows the redirect (all 150 would only repeat it): the
        // message shows once, and the page expires the cookie.
        if attempt % 10 == 0 {
            let page = browser.get("/login").await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(page.body.contains("too short"), "{}", page.body);
            assert!(
                page.body.contains(r#"value="12""#),
                "the typed number is kept"
            );
            let cleared = page
                .set_cookie("flash")
                .expect("the flash cookie is expired");
            assert_eq!(cookie_lifetime(&cleared), Some(0), "{cleared}");
            assert_eq!(session_cookie(&page), None, "reading stores nothing either");
            let again = browser.get("/login").await;
            assert!(!again.body.contains("too short"), "shown once");
            assert_eq!(again.set_cookie("flash"), None, "nothing left to expire");
        }
    }
    assert_eq!(stored_sessions(&file).await, 0, "no stored session");
    let _ = std::fs::remove_dir_all(dir);
}

/// A flash cookie the server did not sign as it is (altered, forged, garbage) shows no
/// message and breaks nothing: the page renders (200) and the cookie is expired.
#[tokio::test]
async fn a_tampered_flash_cookie_shows_no_message_and_no_error() {
    let app = spawn_app_with(&[]).await;
    let browser = app.other_browser();
    let answer = browser.post_form("start_login", &[("number", "12")]).await;
    let flash = answer.set_cookie("flash").expect("a flash cookie");
    let value = flash
        .split(';')
        .next()
        .and_then(|pair| pair.strip_prefix("flash="))
        .expect("flash=VALUE");
    // One character of the signed message changed (after the 44-character signature).
    let (mac, payload) = value.split_at(44);
    let mut altered: Vec<char> = payload.chars().collect();
    altered[5] = if altered[5] == 'A' { 'B' } else { 'A' };
    let altered: String = altered.into_iter().collect();
    let forged = format!("{mac}{altered}");
    for cookie in [
        forged.as_str(),
        payload,
        "garbage",
        "%%%;;==",
        &"A".repeat(4000),
    ] {
        let page = get_with_cookie(&app, &format!("flash={cookie}")).await;
        assert_eq!(page.status, StatusCode::OK, "{cookie}: {}", page.body);
        assert!(!page.body.contains("too short"), "{cookie}");
        assert!(!page.body.contains(r#"value="12""#), "{cookie}");
        let cleared = page.set_cookie("flash").expect("the bad cookie is expired");
        assert_eq!(cookie_lifetime(&cleared), Some(0), "{cleared}");
    }
    // The untouched cookie does show (the test above changed only what it meant to).
    let page = get_with_cookie(&app, &format!("flash={value}")).await;
    assert!(page.body.contains("too short"), "{}", page.body);
}

/// Instances configured with one `COOKIE_SECRET` read each other's messages; without it each
/// signs with its own random key and drops the other's message (only the message is lost).
#[tokio::test]
async fn a_shared_cookie_secret_carries_a_message_across_instances() {
    let secret = [(
        "COOKIE_SECRET",
        "shared-secret-for-the-flash-cookie-tests-0123",
    )];
    let (first, second) = (spawn_app_with(&secret).await, spawn_app_with(&secret).await);
    let answer = first.post_form("start_login", &[("number", "12")]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    // The browser keeps its cookies for the host, whichever instance (port) answers next.
    let next = TestApp {
        client: first.client.clone(),
        ..second
    };
    let page = next.get("/login").await;
    assert!(page.body.contains("too short"), "{}", page.body);

    let (first, second) = (spawn_app_with(&[]).await, spawn_app_with(&[]).await);
    first.post_form("start_login", &[("number", "12")]).await;
    let next = TestApp {
        client: first.client.clone(),
        ..second
    };
    let page = next.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("too short"), "another key: dropped");
}

/// The message needs no store: while Redis is down a no-JavaScript start is sent back to the
/// form (303) with "temporarily unavailable" and the typed number, both in the signed cookie.
#[tokio::test]
async fn a_no_javascript_error_reaches_the_visitor_while_the_store_is_down() {
    let mut redis = RedisServer::start();
    let app = spawn_app_with(&[("SESSION_STORE", &redis.url())]).await;
    redis.stop();
    let browser = app.other_browser();
    let answer = browser
        .post_form("start_login", &[("number", "+447400123517")])
        .await;
    assert_eq!(
        (answer.status, answer.location()),
        (StatusCode::SEE_OTHER, "/login"),
        "{}",
        answer.body
    );
    assert_eq!(session_cookie(&answer), None);
    assert!(
        answer.set_cookie("flash").is_some(),
        "the message rides its cookie"
    );
    let page = browser.get("/login").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Sign-in is temporarily unavailable"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("+447400123517"),
        "the typed number is kept"
    );
}

/// GET /login from a browser sending exactly `cookie`.
async fn get_with_cookie(app: &TestApp, cookie: &str) -> Answer {
    let response = crate::helpers::new_client()
        .get(format!("{}/login", app.base))
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .expect("reachable");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body");
    Answer {
        status,
        headers,
        body,
    }
}

/// The sessions stored in the SQLite session file `file`.
async fn stored_sessions(file: &std::path::Path) -> i64 {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("session file opens");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions")
        .fetch_one(&pool)
        .await
        .expect("sessions counted");
    pool.close().await;
    count
}
