//! A passkey sign-in over a pending phone login ends that login once: alone (one sign-in
//! gives the scheduled call's count back once, not twice) and raced by "Use a different
//! number" and "Log out" with the same cookie.

use super::{attack, on_each_store, summary, together, Ending, Store, StoreUnderTest, PARALLEL};
use crate::helpers::TestApp;
use crate::passkeys::{app_with_passkey, assertion};
use crate::soft_authenticator::SoftAuthenticator;
use reqwest::StatusCode;

/// The number of the account with the passkey, whose phone login the passkey ends.
const NUMBER: &str = "+447400123811";

/// Signs in with the account's passkey over the login just started.
struct PasskeySignIn {
    authenticator: SoftAuthenticator,
    /// With `PARALLEL - 1` "Use a different number" and "Log out" at the same moment.
    raced: bool,
}

impl Ending for PasskeySignIn {
    fn name(&self) -> &'static str {
        if self.raced {
            "passkey sign-in raced by change_number and logout"
        } else {
            "one passkey sign-in"
        }
    }

    /// A signed-in browser logs out before typing its number again.
    async fn before_start(&mut self, browser: &TestApp) {
        browser.call("logout", &[]).await;
    }

    async fn end(&mut self, browser: &TestApp, _number: &str, _round: usize) {
        let credential = assertion(browser, &mut self.authenticator).await;
        if !self.raced {
            let signed = browser
                .call("passkey_sign_in_finish", &[("credential", &credential)])
                .await;
            assert_eq!(signed.status, StatusCode::OK, "{}", summary(&signed));
            return;
        }
        together(browser, PARALLEL, move |tab, i| {
            let credential = credential.clone();
            async move {
                match i {
                    0 => {
                        tab.call("passkey_sign_in_finish", &[("credential", &credential)])
                            .await
                    }
                    i if i % 2 == 1 => tab.call("change_number", &[]).await,
                    _ => tab.call("logout", &[]).await,
                }
            }
        })
        .await;
    }
}

/// `NUMBER`'s account has a passkey; one browser, `ROUNDS` times: logs out, starts a phone
/// login for `NUMBER`, and signs in with the passkey instead.
async fn passkey_over_a_pending_login(store: Store, raced: bool) {
    let store = StoreUnderTest::new(store);
    let (app, authenticator) = app_with_passkey(&store.settings(&[]), NUMBER).await;
    let browser = app.other_browser();
    let mut ending = PasskeySignIn {
        authenticator,
        raced,
    };
    attack(&app, &browser, NUMBER, &mut ending, store.name).await;
}

on_each_store!(
    /// Typing the number, then signing in with a passkey instead, gives the scheduled call's
    /// count back once: doing it again and again never gets the number more than 3
    /// deliveries in 10 minutes, and soon the number step says "Too many attempts" (429).
    one_passkey_sign_in_over_a_pending_login_gives_the_count_back_once,
    |store| passkey_over_a_pending_login(store, false)
);

on_each_store!(
    /// A passkey sign-in raced by 19 "Use a different number" and "Log out" with the same
    /// cookie ends the pending login once: the number never gets more than 3 deliveries in
    /// 10 minutes, and soon the number step says "Too many attempts" (429).
    a_passkey_sign_in_raced_by_other_endings_gives_the_count_back_once,
    |store| passkey_over_a_pending_login(store, true)
);
