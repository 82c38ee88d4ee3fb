//! The lock stores agree on every outcome of taking a number, in memory, in SQLite and in
//! Redis (a private `redis-server`, [`RedisServer`]).

use super::test_redis::RedisServer;
use super::AnyStore;
use crate::config::SessionStoreConfig;
use app_core::auth::server::number_lock::{LockOutcome, LockStore};
use std::sync::Arc;

async fn one_owner_at_a_time(locks: Arc<dyn LockStore>) {
    // Real times: the SQLite store purges rows whose expiry has passed by the wall clock.
    let base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        - 1000;
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
    let stores = AnyStore::open(&SessionStoreConfig::Memory)
        .await
        .expect("memory");
    one_owner_at_a_time(stores.locks).await;
}

#[tokio::test]
async fn sqlite_locks() {
    let dir = std::env::temp_dir().join(format!("passwordless-locks-{}", uuid::Uuid::new_v4()));
    let stores = AnyStore::open(&SessionStoreConfig::Sqlite(dir.join("s.db")))
        .await
        .expect("sqlite");
    one_owner_at_a_time(stores.locks).await;
    let _ = std::fs::remove_dir_all(dir);
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
