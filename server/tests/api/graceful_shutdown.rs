//! SIGTERM on the real binary: a request already in flight still gets its answer, new
//! connections are refused, and the process exits 0.

use crate::helpers::free_port;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn sigterm_finishes_in_flight_requests_then_exits_0() {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("LEPTOS_OUTPUT_NAME", "passwordless")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_ENV", "PROD")
        .env("VERIFY_PROVIDER", "emulator")
        .env("SESSION_STORE", "memory")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Every upstream call now takes 1.5 s, so the next sign-in start is in flight for that long.
    let fault = client
        .post(format!("{base}/dev/faults"))
        .json(&serde_json::json!({"kind": "latency", "ms": 1500}))
        .send()
        .await
        .expect("fault switch");
    assert!(fault.status().is_success());
    let in_flight = tokio::spawn({
        let client = client.clone();
        let url = format!("{base}/api/start_login");
        async move {
            client
                .post(url)
                .form(&[("number", "+447400123601")])
                .send()
                .await
                .map(|r| r.status())
        }
    });
    tokio::time::sleep(Duration::from_millis(400)).await;
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(term.success());
    // The signal is handled within moments (polled, so a busy machine does not fail it).
    let refuse_deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let probe = reqwest::Client::new()
            .get(format!("{base}/healthz"))
            .timeout(Duration::from_secs(2))
            .send()
            .await;
        if probe.is_err() {
            break;
        }
        assert!(
            Instant::now() < refuse_deadline,
            "a stopping server accepts no new request"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let answered = in_flight
        .await
        .expect("task")
        .expect("in-flight request answered");
    assert_eq!(answered, reqwest::StatusCode::OK);

    let exit_deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < exit_deadline, "server did not exit");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "exit status {status}");
}
