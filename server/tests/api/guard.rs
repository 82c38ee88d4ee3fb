//! The SMS-pumping guard through the real server: a bot spread over many IPs, browsers and
//! numbers in one prefix, and honest visitors elsewhere who type their codes. Enforce blocks
//! the pumped prefix after at most `GUARD_MIN_SENDS` unverified sends while honest visitors
//! sign in; audit refuses nothing but decides, counts and lists; a safe-listed prefix is never
//! blocked; the operator lifts a block on `OPS_ADDR`. Run on memory, SQLite and Redis.

use crate::helpers::{free_port, spawn_app_with, TestApp};
use crate::scale_out_support::RedisServer;
use reqwest::StatusCode;

/// Unverified sends a prefix may take before it is judged (small, so tests stay fast).
const MIN_SENDS: u32 = 8;
/// Sends the bot tries.
const PUMPS: u32 = 30;

/// The n-th number of the pumped range, +44 7400 9xxxxx.
fn pumped(n: u32) -> String {
    format!("+4474009{n:05}")
}

/// A guarded app with `mode`, reachable per request from any client IP (the test client is
/// a trusted proxy on loopback), plus `extra`; answers it and its operator address.
pub(crate) async fn guarded(mode: &str, extra: &[(&str, &str)]) -> (TestApp, String) {
    let ops = format!("127.0.0.1:{}", free_port());
    let min_sends = MIN_SENDS.to_string();
    let mut settings = vec![
        ("GUARD_MODE", mode),
        ("GUARD_MIN_SENDS", min_sends.as_str()),
        ("CLIENT_IP_HEADER", "X-Forwarded-For"),
        ("OPS_ADDR", ops.as_str()),
    ];
    settings.extend_from_slice(extra);
    (spawn_app_with(&settings).await, format!("http://{ops}"))
}

/// The bot: each start from a new browser and a new IP, to a new number in the range, in
/// parallel batches of 10 (as a botnet does). Answers each start's status.
async fn pump(app: &TestApp, from: u32) -> Vec<StatusCode> {
    let mut statuses = Vec::new();
    for batch in (from..from + PUMPS).collect::<Vec<_>>().chunks(10) {
        let mut tasks = tokio::task::JoinSet::new();
        for &n in batch {
            let bot = app.other_browser();
            tasks.spawn(async move {
                let ip = format!("198.51.{}.{}", n / 200, n % 200 + 1);
                bot.start_from(&ip, &pumped(n)).await
            });
        }
        while let Some(status) = tasks.join_next().await {
            statuses.push(status.expect("start ran"));
        }
    }
    statuses
}

/// Codes the emulator sent to the pumped range.
async fn sent_to_range(app: &TestApp) -> usize {
    let messages = app.messages().await;
    messages
        .iter()
        .filter(|m| {
            m["to"]
                .as_str()
                .is_some_and(|to| to.starts_with("+4474009"))
        })
        .count()
}

/// An honest visitor: a number outside the range, its code typed; answers whether signed in.
async fn honest_sign_in(app: &TestApp, n: u32) -> bool {
    honest_sign_in_at(app, "+4479111", n).await
}

/// An honest visitor `n` (below 1000) in `prefix` (`+4479111`), from an address of its own,
/// its code typed; answers whether signed in.
pub(crate) async fn honest_sign_in_at(app: &TestApp, prefix: &str, n: u32) -> bool {
    let browser = app.other_browser();
    let number = format!("{prefix}{n:05}");
    let ip = format!("203.0.{}.{}", 113 + n / 200, n % 200 + 1);
    if browser.start_from(&ip, &number).await != StatusCode::OK {
        return false;
    }
    let code = browser.latest_code(&number).await;
    browser
        .call("finish_login", &[("code", &code)])
        .await
        .status
        == StatusCode::OK
}

pub(crate) async fn blocks(ops: &str) -> serde_json::Value {
    reqwest::get(format!("{ops}/guard/blocks"))
        .await
        .expect("ops reachable")
        .json()
        .await
        .expect("JSON")
}

/// `/metrics` on the operator port (the recorder is shared by every test in this binary, so
/// tests look for their series, not for exact counts).
async fn metrics(ops: &str) -> String {
    reqwest::get(format!("{ops}/metrics"))
        .await
        .expect("metrics reachable")
        .text()
        .await
        .expect("text")
}

/// The metrics text has a guard decision series for a prefix with this mode and action.
fn assert_has_decision(text: &str, mode: &str, action: &str) {
    let series = format!(
        r#"passwordless_guard_decisions_total{{mode="{mode}",action="{action}",scope="prefix"}}"#
    );
    assert!(text.contains(&series), "{series} missing from {text}");
}

