//! The counter stores agree: the batched calls (`get_many`, `add_many`) answer what the
//! one-by-one calls would, and no count goes below zero, in memory, in SQLite and in Redis
//! (a private `redis-server`, [`RedisServer`]).

use super::{memory_stores, sqlite_stores, wall_now};
use crate::store::test_servers::RedisServer;
use app_core::auth::server::store::counters::{CounterChange, CounterStore};
use std::sync::Arc;

fn change(key: &str, delta: i32) -> CounterChange {
    CounterChange {
        key: key.to_owned(),
        window_start: 600,
        delta,
        expires_at: 2_000_000_000,
    }
}

async fn batches_match_single_calls(store: Arc<dyn CounterStore>) {
    let counts = store
        .add_many(&[change("a", 1), change("b", 3), change("c", -1)])
        .await
        .expect("add_many");
    assert_eq!(counts, [1, 3, 0], "new counters; none below zero");
    let counts = store
        .add_many(&[change("b", -1), change("a", 2)])
        .await
        .expect("add_many");
    assert_eq!(counts, [2, 3], "answers follow the order asked");
    assert_eq!(store.add("a", 600, 1, 2_000_000_000).await, Ok(4));
    let windows = [
        ("b".to_owned(), 600),
        ("missing".to_owned(), 600),
        ("a".to_owned(), 600),
        ("a".to_owned(), 0),
    ];
    assert_eq!(store.get_many(&windows).await, Ok(vec![2, 0, 4, 0]));
    assert_eq!(store.add_many(&[]).await, Ok(vec![]));
    assert_eq!(store.get_many(&[]).await, Ok(vec![]));
}

#[tokio::test]
async fn memory_counters_batch_like_single_calls() {
    batches_match_single_calls(memory_stores().await.counters).await;
}

#[tokio::test]
async fn sqlite_counters_batch_like_single_calls() {
    let (stores, _dir) = sqlite_stores("counters").await;
    batches_match_single_calls(stores.counters).await;
}

#[tokio::test]
async fn redis_counters_batch_like_single_calls() {
    let redis = RedisServer::start();
    let stores = redis.stores().await;
    batches_match_single_calls(stores.counters).await;

    // One key per window, each deleted by Redis at the expiry it was given (also the
    // counter held at zero), none forever.
    assert_eq!(
        redis.keys(),
        [
            "passwordless:limit:a:600",
            "passwordless:limit:b:600",
            "passwordless:limit:c:600"
        ]
    );
    let now = wall_now();
    let left = i64::try_from(2_000_000_000 - now).expect("before 2033");
    for key in redis.keys() {
        let ttl = redis.ttl(&key);
        assert!(
            (left - 5..=left).contains(&ttl),
            "{key}: ttl {ttl}, expected {left}"
        );
    }
}

#[tokio::test]
async fn sqlite_failures_are_typed_store_errors() {
    use crate::store::schema::{migrate_sqlite, SQLITE_SESSIONS};
    use crate::store::sqlite::counters::SqliteCounters;
    use app_core::auth::server::StoreError;
    use sqlx::sqlite::SqlitePoolOptions;

    // One connection, so the tables live as long as the pool does.
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("pool");
    migrate_sqlite(&pool, &SQLITE_SESSIONS)
        .await
        .expect("tables");
    let counters = SqliteCounters::new(pool.clone());
    // A count SQLite kept as text (its columns take any type): unreadable, not an outage.
    sqlx::query(
        "INSERT INTO rate_counters (key, window_start, count, expires_at) \
         VALUES ('odd', 600, 'many', 2000000000)",
    )
    .execute(&pool)
    .await
    .expect("insert");
    let odd = counters.get("odd", 600).await;
    assert!(
        matches!(
            odd,
            Err(StoreError::Corrupt {
                backend: "sqlite",
                ..
            })
        ),
        "{odd:?}"
    );
    pool.close().await;
    let closed = counters.add("a", 600, 1, 2_000_000_000).await;
    assert!(
        matches!(
            closed,
            Err(StoreError::Unavailable {
                backend: "sqlite",
                ..
            })
        ),
        "{closed:?}"
    );
}
