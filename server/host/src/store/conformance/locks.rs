//! The lock stores agree on every outcome of taking a number, in memory, in SQLite and in
//! Redis (a private `redis-server`, [`RedisServer`]).

use super::{memory_stores, sqlite_stores, wall_now};
use crate::store::test_servers::RedisServer;
use app_core::auth::server::store::locks::{LockOutcome, LockStore};
use std::sync::Arc;

async fn one_owner_at_a_time(locks: Arc<dyn LockStore>) {
    // Real times: the SQLite store purges rows whose expiry has passed by the wall clock.
    let base = wall_now() - 1000;
    let held = |until: u64| Ok(LockOutcome::HeldUntil(base + until));
    let take = |owner: &'static str, now: u64| {
        let locks = locks.clone();
        let now = base + now;
        async move {
            locks
                .acquire("lock:number:+447400123456", owner, now + 300, now)
                .await
        }
    };
    assert_eq!(take("a", 1000).await, Ok(LockOutcome::Acquired), "free");
    assert_eq!(take("a", 1010).await, Ok(LockOutcome::AlreadyOurs), "ours");
    assert_eq!(take("b", 1020).await, held(1310), "held");
    assert_eq!(take("b", 1310).await, Ok(LockOutcome::Acquired), "expired");
    locks
        .release("lock:number:+447400123456", "a")
        .await
        .expect("a stranger's release is ignored");
    assert_eq!(take("a", 1320).await, held(1610));
    locks
        .release("lock:number:+447400123456", "b")
        .await
        .expect("released");
    assert_eq!(
        take("a", 1330).await,
        Ok(LockOutcome::Acquired),
        "free again"
    );
}

#[tokio::test]
async fn memory_locks() {
    one_owner_at_a_time(memory_stores().await.locks).await;
}

#[tokio::test]
async fn sqlite_locks() {
    let (stores, _dir) = sqlite_stores("locks").await;
    one_owner_at_a_time(stores.locks).await;
}

#[tokio::test]
async fn redis_locks() {
    let redis = RedisServer::start();
    let stores = redis.stores().await;
    one_owner_at_a_time(stores.locks.clone()).await;

    // A held lock is one key that Redis deletes itself when the lock expires: the story
    // ends with "a" holding it until 630 s from now by the wall clock.
    let key = "passwordless:lock:number:+447400123456";
    assert_eq!(redis.keys(), [key]);
    let ttl = redis.ttl(key);
    assert!((620..=630).contains(&ttl), "ttl {ttl}");
    assert_eq!(redis.keys_without_expiry(), Vec::<String>::new());
    stores
        .locks
        .release("lock:number:+447400123456", "a")
        .await
        .expect("released");
    assert_eq!(redis.keys(), Vec::<String>::new(), "released: no key left");
}
