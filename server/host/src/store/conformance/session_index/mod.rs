//! The session indexes agree on adding, listing, recording requests and ending sessions,
//! alone and under parallel requests, in memory, in SQLite and (in [`redis`]) in Redis (a
//! private `redis-server`, as `server/tests/api/scale_out_support.rs` starts one).

use super::{memory_stores, sqlite_stores, wall_now};
use app_core::auth::server::store::session_index::{
    DeviceSession, SessionIndex, SignInFactor, SEEN_RESOLUTION_SECS,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

mod redis;

const DAY: u64 = 24 * 3600;
const HOME: &str = "203.0.113.0/24";
const CAFE: &str = "198.51.100.0/24";

fn session(handle: &str, signed_in_at: u64, factor: SignInFactor) -> DeviceSession {
    DeviceSession {
        handle: handle.to_owned(),
        signed_in_at,
        last_seen_at: signed_in_at,
        device: "Firefox on Linux".to_owned(),
        network: HOME.to_owned(),
        factor,
    }
}

fn passkey() -> SignInFactor {
    SignInFactor::Passkey {
        credential_id: "AbC-dEf_0123456789".to_owned(),
        name: "Chrome on Linux “work” ✓".to_owned(),
    }
}

fn handles(list: &[DeviceSession]) -> Vec<&str> {
    list.iter().map(|s| s.handle.as_str()).collect()
}

async fn listed(index: &Arc<dyn SessionIndex>, account: &str, now: u64) -> Vec<DeviceSession> {
    index.list(account, now).await.expect("list")
}

/// One story on any index: listing order and fields, the seen resolution, ending, accounts
/// kept apart, expired entries absent. Answers the time it used as "now".
async fn sessions_behave(index: Arc<dyn SessionIndex>) -> u64 {
    let now = wall_now();
    let base = now - 1000;
    let mut second = session("h2", base + 10, SignInFactor::Code);
    let oldest_tie = session("h0", base + 20, SignInFactor::Code);
    let mut newest_tie = session("h1", base + 20, passkey());
    newest_tie.device = "Safari on iOS “iPhone”".to_owned();
    for s in [&newest_tie, &second, &oldest_tie] {
        index.add("acct-a", s).await.expect("add");
    }
    let other = session("h9", base + 5, SignInFactor::Code);
    index.add("acct-b", &other).await.expect("add b");

    // Order (sign-in, then handle) and every field, as added.
    assert_eq!(
        listed(&index, "acct-a", now).await,
        [second.clone(), oldest_tie.clone(), newest_tie.clone()],
    );
    assert_eq!(
        listed(&index, "acct-b", now).await,
        std::slice::from_ref(&other)
    );
    assert_eq!(listed(&index, "nobody", now).await, []);

    // Within the resolution and from the same network: listed, nothing written.
    assert_eq!(index.seen("acct-a", "h2", base + 30, HOME).await, Ok(true));
    assert_eq!(listed(&index, "acct-a", now).await[0], second);
    // Past the resolution: written.
    let later = base + 10 + SEEN_RESOLUTION_SECS;
    assert_eq!(index.seen("acct-a", "h2", later, HOME).await, Ok(true));
    second.last_seen_at = later;
    assert_eq!(listed(&index, "acct-a", now).await[0], second);
    // Another network: written at once.
    assert_eq!(index.seen("acct-a", "h2", later + 1, CAFE).await, Ok(true));
    second.last_seen_at = later + 1;
    second.network = CAFE.to_owned();
    assert_eq!(listed(&index, "acct-a", now).await[0], second);
    // Never backwards, even from another network.
    assert_eq!(index.seen("acct-a", "h2", later - 5, HOME).await, Ok(true));
    second.network = HOME.to_owned();
    assert_eq!(listed(&index, "acct-a", now).await[0], second);

    // Accounts are apart.
    assert_eq!(index.seen("acct-a", "h9", now, HOME).await, Ok(false));
    assert_eq!(index.seen("acct-b", "h2", now, HOME).await, Ok(false));
    assert_eq!(index.seen("acct-a", "missing", now, HOME).await, Ok(false));
    assert_eq!(index.end("acct-a", &["h9".to_owned()]).await, Ok(0), "b's");
    assert_eq!(
        listed(&index, "acct-b", now).await,
        std::slice::from_ref(&other)
    );

    // Ending counts what was listed, once; an ended entry is never seen or listed again.
    assert_eq!(index.end("acct-a", &[]).await, Ok(0));
    let ends = ["h2".to_owned(), "h2".to_owned(), "missing".to_owned()];
    assert_eq!(index.end("acct-a", &ends).await, Ok(1));
    assert_eq!(
        index.end("acct-a", &["h2".to_owned()]).await,
        Ok(0),
        "counted once"
    );
    assert_eq!(index.seen("acct-a", "h2", now, CAFE).await, Ok(false));
    assert_eq!(index.seen("acct-a", "h2", now + 1, HOME).await, Ok(false));
    assert_eq!(
        handles(&listed(&index, "acct-a", now).await),
        ["h0", "h1"],
        "seen never lists an ended session again"
    );
    assert_eq!(
        listed(&index, "acct-b", now).await,
        std::slice::from_ref(&other)
    );

    // Expired entries (too old; idle too long) read as absent.
    let too_old = session("old", now - 31 * DAY, SignInFactor::Code);
    let idle = session("idle", now - 8 * DAY, passkey());
    assert!(
        !too_old.is_live(now) && !idle.is_live(now),
        "expired by now"
    );
    index.add("acct-a", &too_old).await.expect("add old");
    index.add("acct-a", &idle).await.expect("add idle");
    assert_eq!(handles(&listed(&index, "acct-a", now).await), ["h0", "h1"]);
    assert_eq!(index.seen("acct-a", "old", now, HOME).await, Ok(false));
    assert_eq!(index.seen("acct-a", "idle", now, CAFE).await, Ok(false));
    assert_eq!(handles(&listed(&index, "acct-a", now).await), ["h0", "h1"]);
    assert_eq!(index.end("acct-a", &["old".to_owned()]).await, Ok(0));
    // Live ones expire too: a week of silence, or thirty days whatever happens.
    let idle_end = oldest_tie.expires_at();
    assert_eq!(
        handles(&listed(&index, "acct-a", idle_end - 1).await),
        ["h0", "h1"]
    );
    assert_eq!(listed(&index, "acct-a", idle_end).await, []);
    assert_eq!(listed(&index, "acct-b", base + 31 * DAY).await, []);
    now
}

/// Twenty parallel ends of one handle count it once; a request recorded while its session
/// is ended never lists it again.
async fn parallel_requests_end_once(index: Arc<dyn SessionIndex>) {
    let now = wall_now();
    let base = now - 2000;
    index
        .add("acct-p", &session("race", base, SignInFactor::Code))
        .await
        .expect("add");
    let mut ends = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let index = index.clone();
        ends.spawn(async move { index.end("acct-p", &["race".to_owned()]).await });
    }
    let mut total = 0;
    while let Some(ended) = ends.join_next().await {
        total += ended.expect("end ran").expect("end");
    }
    assert_eq!(total, 1, "twenty ends of one session count it once");
    assert_eq!(listed(&index, "acct-p", now).await, []);

    for round in 0..10 {
        let handle = format!("r{round}");
        index
            .add("acct-p", &session(&handle, base, SignInFactor::Code))
            .await
            .expect("add");
        // Browsers keep sending requests, each from a new network (so each is worth
        // writing: a read and a conditional write), until told they are signed out; the
        // session is ended once the first request went through.
        let ended = Arc::new(AtomicBool::new(false));
        let went_through = Arc::new(tokio::sync::Notify::new());
        let mut seens = tokio::task::JoinSet::new();
        for browser in 0..8_u64 {
            let (index, handle) = (index.clone(), handle.clone());
            let (ended, went_through) = (ended.clone(), went_through.clone());
            seens.spawn(async move {
                for request in 0..10_000_u64 {
                    let after_end = ended.load(Ordering::SeqCst);
                    let network = format!("10.{browser}.{request}.0/24");
                    let seen = index
                        .seen("acct-p", &handle, now + request, &network)
                        .await
                        .expect("seen");
                    assert!(!(seen && after_end), "seen after the end completed");
                    if !seen {
                        return;
                    }
                    went_through.notify_one();
                    // The memory index never waits: let the end in.
                    tokio::task::yield_now().await;
                }
                panic!("never signed out");
            });
        }
        went_through.notified().await;
        let count = index.end("acct-p", std::slice::from_ref(&handle)).await;
        ended.store(true, Ordering::SeqCst);
        assert_eq!(count, Ok(1), "round {round}");
        while let Some(seen) = seens.join_next().await {
            seen.expect("browser");
        }
        assert_eq!(
            listed(&index, "acct-p", now + 300).await,
            [],
            "round {round}: ended, so never listed again"
        );
        assert_eq!(
            index.seen("acct-p", &handle, now + 400, CAFE).await,
            Ok(false)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_session_index_behaves() {
    let stores = memory_stores().await;
    sessions_behave(stores.index.clone()).await;
    parallel_requests_end_once(stores.index).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_session_index_behaves_and_keeps_expiry_for_the_purge() {
    use tower_sessions_sqlx_store::sqlx::{self, SqlitePool};

    let (stores, dir) = sqlite_stores("index").await;
    let file = dir.join("sessions.db");
    let now = sessions_behave(stores.index.clone()).await;
    parallel_requests_end_once(stores.index.clone()).await;

    // Each row's `expires_at` is the session's own expiry, moved by a recorded request, so
    // the purge (rows whose `expires_at` has passed) forgets exactly the expired ones.
    let index = stores.index;
    let mut fresh = session("fresh", now - 100, SignInFactor::Code);
    index.add("acct-e", &fresh).await.expect("add");
    assert_eq!(index.seen("acct-e", "fresh", now, HOME).await, Ok(true));
    fresh.last_seen_at = now;
    let pool = SqlitePool::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("second pool");
    let expiry: i64 = sqlx::query_scalar(
        "SELECT expires_at FROM account_sessions WHERE account = 'acct-e' AND handle = 'fresh'",
    )
    .fetch_one(&pool)
    .await
    .expect("row");
    assert_eq!(u64::try_from(expiry), Ok(fresh.expires_at()));
    pool.close().await;
}
