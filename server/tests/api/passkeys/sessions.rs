//! Removing a passkey offers to sign out the sessions it opened: the account page counts
//! them beside "Remove", and ticking the offer ends exactly those (never this browser, never
//! a session opened by a code or by another passkey).

use super::*;
use crate::helpers::spawn_app_with;

/// A browser signed in with the passkey on `authenticator`.
async fn passkey_browser(app: &TestApp, authenticator: &mut SoftAuthenticator) -> TestApp {
    let browser = app.other_browser();
    let credential = assertion(&browser, authenticator).await;
    let signed = finish(&browser, &credential, None).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    browser
}

async fn signed_in(browser: &TestApp) -> bool {
    browser
        .call("account", &[])
        .await
        .body
        .contains("\"number\"")
}

#[tokio::test]
async fn removing_a_passkey_can_sign_out_the_sessions_it_opened_and_only_those() {
    let settings = [("LIMIT_PER_NUMBER", "20/1h")];
    let number = "+447400123721";
    let app = spawn_app_with(&settings).await;
    let owner = app.signed_in_browser(number).await;
    let mut lost = SoftAuthenticator::new();
    let mut kept = SoftAuthenticator::new();
    let lost_id = add_passkey(&owner, &mut lost).await["id"].clone();
    add_passkey(&owner, &mut kept).await;
    let thief_a = passkey_browser(&app, &mut lost).await;
    let thief_b = passkey_browser(&app, &mut lost).await;
    let other_device = passkey_browser(&app, &mut kept).await;
    let by_code = app.signed_in_browser(number).await;

    let listed = account(&owner).await;
    assert_eq!(listed["sessions"].as_array().map(Vec::len), Some(5));
    let offered = listed["passkeys"]
        .as_array()
        .expect("passkeys")
        .iter()
        .find(|p| p["id"] == lost_id)
        .map(|p| p["open_sessions"].clone());
    assert_eq!(
        offered,
        Some(Value::from(2)),
        "the offer counts what it opened"
    );
    let with_passkey = listed["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter(|s| {
            s["signed_in_with"]
                .as_str()
                .is_some_and(|w| w.starts_with("passkey"))
        })
        .count();
    assert_eq!(with_passkey, 3);

    let id = lost_id.as_str().expect("id");
    let removed = owner
        .call("passkey_remove", &[("id", id), ("end_sessions", "on")])
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert!(!signed_in(&thief_a).await, "opened by the removed passkey");
    assert!(!signed_in(&thief_b).await, "opened by the removed passkey");
    assert!(
        signed_in(&other_device).await,
        "another passkey's session stays"
    );
    assert!(signed_in(&by_code).await, "a code's session stays");
    assert!(signed_in(&owner).await, "this browser stays");
}

#[tokio::test]
async fn removing_a_passkey_without_the_offer_leaves_its_sessions_and_no_js_posts_the_box() {
    let number = "+447400123722";
    let (app, mut authenticator) = app_with_passkey(&[], number).await;
    let owner = app.signed_in_browser(number).await;
    let id = account(&owner).await["passkeys"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let opened = passkey_browser(&app, &mut authenticator).await;
    let page = owner.get("/account").await.body;
    assert!(
        page.contains("Also sign out the other session it signed in"),
        "the offer is server-rendered"
    );
    assert!(page.contains("name=\"end_sessions\""));
    let removed = owner.post_form("passkey_remove", &[("id", &id)]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(signed_in(&opened).await, "unticked: its session stays");

    let mut second = SoftAuthenticator::new();
    let second_id = add_passkey(&owner, &mut second).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let opened_again = passkey_browser(&app, &mut second).await;
    let ticked = owner
        .post_form(
            "passkey_remove",
            &[("id", &second_id), ("end_sessions", "on")],
        )
        .await;
    assert_eq!(ticked.status, StatusCode::SEE_OTHER);
    assert_eq!(ticked.location(), "/account");
    assert!(!signed_in(&opened_again).await, "ticked: its session ends");
}
