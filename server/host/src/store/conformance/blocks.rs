//! The block stores agree on placing, repeating, listing and lifting, in memory, in SQLite
//! and in Redis (a private `redis-server`, [`RedisServer`]; the guard on Redis end to end:
//! `server/tests/api/guard.rs`).

use super::{memory_stores, sqlite_stores, wall_now};
use crate::store::test_servers::RedisServer;
use app_core::auth::server::store::blocks::{BlockStore, BlockTerms};
use std::sync::Arc;

const TERMS: BlockTerms = BlockTerms {
    base: 3600,
    max: 86_400,
};

/// Runs the same story on any store, from `base` (real time: SQLite purges by the clock).
async fn blocks_behave(blocks: Arc<dyn BlockStore>) {
    let base = wall_now() - 20_000;
    let scope = "prefix:+4477009";
    let first = blocks
        .place(scope, (20, 1), base, TERMS)
        .await
        .expect("place");
    assert!(first.new);
    assert_eq!(
        (first.block.since, first.block.until, first.block.strikes),
        (base, base + 3600, 1)
    );
    assert_eq!((first.block.sends, first.block.verified), (20, 1));
    let again = blocks
        .place(scope, (25, 1), base + 10, TERMS)
        .await
        .expect("again");
    assert!(!again.new, "one block while in force");
    assert_eq!(again.block, first.block);
    let scopes = [scope.to_owned(), "country:GB".to_owned()];
    let active = blocks.active(&scopes, base + 10).await.expect("active");
    assert_eq!(active, vec![first.block.clone()]);
    assert_eq!(
        blocks.active(&scopes, base + 3600).await,
        Ok(vec![]),
        "ended"
    );
    let repeat = blocks
        .place(scope, (20, 0), base + 4000, TERMS)
        .await
        .expect("repeat");
    assert!(repeat.new);
    assert_eq!(
        (repeat.block.until, repeat.block.strikes),
        (base + 4000 + 7200, 2),
        "a repeat lasts twice as long"
    );
    blocks
        .place("country:NG", (40, 2), base + 4000, TERMS)
        .await
        .expect("second scope");
    let listed = blocks.list(base + 4001).await.expect("list");
    let names: Vec<&str> = listed.iter().map(|b| b.scope.as_str()).collect();
    assert_eq!(names, ["country:NG", scope]);
    assert_eq!(blocks.lift(scope, base + 4001).await, Ok(true));
    assert_eq!(blocks.lift(scope, base + 4001).await, Ok(false));
    let fresh = blocks
        .place(scope, (20, 0), base + 4002, TERMS)
        .await
        .expect("fresh");
    assert_eq!(fresh.block.strikes, 1, "lifting forgets the strikes");
}

#[tokio::test]
async fn memory_blocks() {
    blocks_behave(memory_stores().await.blocks).await;
}

#[tokio::test]
async fn sqlite_blocks() {
    let (stores, _dir) = sqlite_stores("blocks").await;
    blocks_behave(stores.blocks).await;
}

#[tokio::test]
async fn redis_blocks() {
    let redis = RedisServer::start();
    let stores = redis.stores().await;
    blocks_behave(stores.blocks).await;

    // One hash, which Redis deletes once no block it ever held can count as a repeat: the
    // longest block placed (the repeat's 7 200 s, lifted since) plus the longest block
    // there can be, from when it was placed.
    let key = "passwordless:guard:blocks";
    assert_eq!(redis.keys(), [key]);
    let expected = 7_200 + 86_400;
    let ttl = redis.ttl(key);
    assert!(
        (expected - 5..=expected).contains(&ttl),
        "ttl {ttl}, expected {expected}"
    );
    assert_eq!(redis.keys_without_expiry(), Vec::<String>::new());
}
