//! The stories on Redis (a private `redis-server`), and how long an account's hash of
//! sessions lives.

use super::*;
use crate::config::RedisSettings;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_session_index_behaves_and_its_hashes_expire() {
    let redis = RedisServer::start();
    let config = SessionStoreConfig::Redis(RedisSettings {
        url: redis.url(),
        ca_file: None,
    });
    let stores = AnyStore::open(&config).await.expect("redis");
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
}

/// A `redis-server` of our own on a free loopback port, killed on drop (the same way as
/// `server/tests/api/scale_out_support.rs`, without persistence).
struct RedisServer {
    port: u16,
    dir: PathBuf,
    child: Child,
}

impl RedisServer {
    /// Starts Redis and waits until it accepts connections. Panics with the fix when
    /// `redis-server` is not installed (`scripts/setup.sh test` installs it as root).
    fn start() -> Self {
        let dir = std::env::temp_dir().join(format!("passwordless-redis-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let binary = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        let child = Command::new(&binary)
            .current_dir(&dir)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run `{binary}` ({e}): install Debian's redis-server \
                     (`scripts/setup.sh test` does it as root) or set REDIS_SERVER"
                )
            });
        let server = Self { port, dir, child };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// `TTL key` read with `redis-cli` (`-1`: no expiry, `-2`: no key).
    fn ttl(&self, key: &str) -> i64 {
        let out = Command::new("redis-cli")
            .args(["-p", &self.port.to_string(), "TTL", key])
            .output()
            .expect("redis-cli runs (Debian's redis-tools, installed with redis-server)");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("a number")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