/// Enforce, on one store: honest sign-ins before, during and after a pumping run all work;
/// the range gets at most `MIN_SENDS` codes; a refused visitor is told plainly; the
/// operator sees the block and lifts it.
async fn enforce_stops_pumping(store: &[(&str, &str)]) {
    let (app, ops) = guarded("enforce", store).await;
    for n in 0..5 {
        assert!(
            honest_sign_in(&app, n).await,
            "honest visitor {n} before the run"
        );
    }
    let statuses = pump(&app, 0).await;
    let sent = sent_to_range(&app).await;
    assert!(
        sent <= MIN_SENDS as usize,
        "{sent} codes reached the range: {statuses:?}"
    );
    // Racing starts may see the block a little early, never late.
    assert!(
        sent >= MIN_SENDS as usize / 2,
        "judged only with enough volume: {sent}"
    );
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::FORBIDDEN)
        .count();
    assert_eq!(refused, PUMPS as usize - sent, "{statuses:?}");
    for n in 5..15 {
        assert!(
            honest_sign_in(&app, n).await,
            "honest visitor {n} after the run"
        );
    }

    let refused = app.other_browser();
    let answer = refused
        .call("start_login", &[("number", &pumped(500))])
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.body.contains("SendingPaused"), "{}", answer.body);
    assert!(
        !answer.body.contains("prefix"),
        "the rule is not named: {}",
        answer.body
    );
    let form = refused
        .post_form("start_login", &[("number", &pumped(501))])
        .await;
    assert_eq!(
        form.status,
        StatusCode::SEE_OTHER,
        "no-JS form: back to the phone step"
    );
    let page = refused.get("/login").await;
    assert!(
        page.body.contains("send codes to this number right now"),
        "{}",
        page.body
    );

    let listed = blocks(&ops).await;
    assert_eq!(listed["mode"], "enforce");
    assert_eq!(listed["blocks"][0]["scope"], "prefix:+4474009", "{listed}");
    assert_eq!(
        listed["blocks"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    let lifted = reqwest::Client::new()
        .delete(format!("{ops}/guard/blocks/prefix:%2B4474009"))
        .send()
        .await
        .expect("ops reachable");
    assert_eq!(lifted.status(), StatusCode::OK);
    let again = app.other_browser();
    let answer = again.call("start_login", &[("number", &pumped(502))]).await;
    assert_eq!(answer.status, StatusCode::OK, "lifted: {}", answer.body);
    let text = metrics(&ops).await;
    assert_has_decision(&text, "enforce", "block");
    assert!(
        text.contains(r#"passwordless_conversion_ratio{country="GB"}"#),
        "{text}"
    );
}

#[tokio::test]
async fn enforce_stops_pumping_in_memory() {
    enforce_stops_pumping(&[]).await;
}

#[tokio::test]
async fn enforce_stops_pumping_in_sqlite() {
    let dir = std::env::temp_dir().join(format!("passwordless-guard-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/sessions.db", dir.display());
    enforce_stops_pumping(&[("SESSION_STORE", url.as_str())]).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn enforce_stops_pumping_in_redis() {
    let redis = RedisServer::start();
    let url = redis.url();
    enforce_stops_pumping(&[("SESSION_STORE", url.as_str())]).await;
}

#[tokio::test]
async fn audit_refuses_nothing_but_decides_counts_and_lists() {
    let (app, ops) = guarded("audit", &[]).await;
    let statuses = pump(&app, 0).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(sent_to_range(&app).await, PUMPS as usize);
    let listed = blocks(&ops).await;
    assert_eq!(listed["mode"], "audit");
    assert_eq!(listed["blocks"][0]["scope"], "prefix:+4474009", "{listed}");
    let text = metrics(&ops).await;
    assert_has_decision(&text, "audit", "block");
    // Sends to the audited block are let through and counted as decisions.
    assert_has_decision(&text, "audit", "refuse");
}

#[tokio::test]
async fn a_safe_listed_prefix_is_never_blocked() {
    let (app, ops) = guarded("enforce", &[("GUARD_SAFE_LIST", "+4474009")]).await;
    let statuses = pump(&app, 0).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(sent_to_range(&app).await, PUMPS as usize);
    assert_eq!(blocks(&ops).await["blocks"], serde_json::json!([]));
}

#[tokio::test]
async fn the_guard_endpoints_are_not_on_the_sites_port() {
    let (app, _ops) = guarded("enforce", &[]).await;
    let listed = app.get("/guard/blocks").await;
    assert_ne!(listed.status, StatusCode::OK);
    assert!(!listed.body.contains("\"blocks\""), "{}", listed.body);
}
