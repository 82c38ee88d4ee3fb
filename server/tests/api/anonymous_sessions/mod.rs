//! Visitors who leave nothing worth keeping do not fill the stores: a no-JavaScript error's
//! one-shot message rides a signed one-minute cookie and stores no session at all (in
//! [`flash_messages`]); an anonymous session (a passkey ceremony, a refused start) lives 30
//! minutes idle, not the signed-in week; and Redis is checked at start-up for an eviction
//! policy that could drop limit counters before sessions.

use crate::helpers::spawn_app_with;
use crate::scale_out_support::RedisServer;
use server::config::{RedisSettings, SessionStoreConfig};
use server::store::AnyStore;
use std::process::Command;

mod flash_messages;

/// Seconds until the session cookie expires, from its `Max-Age`/`Expires`, when set.
fn cookie_lifetime(set_cookie: &str) -> Option<i64> {
    set_cookie
        .split(';')
        .map(str::trim)
        .find_map(|part| part.strip_prefix("Max-Age="))
        .and_then(|age| age.parse().ok())
}

/// A passkey sign-in started by an anonymous visitor (the login page's autofill does it on
/// every visit) keeps its ceremony for minutes only.
#[tokio::test]
async fn an_anonymous_passkey_ceremony_keeps_its_session_for_minutes() {
    let app = spawn_app_with(&[]).await;
    let answer = app.call("passkey_sign_in_start", &[]).await;
    assert_eq!(answer.status, reqwest::StatusCode::OK, "{}", answer.body);
    let cookie = session_cookie(&answer).expect("a session cookie");
    let lifetime = cookie_lifetime(&cookie).expect("an expiring cookie");
    assert!((1..=30 * 60).contains(&lifetime), "{cookie}");
}

fn redis_cli(redis: &RedisServer, args: &[&str]) {
    let out = Command::new("redis-cli")
        .args(["-u", &redis.url()])
        .args(args)
        .output()
        .expect("redis-cli runs (Debian's redis-tools, installed with redis-server)");
    assert!(out.status.success(), "{out:?}");
}

/// `volatile-ttl` would evict the shortest-lived keys first: the limit counters and number
/// locks, before week-long sessions. Start-up names the risk; `noeviction` (or no
/// `maxmemory`) is safe.
#[tokio::test]
async fn a_redis_that_could_evict_counters_before_sessions_is_named_at_start_up() {
    let redis = RedisServer::start();
    let settings = SessionStoreConfig::Redis(RedisSettings {
        url: redis.url(),
        ca_file: None,
    });
    let stores = AnyStore::open(&settings).await.expect("redis store");
    assert_eq!(
        stores.sessions.eviction_warning().await,
        None,
        "no maxmemory"
    );
    redis_cli(&redis, &["CONFIG", "SET", "maxmemory", "100mb"]);
    redis_cli(
        &redis,
        &["CONFIG", "SET", "maxmemory-policy", "volatile-ttl"],
    );
    let warning = stores.sessions.eviction_warning().await.expect("a risk");
    assert!(warning.contains("volatile-ttl"), "{warning}");
    assert!(warning.contains("noeviction"), "{warning}");
    redis_cli(&redis, &["CONFIG", "SET", "maxmemory-policy", "noeviction"]);
    assert_eq!(stores.sessions.eviction_warning().await, None);
}

/// The session cookie an answer sets, if any.
fn session_cookie(answer: &crate::helpers::Answer) -> Option<String> {
    answer
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("session="))
        .map(str::to_owned)
}

/// The flood the attack used, from cookie-less clients on one address: passkey sign-in
/// starts each create a session. Past `LIMIT_NEW_SESSIONS_PER_IP` the start is refused (429
/// with `Retry-After`); a browser that already has its session is not counted again. A
/// no-JavaScript error stores no session, so the limit leaves its message alone.
#[tokio::test]
async fn new_anonymous_sessions_from_one_address_are_limited() {
    let app = spawn_app_with(&[("LIMIT_NEW_SESSIONS_PER_IP", "3/10m")]).await;
    let first = app.other_browser();
    assert_eq!(
        first.call("passkey_sign_in_start", &[]).await.status,
        reqwest::StatusCode::OK
    );
    for _ in 0..2 {
        let browser = app.other_browser();
        let answer = browser.call("passkey_sign_in_start", &[]).await;
        assert_eq!(answer.status, reqwest::StatusCode::OK, "{}", answer.body);
    }
    let refused = app.other_browser().call("passkey_sign_in_start", &[]).await;
    assert_eq!(
        refused.status,
        reqwest::StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(refused.headers.get("retry-after").is_some());
    assert_eq!(session_cookie(&refused), None, "nothing stored");
    // The first browser keeps working: its session exists already.
    assert_eq!(
        first.call("passkey_sign_in_start", &[]).await.status,
        reqwest::StatusCode::OK
    );
    // A no-JavaScript error from a new visitor redirects with its message in the signed
    // cookie, past the limit too: no session is stored for it.
    let browser = app.other_browser();
    let answer = browser.post_form("start_login", &[("number", "12")]).await;
    assert_eq!(answer.status, reqwest::StatusCode::SEE_OTHER);
    assert_eq!(session_cookie(&answer), None, "no session for the message");
    assert!(
        answer.set_cookie("flash").is_some(),
        "the message rides its cookie"
    );
    let page = browser.get("/login").await;
    assert!(page.body.contains("too short"), "{}", page.body);
}
