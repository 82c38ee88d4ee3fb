//! Load without loss: 64 concurrent visitors run the whole login for 15 s (`LOAD_SECONDS`;
//! `make soak` runs 10 minutes) against the emulator with real random codes read from the
//! outbox; 15 s is thousands of flows, every store path under contention many times over. Every flow is accounted
//! for: signed in, or a clear error; none lost, no 5xx.

use crate::helpers::{shown, spawn_app_with, TestApp};
use std::sync::Arc;
use std::time::{Duration, Instant};

const VISITORS: usize = 64;

#[derive(Default, Debug)]
struct Tally {
    signed_in: usize,
    clear_errors: usize,
    lost: usize,
    server_errors: usize,
}

/// One login; `Err` describes a lost flow (transport failure, 5xx or an unreadable answer).
async fn flow(visitor: &TestApp, number: &str, tally: &mut Tally) {
    let start = visitor.call("start_login", &[("number", number)]).await;
    if start.status.is_server_error() && !start.body.contains("ServiceUnavailable") {
        tally.server_errors += 1;
        return;
    }
    if !start.status.is_success() {
        tally.clear_errors +=
            usize::from(start.body.starts_with('"') || start.body.starts_with('{'));
        tally.lost += usize::from(!(start.body.starts_with('"') || start.body.starts_with('{')));
        return;
    }
    let code = visitor.latest_code(number).await;
    let finish = visitor.call("finish_login", &[("code", &code)]).await;
    if finish.status.is_server_error() {
        tally.server_errors += 1;
    } else if finish.status.is_success()
        && visitor
            .call("login_status", &[])
            .await
            .body
            .contains(&shown(number))
    {
        tally.signed_in += 1;
    } else if finish.status.is_client_error() {
        tally.clear_errors += 1;
    } else {
        tally.lost += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_visitors_lose_nothing() {
    let seconds: u64 = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    let app = Arc::new(
        spawn_app_with(&[
            ("RUST_LOG", "off"),
            ("LIMIT_PER_NUMBER", "1000000/1m"),
            ("LIMIT_PER_IP", "1000000/1m"),
            ("LIMIT_CHECKS_PER_IP", "1000000/1m"),
            ("LIMIT_GLOBAL_PER_HOUR", "100000000"),
        ])
        .await,
    );
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let visitors: Vec<_> = (0..VISITORS)
        .map(|v| {
            let app = app.clone();
            tokio::spawn(async move {
                let mut tally = Tally::default();
                let mut n = 0;
                while Instant::now() < deadline {
                    let number = format!("+4474001{:05}", v * 1000 + n % 1000);
                    flow(&app.other_browser(), &number, &mut tally).await;
                    n += 1;
                }
                tally
            })
        })
        .collect();
    let mut total = Tally::default();
    for visitor in visitors {
        let tally = visitor.await.expect("a visitor panicked (a lost flow)");
        total.signed_in += tally.signed_in;
        total.clear_errors += tally.clear_errors;
        total.lost += tally.lost;
        total.server_errors += tally.server_errors;
    }
    eprintln!("load: {VISITORS} visitors x {seconds} s: {total:?}");
    assert_eq!(total.lost, 0, "{total:?}");
    assert_eq!(total.server_errors, 0, "{total:?}");
    assert!(total.signed_in > VISITORS, "{total:?}");
}
