//! The SMS-pumping guard against a bot that rotates through ranges: it pumps one range of
//! +44 740 (+44 74020…) until the guard refuses it, then moves to the next (12 in all), from
//! a new browser and IP each time, in parallel batches. The wider prefix keeps the blocked
//! ranges' sends, so it is blocked after twice `GUARD_MIN_SENDS` codes in all (not that many
//! per range); honest visitors in a converting range of the same wider prefix and elsewhere
//! sign in throughout. Run on memory, SQLite and Redis.

use crate::guard::{blocks, guarded, honest_sign_in_at};
use crate::helpers::TestApp;
use crate::scale_out_support::RedisServer;
use reqwest::StatusCode;

/// Unverified sends a range may take before it is judged (as in `guard.rs`).
const MIN_SENDS: usize = 8;
/// Ranges the bot rotates through: +44 74020… to +44 74031….
const RANGES: u32 = 12;
/// Starts the bot tries in all.
const STARTS: u32 = 120;
/// Starts in flight at once.
const BATCH: u32 = 4;

/// The bot's `n`-th number, in its `range`-th range.
fn rotated(range: u32, n: u32) -> String {
    format!("+44740{}{n:05}", 20 + range % RANGES)
}

/// The rotating bot: a batch of starts to its current range, then the next range once one
/// of them is refused by the guard (403). Answers the ranges it went through.
async fn rotate(app: &TestApp) -> u32 {
    let mut range = 0;
    for first in (0..STARTS).step_by(BATCH as usize) {
        let mut tasks = tokio::task::JoinSet::new();
        for n in first..first + BATCH {
            let bot = app.other_browser();
            let number = rotated(range, n);
            tasks.spawn(async move {
                let ip = format!("198.51.{}.{}", n / 200, n % 200 + 1);
                bot.start_from(&ip, &number).await
            });
        }
        let mut refused = false;
        while let Some(status) = tasks.join_next().await {
            let status = status.expect("start ran");
            assert!(
                status == StatusCode::OK || status == StatusCode::FORBIDDEN,
                "only the guard stops the bot here: {status}"
            );
            refused |= status == StatusCode::FORBIDDEN;
        }
        if refused {
            range += 1;
        }
    }
    range + 1
}

/// Codes the emulator sent to the bot's ranges.
async fn sent_to_bot(app: &TestApp) -> usize {
    let messages = app.messages().await;
    messages
        .iter()
        .filter(|m| {
            m["to"].as_str().is_some_and(|to| {
                (0..RANGES).any(|range| to.starts_with(&format!("+44740{}", 20 + range)))
            })
        })
        .count()
}

async fn rotating_bot_is_caught_wider_up(store: &[(&str, &str)]) {
    let (app, ops) = guarded("enforce", store).await;
    // Honest visitors before the attack: in +44 74001 (inside the bot's wider prefix
    // +44 740) and in +44 79111.
    for n in 0..3 {
        assert!(
            honest_sign_in_at(&app, "+4474001", n).await,
            "in +44 740: {n}"
        );
        assert!(
            honest_sign_in_at(&app, "+4479111", n).await,
            "elsewhere: {n}"
        );
    }
    let ranges = rotate(&app).await;
    let sent = sent_to_bot(&app).await;
    // Without the wider prefix keeping the blocked ranges' sends, each of the 12 ranges
    // would take MIN_SENDS codes (96 in all).
    assert!(
        sent <= 2 * MIN_SENDS,
        "{sent} codes reached the bot over {ranges} ranges"
    );
    assert!(ranges >= 2, "the bot moved on: {ranges}");
    let listed = blocks(&ops).await;
    let scopes: Vec<&str> = listed["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter_map(|b| b["scope"].as_str())
        .collect();
    assert!(scopes.contains(&"prefix:+44740"), "{listed}");
    assert!(!scopes.contains(&"country:GB"), "{listed}");
    // The honest range inside the blocked wider prefix converts, so it goes on; so does
    // every range elsewhere.
    for n in 3..8 {
        assert!(
            honest_sign_in_at(&app, "+4474001", n).await,
            "in +44 740: {n}"
        );
        assert!(
            honest_sign_in_at(&app, "+4479111", n).await,
            "elsewhere: {n}"
        );
        assert!(
            honest_sign_in_at(&app, "+4477001", n).await,
            "new range elsewhere: {n}"
        );
    }
    // A range of +44 740 with nothing typed, even a fresh one, waits for the block's end.
    let fresh = app.other_browser();
    let answer = fresh
        .call("start_login", &[("number", "+447400800001")])
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert!(answer.body.contains("SendingPaused"), "{}", answer.body);
    // The operator lifts the wider block: the range is let on.
    let lifted = reqwest::Client::new()
        .delete(format!("{ops}/guard/blocks/prefix:%2B44740"))
        .send()
        .await
        .expect("ops reachable");
    assert_eq!(lifted.status(), StatusCode::OK);
    let answer = fresh
        .call("start_login", &[("number", "+447400800002")])
        .await;
    assert_eq!(answer.status, StatusCode::OK, "lifted: {}", answer.body);
}

#[tokio::test]
async fn a_rotating_bot_is_caught_wider_up_in_memory() {
    rotating_bot_is_caught_wider_up(&[]).await;
}

#[tokio::test]
async fn a_rotating_bot_is_caught_wider_up_in_sqlite() {
    let dir = std::env::temp_dir().join(format!("passwordless-rotation-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/sessions.db", dir.display());
    rotating_bot_is_caught_wider_up(&[("SESSION_STORE", url.as_str())]).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_rotating_bot_is_caught_wider_up_in_redis() {
    let redis = RedisServer::start();
    let url = redis.url();
    rotating_bot_is_caught_wider_up(&[("SESSION_STORE", url.as_str())]).await;
}
