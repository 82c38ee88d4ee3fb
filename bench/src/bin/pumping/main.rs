//! `pumping`: the SMS-pumping simulator. Starts the release server (emulator, default limits,
//! a trusted proxy header so each simulated visitor has its own IP) once per guard mode and
//! replays the same mix: honest visitors across the UK's ranges who type their code, and a
//! pumping bot spread over many IPs and numbers in one prefix (+44 7400 9…) who never does.
//! Prints, per mode: codes sent to the attacked prefix, honest sign-ins refused, and how many
//! bot sends (and how long) it took to block the prefix.
//!
//! Usage: `pumping [--bot N] [--honest N] [--min-sends N]` from the workspace root after
//! `cargo leptos build --release` (`make pumping` does both).

mod server;
mod visitors;

use server::start_server;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use visitors::{arrivals, visit, Visitor};

/// Requests in flight at once.
const CONCURRENCY: usize = 16;

pub(crate) struct Settings {
    pub(crate) bot: usize,
    pub(crate) honest: usize,
    pub(crate) min_sends: u32,
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
