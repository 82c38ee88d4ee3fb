//! `bench`: starts the release server on the emulator and drives complete no-JavaScript login
//! flows (GET /login, POST number, 303, GET /verify, POST code, 303, GET / with the greeting)
//! from N concurrent visitors, each with its own session cookie, for a set time. Prints one
//! line per run: flows/s, flow latency p50/p99/max, failed flows, server peak RSS.
//!
//! Usage: `bench [--visitors N] [--seconds S] [--store memory|sqlite]` (run from the workspace
//! root after `cargo leptos build --release`; `make bench` does both).

mod flow;
mod server_process;
mod stats;

use std::process::ExitCode;
use std::time::Duration;

/// Command-line settings.
struct Settings {
    visitors: usize,
    duration: Duration,
    stores: Vec<String>,
}

fn parse_args() -> Result<Settings, String> {
    let mut settings = Settings {
        visitors: 64,
        duration: Duration::from_secs(20),
        stores: vec!["memory".into(), "sqlite".into()],
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--visitors" => {
                settings.visitors = value.parse().map_err(|_| "--visitors takes a number")?
            }
            "--seconds" => {
                settings.duration =
                    Duration::from_secs(value.parse().map_err(|_| "--seconds takes a number")?)
            }
            "--store" => settings.stores = vec![value],
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(settings)
}

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match parse_args() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "bench: {} visitors, {} s per run, machine: {} cores",
        settings.visitors,
        settings.duration.as_secs(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    for store in &settings.stores {
        let server = match server_process::ServerProcess::start(store, settings.visitors).await {
            Ok(server) => server,
            Err(e) => {
                eprintln!("bench: cannot start the server: {e}");
                return ExitCode::FAILURE;
            }
        };
        let report = flow::run(&server.base_url, settings.visitors, settings.duration).await;
        let rss = server.peak_rss_kib();
        println!("{}", report.line(store, rss));
        drop(server);
    }
    ExitCode::SUCCESS
}
