//! `bench`: starts the release server on the emulator and drives complete no-JavaScript login
//! flows (GET /login, POST number, 303, GET /verify, POST code, 303, GET / with the greeting)
//! from N concurrent visitors, each with its own session cookie, for a set time. Prints one
//! line per run: flows/s, flow latency p50/p99/max, failed flows, server peak RSS.
//!
//! Usage: `bench [--visitors N] [--seconds S] [--store memory|sqlite|redis] [--instances N]
//! [--upstream constant|emulator]` (run from the workspace root after `cargo leptos build
//! --release`; `make bench` does both). Each store runs on a constant-answer Verify v1
//! upstream (what the site itself costs) and on the emulator (the development setup).
//! `redis` runs `--instances` (default 2) site processes on one private `redis-server` (and,
//! on the emulator, one `server emulator` process), and sends each request of a flow to the
//! next instance. Each line is followed by the same line from the previous run
//! (`target/bench-last.txt`).

mod constant_upstream;

mod flow;
mod previous;
mod server_process;
mod stats;

use std::process::ExitCode;
use std::time::Duration;

/// Command-line settings.
struct Settings {
    visitors: usize,
    duration: Duration,
    stores: Vec<String>,
    instances: usize,
    upstreams: Vec<String>,
}

fn parse_args() -> Result<Settings, String> {
    let mut settings = Settings {
        visitors: 32,
        duration: Duration::from_secs(20),
        stores: vec!["memory".into(), "sqlite".into(), "redis".into()],
        instances: 2,
        upstreams: vec!["constant".into(), "emulator".into()],
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
            "--upstream" => settings.upstreams = vec![value],
            "--instances" => {
                settings.instances = value.parse().map_err(|_| "--instances takes a number")?
            }
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(settings)
}

/// The load generator shares the machine with the server: keep its own allocator cost low.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let constant = match constant_upstream::serve().await {
        Ok(base) => base,
        Err(e) => {
            eprintln!("bench: cannot start the constant upstream: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut previous = previous::Runs::load();
    for upstream in &settings.upstreams {
        let base = (upstream == "constant").then_some(constant.as_str());
        for store in &settings.stores {
            let started = server_process::Deployment::start(
                store,
                settings.instances,
                settings.visitors,
                base,
            )
            .await;
            let server = match started {
                Ok(server) => server,
                Err(e) => {
                    eprintln!("bench: cannot start the server: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let report = flow::run(&server.bases, settings.visitors, settings.duration).await;
            let rss = server.peak_rss_kib();
            let idle = server.idle_rss_kib;
            let label = match server.bases.len() {
                1 => store.clone(),
                n => format!("{store}x{n}"),
            };
            let key = format!("upstream={upstream:<8} visitors={}", settings.visitors);
            let line = format!("{key} {}", report.line(&label, rss, idle));
            println!("{line}");
            if let Some(before) = previous.replace(&key, &label, &line) {
                println!("  previous: {before}");
            }
            drop(server);
        }
    }
    previous.save();
    ExitCode::SUCCESS
}
