//! The phone path's endings raced with one cookie: "Use a different number", the last
//! wrong code, a start for another number, and "Log out".

use super::{
    attack, attempts_left, code_sent_to, on_each_store, together, Ending, Store, StoreUnderTest,
    PARALLEL,
};
use crate::helpers::{new_client, spawn_app_with, wrong_code, TestApp};

/// The phone path's ways to end a pending login.
#[derive(Clone, Copy, Debug)]
enum PhoneEnding {
    /// `PARALLEL` × "Use a different number".
    ChangeNumber,
    /// Wrong codes until one try is left, then `PARALLEL` wrong codes at once.
    LastWrongCode,
    /// `PARALLEL` starts for other numbers at once.
    AnotherNumber,
    /// `PARALLEL` × "Log out".
    Logout,
}

impl PhoneEnding {
    /// The attacked number: one per ending, so a shared store never mixes two attacks.
    fn number(self) -> &'static str {
        match self {
            Self::ChangeNumber => "+447400123801",
            Self::LastWrongCode => "+447400123802",
            Self::AnotherNumber => "+447400123803",
            Self::Logout => "+447400123804",
        }
    }

    /// Settings this ending needs besides the store's.
    fn settings(self) -> &'static [(&'static str, &'static str)] {
        match self {
            // The per-number wrong-code lock must not be what stops the rounds.
            Self::LastWrongCode => &[("LIMIT_FAILED_PER_NUMBER", "100/1d")],
            _ => &[],
        }
    }
}

impl Ending for PhoneEnding {
    fn name(&self) -> &'static str {
        match self {
            Self::ChangeNumber => "parallel change_number",
            Self::LastWrongCode => "parallel last wrong codes",
            Self::AnotherNumber => "parallel starts for other numbers",
            Self::Logout => "parallel logouts",
        }
    }

    async fn end(&mut self, browser: &TestApp, number: &str, round: usize) {
        match self {
            Self::ChangeNumber | Self::Logout => {
                let function = if matches!(self, Self::Logout) {
                    "logout"
                } else {
                    "change_number"
                };
                together(browser, PARALLEL, move |tab, _| async move {
                    tab.call(function, &[]).await
                })
                .await;
            }
            Self::LastWrongCode => {
                let code = code_sent_to(&browser.messages().await, number);
                let wrong = wrong_code(code.as_deref().unwrap_or("000000"));
                for _ in 0..3 {
                    if attempts_left(browser).await.is_none_or(|left| left <= 1) {
                        break;
                    }
                    browser.call("finish_login", &[("code", wrong)]).await;
                }
                together(browser, PARALLEL, move |tab, _| async move {
                    tab.call("finish_login", &[("code", wrong)]).await
                })
                .await;
            }
            Self::AnotherNumber => {
                together(browser, PARALLEL, move |tab, i| async move {
                    let other = format!("{}{i:03}", other_numbers(round));
                    tab.call("start_login", &[("number", other.as_str())]).await
                })
                .await;
                cancel_other_numbers(browser, round).await;
            }
        }
    }
}

/// The start of round `round`'s other numbers (three digits follow).
fn other_numbers(round: usize) -> String {
    format!("+44740019{round}")
}

/// Cancels at the provider (as any other client of it may) the requests for round
/// `round`'s other numbers: left live, their calls would all fall due at once when the clock
/// passes the call time and push the attacked number's messages out of the emulator's
/// outbox (it keeps 200). The attacked number's logins are not touched.
async fn cancel_other_numbers(browser: &TestApp, round: usize) {
    let prefix = other_numbers(round);
    let requests: std::collections::BTreeSet<String> = browser
        .messages()
        .await
        .iter()
        .filter(|m| m["to"].as_str().is_some_and(|to| to.starts_with(&prefix)))
        .filter_map(|m| m["request_id"].as_str().map(str::to_owned))
        .collect();
    for request in requests {
        new_client()
            .delete(format!("{}/v2/verify/{request}", browser.emulator_base))
            .basic_auth("emulator", Some("emulator"))
            .send()
            .await
            .expect("emulator reachable");
    }
}

/// One browser starts the ending's number, ends the login with `PARALLEL` requests at once,
/// and does it again, `ROUNDS` times.
async fn raced(store: Store, mut ending: PhoneEnding) {
    let store = StoreUnderTest::new(store);
    let app = spawn_app_with(&store.settings(ending.settings())).await;
    let browser = app.other_browser();
    attack(&app, &browser, ending.number(), &mut ending, store.name).await;
}

on_each_store!(
    /// 20 × "Use a different number" at once with one cookie end one login once: repeating
    /// start + 20 changes never gets the number more than 3 deliveries in 10 minutes, and the
    /// browser is soon told "Too many attempts" (429).
    parallel_change_number_gives_the_count_back_once,
    |store| raced(store, PhoneEnding::ChangeNumber)
);

on_each_store!(
    /// 20 last wrong codes at once with one cookie end one login once: the number never gets
    /// more than 3 deliveries in 10 minutes, and the browser is soon told "Too many attempts".
    parallel_last_wrong_codes_give_the_count_back_once,
    |store| raced(store, PhoneEnding::LastWrongCode)
);

on_each_store!(
    /// 20 starts for other numbers at once, with the cookie of a pending login, end that login
    /// once: its number never gets more than 3 deliveries in 10 minutes, and the browser is
    /// soon told "Too many attempts".
    parallel_starts_for_other_numbers_give_the_count_back_once,
    |store| raced(store, PhoneEnding::AnotherNumber)
);

on_each_store!(
    /// 20 × "Log out" at once with one cookie end the pending login once (and free its
    /// number): the number never gets more than 3 deliveries in 10 minutes, and the browser
    /// is soon told "Too many attempts" rather than "number busy".
    parallel_logouts_give_the_count_back_once,
    |store| raced(store, PhoneEnding::Logout)
);
