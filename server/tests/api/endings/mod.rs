//! Every way a pending login ends (change number, the last wrong code, another number, log
//! out, a passkey sign-in) ends it once. A start counts its SMS and the call the provider will
//! make by itself against the per-number limit, and an ending before the call gives that
//! count back: if parallel requests with one cookie could end one login several times, each
//! would give the count back again, and one browser could send a number far more codes than
//! its limit (3 per 10 minutes). Each attack runs on the three session stores.

mod logout;
mod passkey;
mod phone;

use crate::helpers::{newest_code, Answer, TestApp};
use crate::scale_out_support::RedisServer;
use reqwest::StatusCode;
use serde_json::Value;
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

/// Logins started and ended in one browser per attack.
const ROUNDS: usize = 8;
/// Requests of one ending fired at once with one cookie.
const PARALLEL: usize = 20;
/// The default per-number limit (`LIMIT_PER_NUMBER`): this many deliveries…
const MOST_DELIVERIES: usize = 3;
/// …within this many seconds.
const WINDOW_SECS: i64 = 600;
/// Past the provider's own call (150 s into a login with the default settings).
const PAST_THE_CALL: Duration = Duration::from_secs(200);

/// Limits roomy enough that only the per-number send limit can refuse a start.
const ONLY_THE_NUMBER_LIMIT: [(&str, &str); 3] = [
    ("LIMIT_PER_IP", "1000/1h"),
    ("LIMIT_PER_SESSION", "1000/1h"),
    ("LIMIT_CHECKS_PER_IP", "1000/5m"),
];

