//! The standalone Verify emulator (`server emulator`) as a child process; killed on drop.

use crate::helpers::newest_code;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The standalone emulator process (`server emulator --addr 127.0.0.1:0`).
pub struct EmulatorProcess {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    child: Child,
}

impl EmulatorProcess {
    /// Starts the binary Cargo built for these tests and reads the address it bound.
    pub fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["emulator", "--addr", "127.0.0.1:0"])
            // The credentials `spawn_against` gives the app.
            .env("EMULATOR_API_KEY", "key")
            .env("EMULATOR_API_SECRET", "secret")
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server emulator starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut reader = BufReader::new(stdout);
        let mut first_line = String::new();
        reader
            .read_line(&mut first_line)
            .expect("emulator prints its address");
        // Keep draining, so later output never meets a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        let base = first_line
            .trim()
            .strip_prefix("emulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first_line:?}"))
            .to_owned();
        Self { base, child }
    }

    /// The newest code the emulator sent to `e164`, from its own `/dev/messages`.
    pub async fn latest_code(&self, e164: &str) -> String {
        let messages: Vec<serde_json::Value> = reqwest::get(format!("{}/dev/messages", self.base))
            .await
            .expect("outbox reachable")
            .json()
            .await
            .expect("outbox is JSON");
        newest_code(&messages, e164)
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
