//! The release server as a child process, on a free port, with limits raised by settings.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The code every bench number gets (emulator test numbers), so flows need no outbox read.
pub const CODE: &str = "246810";

/// The number visitor `i` signs in with.
pub fn number(i: usize) -> String {
    format!("+4474001{i:05}")
}

/// A running server, stopped on drop.
pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    db_dir: Option<std::path::PathBuf>,
}

impl ServerProcess {
    /// Starts `target/release/server` with `store` (`memory` or `sqlite`) and waits until it
    /// answers.
    pub async fn start(store: &str, visitors: usize) -> Result<Self, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let db_dir = (store == "sqlite")
            .then(|| std::env::temp_dir().join(format!("passwordless-bench-{port}")));
        let session_store = match &db_dir {
            Some(dir) => format!("sqlite://{}/sessions.db", dir.display()),
            None => "memory".to_owned(),
        };
        let test_numbers: Vec<String> = (0..visitors)
            .map(|i| format!("{}={CODE}", number(i)))
            .collect();
        let child = Command::new("target/release/server")
            .env("LEPTOS_OUTPUT_NAME", "passwordless")
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("LEPTOS_SITE_PKG_DIR", "pkg")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_RELOAD_PORT", "3001")
            .env("LEPTOS_ENV", "PROD")
            .env("VERIFY_PROVIDER", "emulator")
            .env("SESSION_STORE", session_store)
            .env("EMULATOR_TEST_NUMBERS", test_numbers.join(","))
            // The bench is one IP and re-uses its numbers: raise every limit by setting.
            .env("LIMIT_PER_NUMBER", "1000000000/1m")
            .env("LIMIT_PER_IP", "1000000000/1m")
            .env("LIMIT_CHECKS_PER_IP", "1000000000/1m")
            .env("LIMIT_GLOBAL_PER_HOUR", "1000000000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                format!("target/release/server: {e} (run `cargo leptos build --release` first)")
            })?;
        let server = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            db_dir,
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if client
                .get(format!("{}/login", server.base_url))
                .send()
                .await
                .is_ok()
            {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("the server did not answer within 20 s".into())
    }

    /// Peak resident memory of the server (VmHWM), in KiB, if the OS tells.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(dir) = &self.db_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
