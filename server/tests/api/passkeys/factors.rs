//! The two ways in, the phone code and the passkey, do not weaken each other: a passkey
//! ceremony begun for one account never adds a passkey to another, wrong codes typed by a
//! stranger do not lock the owner's passkey, and failed passkey attempts do not lock the
//! number's codes.

use super::*;
use crate::helpers::{spawn_app_with, wrong_code};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Phone sign-in of `number` in `browser` (which may already be signed in as someone else).
async fn phone_sign_in(browser: &TestApp, number: &str) {
    let started = browser.call("start_login", &[("number", number)]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let code = browser.latest_code(number).await;
    let finished = browser.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
    assert_eq!(signed_in_number(browser).await.as_deref(), Some(number));
}

/// Finishes, in `browser`, the registration whose creation options `creation` were given
/// to another account: refused as a ceremony that is not this account's, nothing added.
async fn refused_for_the_wrong_account(browser: &TestApp, creation: &str) {
    let mut authenticator = SoftAuthenticator::new();
    let credential = authenticator.register(ORIGIN, creation).expect("registers");
    let finished = browser
        .call("passkey_register_finish", &[("credential", &credential)])
        .await;
    let passkeys = account(browser).await["passkeys"].clone();
    assert_eq!(
        finished.status,
        StatusCode::CONFLICT,
        "{}; the account now lists {passkeys}",
        finished.body
    );
    assert!(
        finished.body.contains("PasskeyExpired"),
        "{}",
        finished.body
    );
    assert_eq!(passkeys, Value::Array(vec![]), "no passkey added");
}

/// A begins adding a passkey, then B signs in by phone in the same browser without logging
/// out (a shared computer): the passkey made for A's options is refused ("this passkey
/// request expired", 409) and B's account lists no passkey, so nobody holds a passkey to
/// B's account that was made for A.
#[tokio::test]
async fn a_registration_begun_for_one_account_cannot_finish_after_a_phone_sign_in_as_another() {
    let app = spawn_app_with(&[]).await;
    let browser = app.signed_in_browser("+447400123831").await;
    let creation = options(&browser, "passkey_register_start").await;
    phone_sign_in(&browser, "+447400123832").await;
    refused_for_the_wrong_account(&browser, &creation).await;
}

/// As above, with B signing in by passkey over A's session: the registration begun for A is
/// refused (409) and B keeps only its own passkey.
#[tokio::test]
async fn a_registration_begun_for_one_account_cannot_finish_after_a_passkey_sign_in_as_another() {
    let (app, mut b_authenticator) = app_with_passkey(&[], "+447400123833").await;
    let browser = app.signed_in_browser("+447400123834").await;
    let creation = options(&browser, "passkey_register_start").await;
    let credential = assertion(&browser, &mut b_authenticator).await;
    let signed = finish(&browser, &credential, None).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    let mut authenticator = SoftAuthenticator::new();
    let credential = authenticator
        .register(ORIGIN, &creation)
        .expect("registers");
    let finished = browser
        .call("passkey_register_finish", &[("credential", &credential)])
        .await;
    let passkeys = account(&browser).await["passkeys"].clone();
    assert_eq!(
        finished.status,
        StatusCode::CONFLICT,
        "{}; B's account now lists {passkeys}",
        finished.body
    );
    assert!(
        finished.body.contains("PasskeyExpired"),
        "{}",
        finished.body
    );
    assert_eq!(passkeys.as_array().map(Vec::len), Some(1), "{passkeys}");
}

/// The same with a log-out between A and B (the log-out already forgets the ceremony).
#[tokio::test]
async fn a_registration_begun_for_one_account_cannot_finish_after_a_logout_and_another_sign_in() {
    let app = spawn_app_with(&[]).await;
    let browser = app.signed_in_browser("+447400123835").await;
    let creation = options(&browser, "passkey_register_start").await;
    browser.call("logout", &[]).await;
    phone_sign_in(&browser, "+447400123836").await;
    refused_for_the_wrong_account(&browser, &creation).await;
}

/// Limits for the lock-out tests: 3 failures lock a number for a day; sends are not what
/// refuses.
const LOCK_AFTER_3: [(&str, &str); 2] = [
    ("LIMIT_FAILED_PER_NUMBER", "3/1d"),
    ("LIMIT_PER_NUMBER", "20/10m"),
];

/// A stranger who knows the owner's number types wrong codes until the number is locked
/// ("Too many wrong codes", 429). The owner still signs in with the passkey (it proves
/// possession of the device, not of the code), and that sign-in unlocks the number: a code
/// asked for afterwards arrives and signs in.
#[tokio::test]
async fn a_stranger_typing_wrong_codes_cannot_lock_the_owners_passkey() {
    let number = "+447400123837";
    let (app, mut authenticator) = app_with_passkey(&LOCK_AFTER_3, number).await;

    let stranger = app.other_browser();
    let mut answers = Vec::new();
    for _ in 0..10 {
        let pending = stranger.call("login_status", &[]).await;
        if !pending.body.contains("Pending") {
            let start = stranger.call("start_login", &[("number", number)]).await;
            answers.push(format!("start {} {}", start.status, start.body));
            if start.status != StatusCode::OK {
                break;
            }
        }
        let code = stranger.latest_code(number).await;
        let wrong = stranger
            .call("finish_login", &[("code", wrong_code(&code))])
            .await;
        answers.push(format!("code {} {}", wrong.status, wrong.body));
        if wrong.status == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    assert!(
        answers
            .last()
            .is_some_and(|a| a.contains("429") && a.contains("TooManyWrongCodes")),
        "the stranger locks the number: {answers:?}"
    );

    let owner = app.other_browser();
    let credential = assertion(&owner, &mut authenticator).await;
    let signed = finish(&owner, &credential, None).await;
    assert_eq!(
        signed.status,
        StatusCode::OK,
        "the owner's passkey after a stranger's wrong codes: {}",
        signed.body
    );
    assert_eq!(signed_in_number(&owner).await.as_deref(), Some(number));

    let later = app.other_browser();
    let start = later.call("start_login", &[("number", number)]).await;
    assert_eq!(
        start.status,
        StatusCode::OK,
        "a code after the owner's passkey sign-in: {}",
        start.body
    );
    let code = later.latest_code(number).await;
    let finished = later.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
}

/// `credential` (an assertion's JSON) with one bit of its signature flipped.
fn with_bad_signature(credential: &str) -> String {
    let mut answer: Value = serde_json::from_str(credential).expect("JSON");
    let signature = answer["response"]["signature"].as_str().expect("signature");
    let mut der = URL_SAFE_NO_PAD.decode(signature).expect("base64url");
    // DER: 30 len 02 len r…: byte 8 is inside r.
    der[8] ^= 1;
    answer["response"]["signature"] = URL_SAFE_NO_PAD.encode(der).into();
    answer.to_string()
}

/// Someone with a copied authenticator whose counter is behind, or a forged signature, fails
/// passkey sign-ins for the account: those failures do not lock the number's phone codes
/// (its owner still gets a code and signs in with it).
#[tokio::test]
async fn failed_passkey_sign_ins_do_not_lock_the_numbers_codes() {
    let number = "+447400123838";
    let (app, mut authenticator) = app_with_passkey(&LOCK_AFTER_3, number).await;
    let mut copy = authenticator.clone();
    let browser = app.other_browser();
    let credential = assertion(&browser, &mut authenticator).await;
    let signed = finish(&browser, &credential, None).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    browser.call("logout", &[]).await;

    // The copy's counter (1) is not past the stored one (1); then a forged signature: as
    // many failures as lock the number for wrong codes.
    for attempt in 0..3 {
        let credential = if attempt < 2 {
            copy.set_counter(0);
            assertion(&browser, &mut copy).await
        } else {
            with_bad_signature(&assertion(&browser, &mut authenticator).await)
        };
        let refused = finish(&browser, &credential, None).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    }

    let owner = app.other_browser();
    let start = owner.call("start_login", &[("number", number)]).await;
    assert_eq!(
        start.status,
        StatusCode::OK,
        "a code after 3 failed passkey sign-ins: {}",
        start.body
    );
    let code = owner.latest_code(number).await;
    let finished = owner.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
}
