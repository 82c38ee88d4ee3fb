//! "Log out" while a code is pending ends that login like "Use a different number": the
//! number is free for the next browser at once, and the provider does not call later.

use super::{summary, PAST_THE_CALL};
use crate::helpers::spawn_app;
use reqwest::StatusCode;

const NUMBER: &str = "+447400123821";

/// Browser A asks for a code and logs out (say, a shared computer); browser B types the same
/// number straight after and gets its code, instead of "this number's code was asked for in
/// another browser" (409 NumberBusy) for the next ten minutes.
#[tokio::test]
async fn after_a_logout_another_browser_can_start_the_number_at_once() {
    let app = spawn_app().await;
    let a = app.other_browser();
    let started = a.call("start_login", &[("number", NUMBER)]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let logout = a.call("logout", &[]).await;
    assert_eq!(logout.status, StatusCode::OK, "{}", logout.body);

    let b = app.other_browser();
    let start = b.call("start_login", &[("number", NUMBER)]).await;
    assert_eq!(
        start.status,
        StatusCode::OK,
        "after A logged out, B's start of the number: {}",
        summary(&start)
    );
    let code = b.latest_code(NUMBER).await;
    let signed = b.call("finish_login", &[("code", &code)]).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", summary(&signed));
}

/// A browser asks for a code and logs out before typing it: nobody is phoned two and a half
/// minutes later with a code for a login that no longer exists.
#[tokio::test]
async fn after_a_logout_the_provider_does_not_call() {
    let app = spawn_app().await;
    let started = app.call("start_login", &[("number", NUMBER)]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let logout = app.call("logout", &[]).await;
    assert_eq!(logout.status, StatusCode::OK, "{}", logout.body);

    app.clock.advance(PAST_THE_CALL);
    let messages = app.messages().await;
    let calls: Vec<_> = messages
        .iter()
        .filter(|m| m["to"] == NUMBER && m["channel"] == "voice")
        .collect();
    assert!(
        calls.is_empty(),
        "{NUMBER} was called after logging out: {calls:?}"
    );
}
