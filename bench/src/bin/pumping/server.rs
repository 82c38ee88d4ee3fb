//! The release server, one per guard mode, on a free loopback port.

use crate::visitors::{honest_number, CODE};
use crate::Settings;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

pub(crate) async fn start_server(mode: &str, settings: &Settings) -> Result<Server, String> {
    let port = free_port()?;
    let numbers: Vec<String> = (0..settings.honest)
        .map(|i| format!("{}={CODE}", honest_number(i)))
        .collect();
    let child = Command::new("target/release/server")
        .env("LEPTOS_OUTPUT_NAME", "passwordless")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_SITE_PKG_DIR", "pkg")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_ENV", "PROD")
        .env("VERIFY_PROVIDER", "emulator")
        .env("SESSION_STORE", "memory")
        .env("ACCOUNT_STORE", "memory")
        .env("EMULATOR_TEST_NUMBERS", numbers.join(","))
        // The simulator is the trusted proxy in front: each visitor has its own address.
        .env("CLIENT_IP_HEADER", "X-Forwarded-For")
        .env("GUARD_MODE", mode)
        .env("GUARD_MIN_SENDS", settings.min_sends.to_string())
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("target/release/server (run `cargo leptos build --release`): {e}"))?;
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while client
        .get(format!("{}/login", server.base))
        .send()
        .await
        .is_err()
    {
        if Instant::now() > deadline {
            return Err("the server did not answer within 20 s".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(server)
}
