//! The release server as child processes on free ports, with limits raised by settings: one
//! instance on memory or SQLite, or several instances sharing a private `redis-server` and a
//! standalone emulator process (`server emulator`).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The code every bench number gets (emulator test numbers), so flows need no outbox read.
pub const CODE: &str = "246810";

/// The number visitor `i` signs in with.
pub fn number(i: usize) -> String {
    format!("+4474001{i:05}")
}

/// What runs for one bench line; every process is stopped on drop.
pub struct Deployment {
    /// `http://127.0.0.1:PORT` of each site instance; visitors spread requests over them.
    pub bases: Vec<String>,
    /// Resident memory (VmRSS) of the site instances once they answer, before any load.
    pub idle_rss_kib: Option<u64>,
    sites: Vec<Child>,
    helpers: Vec<Child>,
    data_dir: Option<std::path::PathBuf>,
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

fn spawn(command: &mut Command, what: &str) -> Result<Child, String> {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("{what}: {e}"))
}

async fn wait_for(url: &str) -> Result<(), String> {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if client.get(url).send().await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("{url} did not answer within 20 s"))
}

fn wait_for_port(port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("nothing listens on port {port} after 10 s"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

impl Deployment {
    /// `store` is `memory`, `sqlite` (one instance each) or `redis` (`instances` instances on
    /// one Redis). The provider is the emulator (in-process; for Redis one `server emulator`
    /// process shared by the instances) or, with `constant_upstream` (a base URL), Vonage v1
    /// at that constant-answer upstream. Waits until every instance answers.
    pub async fn start(
        store: &str,
        instances: usize,
        visitors: usize,
        constant_upstream: Option<&str>,
    ) -> Result<Self, String> {
        let test_numbers: Vec<String> = (0..visitors)
            .map(|i| format!("{}={CODE}", number(i)))
            .collect();
        let test_numbers = test_numbers.join(",");
        let mut deployment = Self {
            bases: Vec::new(),
            idle_rss_kib: None,
            sites: Vec::new(),
            helpers: Vec::new(),
            data_dir: None,
        };
        let mut provider: Vec<(&str, String)> = vec![("VERIFY_PROVIDER", "emulator".into())];
        let session_store = match store {
            "memory" => "memory".to_owned(),
            "sqlite" => {
                let dir = std::env::temp_dir().join(format!("passwordless-bench-{}", free_port()?));
                let url = format!("sqlite://{}/sessions.db", dir.display());
                deployment.data_dir = Some(dir);
                url
            }
            "redis" => {
                let port = free_port()?;
                let redis = spawn(
                    Command::new("redis-server")
                        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                        .args(["--save", "", "--appendonly", "no"]),
                    "redis-server (install Debian's redis-server; `make bench` does as root)",
                )?;
                deployment.helpers.push(redis);
                wait_for_port(port)?;
                if constant_upstream.is_none() {
                    let emulator_port = free_port()?;
                    let emulator = spawn(
                        Command::new("target/release/server")
                            .args(["emulator", "--addr", &format!("127.0.0.1:{emulator_port}")])
                            .env("EMULATOR_TEST_NUMBERS", &test_numbers)
                            .env("RUST_LOG", "warn"),
                        "target/release/server emulator",
                    )?;
                    deployment.helpers.push(emulator);
                    wait_for_port(emulator_port)?;
                    provider = vec![
                        ("VERIFY_PROVIDER", "vonage".into()),
                        // The standalone emulator's default credentials.
                        ("VONAGE_API_KEY", "emulator".into()),
                        ("VONAGE_API_SECRET", "emulator".into()),
                        (
                            "VONAGE_BASE_URL",
                            format!("http://127.0.0.1:{emulator_port}"),
                        ),
                    ];
                }
                format!("redis://127.0.0.1:{port}")
            }
            other => return Err(format!("unknown store `{other}` (memory, sqlite, redis)")),
        };
        if let Some(base) = constant_upstream {
            provider = vec![
                ("VERIFY_PROVIDER", "vonage-legacy".into()),
                ("VONAGE_API_KEY", "bench".into()),
                ("VONAGE_API_SECRET", "bench".into()),
                ("VONAGE_BASE_URL", base.to_owned()),
            ];
        }
        // Accounts: the SQLite file beside the sessions for the default store (the whole
        // default deployment is measured); in memory otherwise, so the memory and Redis
        // figures stay comparable with earlier runs (several instances would share one
        // PostgreSQL, which this bench does not start).
        let account_store = match &deployment.data_dir {
            Some(dir) => format!("sqlite://{}/accounts.db", dir.display()),
            None => "memory".to_owned(),
        };
        let instances = if store == "redis" {
            instances.max(1)
        } else {
            1
        };
        for _ in 0..instances {
            let port = free_port()?;
            let mut command = Command::new("target/release/server");
            command
                .env("LEPTOS_OUTPUT_NAME", "passwordless")
                .env("LEPTOS_SITE_ROOT", "target/site")
                .env("LEPTOS_SITE_PKG_DIR", "pkg")
                .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
                .env("LEPTOS_RELOAD_PORT", "3001")
                .env("LEPTOS_ENV", "PROD")
                .env("SESSION_STORE", &session_store)
                .env("ACCOUNT_STORE", &account_store)
                .env("EMULATOR_TEST_NUMBERS", &test_numbers)
                // The bench is one IP and re-uses its numbers: raise every limit by setting.
                .env("LIMIT_PER_NUMBER", "1000000000/1m")
                .env("LIMIT_PER_IP", "1000000000/1m")
                .env("LIMIT_CHECKS_PER_IP", "1000000000/1m")
                .env("LIMIT_GLOBAL_PER_HOUR", "1000000000")
                .env("RUST_LOG", "warn");
            for (name, value) in &provider {
                command.env(name, value);
            }
            let child = spawn(
                &mut command,
                "target/release/server (run `cargo leptos build --release` first)",
            )?;
            deployment.sites.push(child);
            deployment.bases.push(format!("http://127.0.0.1:{port}"));
        }
        for base in &deployment.bases {
            wait_for(&format!("{base}/login")).await?;
        }
        deployment.idle_rss_kib = deployment
            .sites
            .iter()
            .map(|child| status_kib(child.id(), "VmRSS:"))
            .sum();
        Ok(deployment)
    }

    /// Peak resident memory (VmHWM) summed over the site instances, in KiB, if the OS tells.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        self.sites
            .iter()
            .map(|child| status_kib(child.id(), "VmHWM:"))
            .sum()
    }
}

/// A `/proc/PID/status` field in KiB (`VmHWM:` peak, `VmRSS:` now), if the OS tells.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

impl Drop for Deployment {
    fn drop(&mut self) {
        for child in self.sites.iter_mut().chain(self.helpers.iter_mut()) {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(dir) = &self.data_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
