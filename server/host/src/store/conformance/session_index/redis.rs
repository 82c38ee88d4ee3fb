//! The stories on Redis (a private `redis-server`, [`RedisServer`]), and how long an
//! account's hash of sessions lives.

use super::*;
use crate::store::test_servers::RedisServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_session_index_behaves_and_its_hashes_expire() {
    let redis = RedisServer::start();
    let stores = redis.stores().await;
    let now = sessions_behave(stores.index.clone()).await;
    parallel_requests_end_once(stores.index.clone()).await;

    // The account's hash lasts as long as its newest sign-in can: an older or already
    // expired sign-in added later neither shortens nor ends it.
    let index = stores.index;
    let newest = session("newest", now - 10, SignInFactor::Code);
    index.add("acct-t", &newest).await.expect("add");
    index
        .add(
            "acct-t",
            &session("older", now - 5 * DAY, SignInFactor::Code),
        )
        .await
        .expect("add older");
    index
        .add(
            "acct-t",
            &session("gone", now - 40 * DAY, SignInFactor::Code),
        )
        .await
        .expect("add gone");
    let ttl = redis.ttl("passwordless:sessions:acct-t");
    let expected = i64::try_from(newest.signed_in_at + 30 * DAY - now).expect("small");
    assert!(
        (expected - 5..=expected).contains(&ttl),
        "ttl {ttl}, expected {expected}"
    );
    assert_eq!(
        handles(&listed(&index, "acct-t", now).await),
        ["older", "newest"]
    );
    // A first sign-in already past its maximum age leaves nothing behind.
    index
        .add(
            "acct-u",
            &session("gone", now - 40 * DAY, SignInFactor::Code),
        )
        .await
        .expect("add gone");
    assert_eq!(redis.ttl("passwordless:sessions:acct-u"), -2, "no key");
    assert_eq!(
        redis.keys_without_expiry(),
        Vec::<String>::new(),
        "all expire"
    );
}