/// Runs one attack on each session store: `$body` (an async block using `$store`), with doc
/// comment and name given once.
macro_rules! on_each_store {
    ($(#[$doc:meta])* $name:ident, |$store:ident| $body:expr) => {
        $(#[$doc])*
        mod $name {
            use super::*;
            use crate::endings::Store;

            $(#[$doc])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn in_memory() {
                let $store = Store::Memory;
                $body.await
            }

            $(#[$doc])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn in_sqlite() {
                let $store = Store::Sqlite;
                $body.await
            }

            $(#[$doc])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn in_redis() {
                let $store = Store::Redis;
                $body.await
            }
        }
    };
}
pub(crate) use on_each_store;

/// A session store (and so the counters' store).
#[derive(Clone, Copy, Debug)]
pub enum Store {
    Memory,
    Sqlite,
    Redis,
}

/// One test's session store: its `SESSION_STORE` setting, and the private Redis or SQLite
/// folder it needs (stopped or deleted on drop).
pub struct StoreUnderTest {
    pub name: &'static str,
    url: String,
    _redis: Option<RedisServer>,
    dir: Option<PathBuf>,
}

impl StoreUnderTest {
    pub fn new(store: Store) -> Self {
        match store {
            Store::Memory => Self {
                name: "memory",
                url: "memory".into(),
                _redis: None,
                dir: None,
            },
            Store::Sqlite => {
                let dir = std::env::temp_dir()
                    .join(format!("passwordless-endings-{}", uuid::Uuid::new_v4()));
                Self {
                    name: "sqlite",
                    url: format!("sqlite://{}/sessions.db", dir.display()),
                    _redis: None,
                    dir: Some(dir),
                }
            }
            Store::Redis => {
                let redis = RedisServer::start();
                Self {
                    name: "redis",
                    url: redis.url(),
                    _redis: Some(redis),
                    dir: None,
                }
            }
        }
    }

    /// The server's settings: this store, limits where only the per-number rule refuses,
    /// then `extra`.
    pub fn settings<'a>(&'a self, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut settings = vec![("SESSION_STORE", self.url.as_str())];
        settings.extend_from_slice(&ONLY_THE_NUMBER_LIMIT);
        settings.extend_from_slice(extra);
        settings
    }
}

impl Drop for StoreUnderTest {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// One way to end the pending login of `browser` (possibly many requests at once).
pub trait Ending {
    /// What a person sees this ending as, for failure messages.
    fn name(&self) -> &'static str;

    /// Runs before each start (e.g. logging out of an earlier sign-in).
    async fn before_start(&mut self, _browser: &TestApp) {}

    /// Ends the login just started for `number` in `browser`, in round `round`.
    async fn end(&mut self, browser: &TestApp, number: &str, round: usize);
}

/// `ROUNDS` times: `browser` starts `number` and `ending` ends that login. Then every
/// scheduled call falls due, and the number must have had no more deliveries (SMS and calls)
/// within 10 minutes than its limit allows, and the limit must have refused some start.
pub async fn attack(
    app: &TestApp,
    browser: &TestApp,
    number: &str,
    ending: &mut impl Ending,
    store: &str,
) {
    let mut starts = Vec::new();
    let mut deliveries = Deliveries::default();
    for round in 0..ROUNDS {
        ending.before_start(browser).await;
        let start = browser.call("start_login", &[("number", number)]).await;
        starts.push(summary(&start));
        ending.end(browser, number, round).await;
        deliveries.note(&app.messages().await, number);
    }
    app.clock.advance(PAST_THE_CALL);
    deliveries.note(&app.messages().await, number);
    let most = deliveries.most_within_window();
    let label = format!("{} on {store}", ending.name());
    println!("{label}: starts of {number}: {starts:?}; {most} deliveries within 10 minutes");
    assert!(
        most <= MOST_DELIVERIES,
        "{label}: {number} got {most} deliveries (SMS + calls) within 10 minutes, over its \
         limit of {MOST_DELIVERIES}; starts in one browser: {starts:?}"
    );
    assert!(
        starts
            .iter()
            .any(|s| s.starts_with("429") && s.contains("TooManyRequests")),
        "{label}: the per-number send limit never refused a start of {number}: {starts:?}"
    );
}

/// Every SMS and call to one number seen in the outbox so far (read often: the emulator
/// keeps only its newest 200 messages).
#[derive(Default)]
pub struct Deliveries(std::collections::BTreeSet<(String, String, String)>);

impl Deliveries {
    /// Adds the deliveries to `e164` in `messages` not seen before.
    pub fn note(&mut self, messages: &[Value], e164: &str) {
        for m in messages
            .iter()
            .filter(|m| m["to"] == e164 && (m["channel"] == "sms" || m["channel"] == "voice"))
        {
            let field = |name: &str| m[name].as_str().unwrap_or_default().to_owned();
            self.0
                .insert((field("sent_at"), field("request_id"), field("channel")));
        }
    }

    /// The most deliveries in any `WINDOW_SECS` of the emulator's clock.
    pub fn most_within_window(&self) -> usize {
        let mut times: Vec<i64> = self.0.iter().map(|(at, ..)| unix_seconds(at)).collect();
        times.sort_unstable();
        (0..times.len())
            .map(|i| times[i..].partition_point(|t| *t < times[i] + WINDOW_SECS))
            .max()
            .unwrap_or(0)
    }
}

/// `count` requests at once from `browser`'s cookie jar, the `i`-th made by `request`.
pub async fn together<F, Fut>(browser: &TestApp, count: usize, request: F) -> Vec<Answer>
where
    F: Fn(TestApp, usize) -> Fut,
    Fut: Future<Output = Answer> + Send + 'static,
{
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..count {
        tasks.spawn(request(browser.same_browser(), i));
    }
    let mut answers = Vec::new();
    while let Some(answer) = tasks.join_next().await {
        answers.push(answer.expect("request task ran"));
    }
    answers
}

/// An answer as `"200"` or `"429 {"TooManyRequests":…}"` (the body cut short).
pub fn summary(answer: &Answer) -> String {
    if answer.status == StatusCode::OK {
        return "200".into();
    }
    let body: String = answer.body.chars().take(60).collect();
    format!("{} {body}", answer.status.as_u16())
}

/// The wrong codes `browser` may still type for its pending login (`None`: none pending).
pub async fn attempts_left(browser: &TestApp) -> Option<u64> {
    let status = browser.call("login_status", &[]).await;
    let body: Value = serde_json::from_str(&status.body).expect("status is JSON");
    body["step"]["Pending"]["attempts_left"].as_u64()
}

/// The newest code sent to `e164`, if any.
pub fn code_sent_to(messages: &[Value], e164: &str) -> Option<String> {
    messages
        .iter()
        .any(|m| m["to"] == e164)
        .then(|| newest_code(messages, e164))
}

/// Seconds since 1970 of an RFC 3339 UTC time such as `2020-01-01T14:00:00.000Z`.
fn unix_seconds(text: &str) -> i64 {
    let part = |from: usize, to: usize| -> i64 {
        text.get(from..to)
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("`{text}` is not an RFC 3339 time"))
    };
    let (year, month, day) = (part(0, 4), part(5, 7), part(8, 10));
    // Days from civil (H. Hinnant): March-based years make leap days the year's last.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    days * 86_400 + part(11, 13) * 3600 + part(14, 16) * 60 + part(17, 19)
}

#[test]
fn rfc3339_times_read_as_unix_seconds() {
    assert_eq!(unix_seconds("1970-01-01T00:00:00.000Z"), 0);
    assert_eq!(unix_seconds("2020-01-01T14:00:00.000Z"), 1_577_887_200);
    assert_eq!(unix_seconds("2024-03-01T00:00:01Z"), 1_709_251_201);
}
