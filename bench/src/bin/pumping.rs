//! `pumping`: the SMS-pumping simulator. Starts the release server (emulator, default limits,
//! a trusted proxy header so each simulated visitor has its own IP) once per guard mode and
//! replays the same mix: honest visitors across the UK's ranges who type their code, and a
//! pumping bot spread over many IPs and numbers in one prefix (+44 7400 9…) who never does.
//! Prints, per mode: codes sent to the attacked prefix, honest sign-ins refused, and how many
//! bot sends (and how long) it took to block the prefix.
//!
//! Usage: `pumping [--bot N] [--honest N] [--min-sends N]` from the workspace root after
//! `cargo leptos build --release` (`make pumping` does both).

use reqwest::header::ACCEPT;
use reqwest::StatusCode;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The code every honest number gets (emulator test numbers).
const CODE: &str = "135790";
/// Requests in flight at once.
const CONCURRENCY: usize = 16;

struct Settings {
    bot: usize,
    honest: usize,
    min_sends: u32,
}

fn parse_args() -> Result<Settings, String> {
    let mut settings = Settings {
        bot: 600,
        honest: 200,
        min_sends: 20,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value: usize = args
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{flag} takes a number"))?;
        match flag.as_str() {
            "--bot" => settings.bot = value,
            "--honest" => settings.honest = value,
            "--min-sends" => settings.min_sends = u32::try_from(value).unwrap_or(u32::MAX),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(settings)
}

/// One simulated visitor.
#[derive(Clone, Copy)]
enum Visitor {
    Honest(usize),
    Bot(usize),
}

/// The honest visitor `i`'s number: spread over several UK mobile ranges.
fn honest_number(i: usize) -> String {
    let ranges = ["7911", "7700", "7400", "7500", "7830"];
    format!("+44{}1{:05}", ranges[i % ranges.len()], i)
}

/// The bot's `i`-th number, all in the attacked prefix +44 7400 9.
fn bot_number(i: usize) -> String {
    format!("+4474009{i:05}")
}

/// The order visitors arrive in: the bot's requests and honest visitors interleaved evenly.
fn arrivals(settings: &Settings) -> Vec<Visitor> {
    let total = settings.bot + settings.honest;
    let (mut bot, mut honest) = (0, 0);
    (0..total)
        .map(|_| {
            // Whichever is behind its share goes next.
            if honest * total < settings.honest * (bot + honest + 1) && honest < settings.honest {
                honest += 1;
                Visitor::Honest(honest - 1)
            } else {
                bot += 1;
                Visitor::Bot(bot - 1)
            }
        })
        .collect()
}

struct Server {
    child: Child,
    base: String,
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

async fn start_server(mode: &str, settings: &Settings) -> Result<Server, String> {
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

/// What one mode's run saw.
#[derive(Default)]
struct Outcome {
    bot_sent: usize,
    honest_signed_in: usize,
    honest_refused: usize,
    /// Why honest visitors were refused: the status of the request that failed.
    honest_refusals: std::collections::BTreeMap<String, usize>,
    /// Bot sends attempted, and the time since the run began, when the guard first refused
    /// one (403; the site's other limits answer 429).
    blocked_at: Option<(usize, Duration)>,
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    function: &str,
    ip: &str,
    field: (&str, &str),
) -> Result<StatusCode, reqwest::Error> {
    client
        .post(format!("{base}/api/{function}"))
        .header(ACCEPT, "application/json")
        .header("x-forwarded-for", ip)
        .form(&[field])
        .send()
        .await
        .map(|r| r.status())
}

/// What one visitor got: (code sent, signed in, the failing step and status if any).
type Visit = (bool, bool, Option<String>);

async fn visit(base: &str, visitor: Visitor) -> Result<Visit, String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .map_err(|e| e.to_string())?;
    let text = |e: reqwest::Error| e.to_string();
    match visitor {
        Visitor::Honest(i) => {
            let ip = format!("203.0.{}.{}", i / 250, i % 250 + 1);
            let number = honest_number(i);
            let start = post(&client, base, "start_login", &ip, ("number", &number))
                .await
                .map_err(text)?;
            if start != StatusCode::OK {
                return Ok((false, false, Some(format!("start {}", start.as_u16()))));
            }
            let finish = post(&client, base, "finish_login", &ip, ("code", CODE))
                .await
                .map_err(text)?;
            let failed = (finish != StatusCode::OK).then(|| format!("finish {}", finish.as_u16()));
            Ok((true, finish == StatusCode::OK, failed))
        }
        Visitor::Bot(i) => {
            let ip = format!("198.{}.{}.{}", 18 + i / 62_500, i / 250 % 250, i % 250 + 1);
            let start = post(
                &client,
                base,
                "start_login",
                &ip,
                ("number", &bot_number(i)),
            )
            .await
            .map_err(text)?;
            let refused = (start != StatusCode::OK).then(|| format!("start {}", start.as_u16()));
            Ok((start == StatusCode::OK, false, refused))
        }
    }
}

async fn run_mode(mode: &str, settings: &Settings) -> Result<Outcome, String> {
    let server = start_server(mode, settings).await?;
    let queue = Arc::new(arrivals(settings));
    let next = Arc::new(AtomicUsize::new(0));
    let bot_tried = Arc::new(AtomicUsize::new(0));
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let began = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (queue, next, bot_tried, outcome) = (
            queue.clone(),
            next.clone(),
            bot_tried.clone(),
            outcome.clone(),
        );
        let base = server.base.clone();
        workers.spawn(async move {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(&visitor) = queue.get(index) else {
                    return Ok::<(), String>(());
                };
                let tried = match visitor {
                    Visitor::Bot(_) => bot_tried.fetch_add(1, Ordering::Relaxed) + 1,
                    Visitor::Honest(_) => 0,
                };
                let (sent, signed_in, failed) = visit(&base, visitor).await?;
                let mut seen = outcome.lock().map_err(|_| "poisoned".to_owned())?;
                match visitor {
                    Visitor::Bot(_) if sent => seen.bot_sent += 1,
                    Visitor::Bot(_) => {
                        let by_guard = failed.as_deref() == Some("start 403");
                        if by_guard && seen.blocked_at.is_none() {
                            seen.blocked_at = Some((tried, began.elapsed()));
                        }
                    }
                    Visitor::Honest(_) if signed_in => seen.honest_signed_in += 1,
                    Visitor::Honest(_) => {
                        seen.honest_refused += 1;
                        let why = failed.unwrap_or_default();
                        *seen.honest_refusals.entry(why).or_default() += 1;
                    }
                }
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done.map_err(|e| e.to_string())??;
    }
    drop(server);
    let outcome = std::mem::take(&mut *outcome.lock().map_err(|_| "poisoned".to_owned())?);
    Ok(outcome)
}

/// ` (start 429 ×3, finish 401 ×1)`, or nothing when none was refused.
fn refusals(why: &std::collections::BTreeMap<String, usize>) -> String {
    if why.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = why.iter().map(|(w, n)| format!("{w} ×{n}")).collect();
    format!(" ({})", parts.join(", "))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let settings = match parse_args() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("pumping: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    println!(
        "pumping: {} bot starts to +44 7400 9… from {} IPs, {} honest visitors elsewhere in GB, GUARD_MIN_SENDS={}, {CONCURRENCY} in flight",
        settings.bot, settings.bot, settings.honest, settings.min_sends
    );
    let mut off_sent = None;
    for mode in ["off", "audit", "enforce"] {
        let outcome = match run_mode(mode, &settings).await {
            Ok(o) => o,
            Err(e) => {
                eprintln!("pumping: {mode}: {e}");
                return std::process::ExitCode::FAILURE;
            }
        };
        let off = *off_sent.get_or_insert(outcome.bot_sent);
        let fewer = if off == 0 {
            "–".to_owned()
        } else {
            format!(
                "{:.1} % fewer than off",
                100.0 * (off - outcome.bot_sent.min(off)) as f64 / off as f64
            )
        };
        let blocked = match outcome.blocked_at {
            Some((tried, after)) => {
                format!("blocked after {tried} bot sends ({} ms)", after.as_millis())
            }
            None => "the guard refused no send".to_owned(),
        };
        println!(
            "mode={mode:<7} codes to the attacked prefix: {:>4} ({fewer}); honest sign-ins: {} ok, {} refused{}; {blocked}",
            outcome.bot_sent,
            outcome.honest_signed_in,
            outcome.honest_refused,
            refusals(&outcome.honest_refusals)
        );
    }
    std::process::ExitCode::SUCCESS
}
