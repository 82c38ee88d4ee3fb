//! Passkeys attacked as an attacker would: a stale or stolen session, a replayed or raced
//! answer, a cloned authenticator, a removed passkey, garbage, and many failures from one
//! address.

use super::*;
use crate::helpers::spawn_app_with;
use std::time::Duration;

#[tokio::test]
async fn passkeys_change_only_within_ten_minutes_of_a_sign_in() {
    let app = spawn_app_with(&[]).await;
    let signed_out = app.other_browser();
    let refused = signed_out.call("passkey_register_start", &[]).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    assert!(refused.body.contains("NotSignedIn"), "{}", refused.body);

    let browser = app.signed_in_browser("+447400123703").await;
    let mut authenticator = SoftAuthenticator::new();
    let added = add_passkey(&browser, &mut authenticator).await;
    app.clock.advance(Duration::from_secs(10 * 60 + 1));
    assert_eq!(account(&browser).await["passkey_changes_for_secs"], 0);
    let late = browser.call("passkey_register_start", &[]).await;
    assert_eq!(late.status, StatusCode::FORBIDDEN, "{}", late.body);
    assert!(late.body.contains("RecentSignInRequired"), "{}", late.body);
    let id = added["id"].as_str().expect("id");
    let remove = browser.call("passkey_remove", &[("id", id)]).await;
    assert_eq!(remove.status, StatusCode::FORBIDDEN, "{}", remove.body);
    assert_eq!(
        account(&browser).await["passkeys"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn a_ceremony_cannot_finish_twice_or_after_five_minutes() {
    let (app, mut authenticator) = app_with_passkey(&[], "+447400123704").await;

    let browser = app.other_browser();
    let credential = assertion(&browser, &mut authenticator).await;
    assert_eq!(
        finish(&browser, &credential, None).await.status,
        StatusCode::OK
    );
    browser.call("logout", &[]).await;
    let replayed = finish(&browser, &credential, None).await;
    assert_eq!(replayed.status, StatusCode::CONFLICT, "{}", replayed.body);
    assert!(
        replayed.body.contains("PasskeyExpired"),
        "{}",
        replayed.body
    );
    // Against a new ceremony the old answer signs the wrong challenge.
    options(&browser, "passkey_sign_in_start").await;
    let replayed = finish(&browser, &credential, None).await;
    assert_eq!(
        replayed.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        replayed.body
    );
    assert!(
        replayed.body.contains("PasskeyRefused"),
        "{}",
        replayed.body
    );
    assert_eq!(signed_in_number(&browser).await, None);

    let late = assertion(&browser, &mut authenticator).await;
    app.clock.advance(Duration::from_secs(5 * 60));
    let expired = finish(&browser, &late, None).await;
    assert_eq!(expired.status, StatusCode::CONFLICT, "{}", expired.body);
    assert_eq!(signed_in_number(&browser).await, None);
}

#[tokio::test]
async fn parallel_finishes_of_one_ceremony_sign_in_once() {
    one_sign_in_from_parallel_finishes(&[]).await;
}

#[tokio::test]
async fn parallel_finishes_of_one_ceremony_sign_in_once_on_the_default_sqlite_store() {
    let dir = std::env::temp_dir().join(format!(
        "passwordless-passkey-race-{}",
        uuid::Uuid::new_v4()
    ));
    let sessions = format!("sqlite://{}/sessions.db", dir.display());
    let accounts = format!("sqlite://{}/accounts.db", dir.display());
    one_sign_in_from_parallel_finishes(&[
        ("SESSION_STORE", sessions.as_str()),
        ("ACCOUNT_STORE", accounts.as_str()),
    ])
    .await;
    let _ = std::fs::remove_dir_all(dir);
}

/// 50 finishes of one ceremony's answer with one cookie, at once: exactly one signs in.
async fn one_sign_in_from_parallel_finishes(settings: &[(&str, &str)]) {
    let (app, mut authenticator) = app_with_passkey(settings, "+447400123705").await;
    let browser = app.other_browser();
    let credential = assertion(&browser, &mut authenticator).await;
    let attempts = (0..50).map(|_| {
        let client = browser.client.clone();
        let url = format!("{}/api/passkey_sign_in_finish", browser.base);
        let credential = credential.clone();
        async move {
            let request = client
                .post(url)
                .header(reqwest::header::ACCEPT, "application/json")
                .form(&[("credential", credential)]);
            request.send().await.map(|r| r.status()).ok()
        }
    });
    let answers = futures_join_all(attempts).await;
    let ok = answers
        .iter()
        .filter(|a| **a == Some(StatusCode::OK))
        .count();
    assert_eq!(ok, 1, "one ceremony, one sign-in");
}

#[tokio::test]
async fn a_cloned_authenticator_is_refused_by_its_counter() {
    let (app, mut authenticator) = app_with_passkey(&[], "+447400123706").await;
    let mut clone = authenticator.clone();
    let browser = app.other_browser();
    for _ in 0..2 {
        let credential = assertion(&browser, &mut authenticator).await;
        assert_eq!(
            finish(&browser, &credential, None).await.status,
            StatusCode::OK
        );
        browser.call("logout", &[]).await;
    }
    // The copy's counter (1) is behind the stored one (2).
    let credential = assertion(&browser, &mut clone).await;
    let refused = finish(&browser, &credential, None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    assert!(refused.body.contains("PasskeyRefused"), "{}", refused.body);
    assert_eq!(signed_in_number(&browser).await, None);
}

#[tokio::test]
async fn a_removed_passkey_is_refused_and_garbage_is_a_clear_error() {
    let app = spawn_app_with(&[]).await;
    let phone_browser = app.signed_in_browser("+447400123707").await;
    let mut authenticator = SoftAuthenticator::new();
    let added = add_passkey(&phone_browser, &mut authenticator).await;
    let id = added["id"].as_str().expect("id");
    let someone_else = app.signed_in_browser("+447400123708").await;
    let not_theirs = someone_else.call("passkey_remove", &[("id", id)]).await;
    assert_eq!(
        not_theirs.status,
        StatusCode::NOT_FOUND,
        "{}",
        not_theirs.body
    );
    let removed = phone_browser.call("passkey_remove", &[("id", id)]).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(
        account(&phone_browser).await["passkeys"],
        Value::Array(vec![])
    );

    let browser = app.other_browser();
    let credential = assertion(&browser, &mut authenticator).await;
    let refused = finish(&browser, &credential, None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    assert!(refused.body.contains("PasskeyUnknown"), "{}", refused.body);

    options(&browser, "passkey_sign_in_start").await;
    let garbage = finish(&browser, "{not json", None).await;
    assert_eq!(garbage.status, StatusCode::UNAUTHORIZED, "{}", garbage.body);
    let without_ceremony = finish(&browser, "{}", None).await;
    assert_eq!(
        without_ceremony.status,
        StatusCode::CONFLICT,
        "{}",
        without_ceremony.body
    );
    let registration_garbage = phone_browser
        .call("passkey_register_finish", &[("credential", "[]")])
        .await;
    assert_eq!(
        registration_garbage.status,
        StatusCode::CONFLICT,
        "no ceremony started"
    );
    options(&phone_browser, "passkey_register_start").await;
    let registration_garbage = phone_browser
        .call("passkey_register_finish", &[("credential", "[]")])
        .await;
    assert_eq!(registration_garbage.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn failed_passkey_sign_ins_count_in_the_per_address_check_limit() {
    let app = spawn_app_with(&[("LIMIT_CHECKS_PER_IP", "3/5m")]).await;
    let browser = app.other_browser();
    for _ in 0..3 {
        options(&browser, "passkey_sign_in_start").await;
        let refused = finish(&browser, "{not json", None).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    }
    options(&browser, "passkey_sign_in_start").await;
    let limited = finish(&browser, "{not json", None).await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.body
    );
    assert!(limited.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn failed_passkey_sign_ins_lock_that_passkey_only() {
    let (app, mut authenticator) =
        app_with_passkey(&[("LIMIT_FAILED_PER_NUMBER", "2/1h")], "+447400123711").await;
    let browser = app.other_browser();
    // A copy whose counter is behind is refused: two failures for this credential.
    let credential = assertion(&browser, &mut authenticator).await;
    assert_eq!(
        finish(&browser, &credential, None).await.status,
        StatusCode::OK
    );
    browser.call("logout", &[]).await;
    for _ in 0..2 {
        let mut behind = authenticator.clone();
        behind.set_counter(0);
        let credential = assertion(&browser, &mut behind).await;
        let refused = finish(&browser, &credential, None).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    }
    // Now the credential waits (a clone is about), with a sentence that names the way in...
    let credential = assertion(&browser, &mut authenticator).await;
    let locked = finish(&browser, &credential, None).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.body
    );
    assert!(locked.body.contains("PasskeyLocked"), "{}", locked.body);
    assert!(locked.headers.get("retry-after").is_some());
    assert_eq!(signed_in_number(&browser).await, None);
    // ...and a code for the number still comes: a factor's failures lock only that factor.
    let code = browser
        .call("start_login", &[("number", "+447400123711")])
        .await;
    assert_eq!(code.status, StatusCode::OK, "{}", code.body);
}
