//! Two site instances on one Redis with one standalone emulator process: any instance finishes
//! any login, limits and logouts hold across instances.

use crate::emulator_process::EmulatorProcess;
use crate::helpers::{new_client, spawn_against, TestApp};
use crate::scale_out_support::RedisServer;
use reqwest::StatusCode;

/// Redis, the emulator process, and instances A and B sharing them.
pub struct Cluster {
    pub redis: RedisServer,
    pub emulator: EmulatorProcess,
    pub a: TestApp,
    pub b: TestApp,
}

/// Starts the whole cluster; `extra` settings go to both instances.
pub async fn cluster(extra: &[(&str, &str)]) -> Cluster {
    let redis = RedisServer::start();
    let emulator = EmulatorProcess::start();
    let url = redis.url();
    let mut settings = vec![("SESSION_STORE", url.as_str())];
    settings.extend_from_slice(extra);
    let a = spawn_against("vonage", &emulator.base, &settings).await;
    let b = spawn_against("vonage", &emulator.base, &settings).await;
    Cluster {
        redis,
        emulator,
        a,
        b,
    }
}

/// The same browser (cookie jar) talking to `instance`, as a load balancer would route it.
/// Cookies are per host, not per port, so both instances see the one session cookie.
pub fn same_browser_on(browser: &TestApp, instance: &TestApp) -> TestApp {
    TestApp {
        base: instance.base.clone(),
        client: browser.client.clone(),
        clock: instance.clock.clone(),
        emulator_base: instance.emulator_base.clone(),
    }
}

/// Signs `number` (E.164) in, starting on `start_on` and finishing on `finish_on`; returns
/// the signed-in session id.
pub async fn sign_in_across(
    emulator: &EmulatorProcess,
    start_on: &TestApp,
    finish_on: &TestApp,
    number: &str,
) -> String {
    let start = start_on.call("start_login", &[("number", number)]).await;
    assert_eq!(start.status, StatusCode::OK, "start: {}", start.body);
    let code = emulator.latest_code(number).await;
    let finish = same_browser_on(start_on, finish_on)
        .call("finish_login", &[("code", &code)])
        .await;
    assert_eq!(finish.status, StatusCode::OK, "finish: {}", finish.body);
    finish
        .session_id()
        .expect("sign-in sets a fresh session cookie")
}

#[tokio::test]
async fn login_started_on_one_instance_finishes_on_the_other() {
    let c = cluster(&[]).await;
    let browser = c.a.other_browser();
    sign_in_across(&c.emulator, &browser, &c.b, "+447400123501").await;

    for instance in [&c.a, &c.b] {
        let home = same_browser_on(&browser, instance).get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(
            home.body.contains("Hello ") && home.body.contains("+44 7400 123501"),
            "signed in on {}: {}",
            instance.base,
            home.body
        );
    }
}

#[tokio::test]
async fn per_number_limit_reached_through_one_instance_holds_on_the_other() {
    // A start reserves its SMS and the provider's own call: 2 is one login.
    let c = cluster(&[("LIMIT_PER_NUMBER", "2/10m")]).await;
    let first = c.a.other_browser();
    let sent = first
        .call("start_login", &[("number", "+447400123502")])
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    // The first browser gives the number up, so only the limit stands in the way.
    first.call("change_number", &[]).await;

    let second = c.b.other_browser();
    let refused = second
        .call("start_login", &[("number", "+447400123502")])
        .await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(refused.headers.contains_key("retry-after"));

    // Another number is not affected.
    let other = second
        .call("start_login", &[("number", "+447400123503")])
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
}

#[tokio::test]
async fn logout_on_one_instance_ends_the_session_on_the_other() {
    let c = cluster(&[]).await;
    let browser = c.a.other_browser();
    let session = sign_in_across(&c.emulator, &browser, &c.a, "+447400123504").await;

    let out = same_browser_on(&browser, &c.b).call("logout", &[]).await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.body);

    // A replay of the old cookie on instance A is anonymous: the record is gone from Redis.
    let replay = new_client()
        .get(format!("{}/account", c.a.base))
        .header("accept", "text/html")
        .header("cookie", format!("session={session}"))
        .send()
        .await
        .expect("reachable");
    assert!(replay.status().is_redirection(), "{}", replay.status());
    assert_eq!(replay.headers()["location"], "/login?next=/account");
    let home = browser.get("/").await;
    assert!(!home.body.contains("Hello "), "{}", home.body);
}

#[tokio::test]
async fn every_key_in_redis_expires() {
    let c = cluster(&[]).await;
    let browser = c.a.other_browser();
    sign_in_across(&c.emulator, &browser, &c.b, "+447400123505").await;
    let pending = c.b.other_browser();
    let sent = pending
        .call("start_login", &[("number", "+447400123506")])
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);

    let keys = c.redis.keys_with_ttl();
    assert!(
        keys.iter()
            .any(|(k, _)| k.starts_with("passwordless:limit:")),
        "limit counters are in Redis: {keys:?}"
    );
    assert!(
        keys.len() >= 4,
        "sessions and counters are in Redis: {keys:?}"
    );
    // Signed-in sessions live 7 days idle; counters at most a day past their window; an
    // account's session index lives until its newest session's 30-day maximum age.
    let week = 7 * 24 * 3600 + 60;
    let month = 30 * 24 * 3600 + 60;
    for (key, ttl) in &keys {
        let bound = match key.starts_with("passwordless:sessions:") {
            true => month,
            false => week,
        };
        assert!(
            (1..=bound).contains(ttl),
            "{key} must expire (TTL {ttl} s); nothing may grow without bound"
        );
    }
}

#[tokio::test]
async fn rediss_with_a_private_ca_signs_in_and_an_untrusted_server_is_refused_at_start() {
    use server::config::{RedisSettings, SessionStoreConfig};
    use server::store::AnyStore;

    let redis = RedisServer::start_tls();
    let untrusted = AnyStore::open(&SessionStoreConfig::Redis(RedisSettings {
        url: redis.url(),
        ca_file: None,
    }))
    .await;
    let refusal = untrusted
        .err()
        .expect("a certificate from an unknown CA is refused");
    assert!(refusal.contains("cannot reach"), "{refusal}");
    eprintln!("untrusted rediss:// refused: {refusal}");

    let ca = redis.ca_file().display().to_string();
    let app =
        crate::helpers::spawn_app_with(&[("SESSION_STORE", &redis.url()), ("REDIS_CA_FILE", &ca)])
            .await;
    let start = app
        .call("start_login", &[("number", "+447400123507")])
        .await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    let code = app.latest_code("+447400123507").await;
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{}", finish.body);
    let home = app.get("/").await;
    assert!(home.body.contains("+44 7400 123507"), "{}", home.body);
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);
}
