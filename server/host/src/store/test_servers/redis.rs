//! A `redis-server` of the test's own (the same way as
//! `server/tests/api/scale_out_support.rs` starts one, without persistence), so every store
//! conformance suite runs its story on Redis too.

use crate::config::{RedisSettings, SessionStoreConfig};
use crate::store::{AnyStore, Stores};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `redis-server` on a free loopback port, killed (and its folder removed) on drop.
pub struct RedisServer {
    port: u16,
    dir: PathBuf,
    child: Child,
}

impl RedisServer {
    /// Starts Redis and waits until it accepts connections. Panics with the fix when
    /// `redis-server` is not installed (`scripts/setup.sh test` installs it as root);
    /// `REDIS_SERVER` names another binary.
    pub fn start() -> Self {
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

    /// `redis://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Every store, opened on this Redis as `SESSION_STORE=redis` opens them.
    pub async fn stores(&self) -> Stores {
        let config = SessionStoreConfig::Redis(RedisSettings {
            url: self.url(),
            ca_file: None,
        });
        AnyStore::open(&config).await.expect("redis")
    }

    /// The lines `redis-cli` prints for `args`.
    fn cli(&self, args: &[&str]) -> Vec<String> {
        let out = Command::new("redis-cli")
            .args(["-p", &self.port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli runs (Debian's redis-tools, installed with redis-server)");
        assert!(out.status.success(), "redis-cli {args:?} failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// `TTL key` (`-1`: no expiry, `-2`: no key).
    pub fn ttl(&self, key: &str) -> i64 {
        self.cli(&["TTL", key])
            .first()
            .and_then(|t| t.trim().parse().ok())
            .expect("a number")
    }

    /// Every key, sorted (`KEYS *`: a test's database is small).
    pub fn keys(&self) -> Vec<String> {
        let mut keys = self.cli(&["--raw", "KEYS", "*"]);
        keys.sort();
        keys
    }

    /// Every key with no expiry (`TTL` -1), which Redis would keep forever.
    pub fn keys_without_expiry(&self) -> Vec<String> {
        self.keys()
            .into_iter()
            .filter(|key| self.ttl(key) == -1)
            .collect()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
