//! `pumping`: the SMS-pumping simulator. Starts the release server (emulator, default limits,
//! a trusted proxy header so each simulated visitor has its own IP) once per bot and guard
//! mode and replays the same mix: honest visitors across the UK's ranges who type their code,
//! and a pumping bot spread over many IPs and numbers who never does. Two bots: one that
//! pumps one prefix (+44 7400 9…), and one that rotates through `--ranges` prefixes of
//! +44 740 (+44 74020…, +44 74021…), moving on to the next each time the guard refuses it.
//! Prints, per bot and mode: codes sent to the bot, honest sign-ins refused, how many bot
//! sends (and how long) it took the guard to refuse one, and the ranges the bot went through.
//!
//! Usage: `pumping [--bot N] [--honest N] [--min-sends N] [--ranges N] [--only one|rotating]`
//! from the workspace root after `cargo leptos build --release` (`make pumping` does both;
//! the simulator needs only `target/release/server`, as it speaks to the JSON API).

mod server;
mod visitors;

use server::start_server;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use visitors::{arrivals, visit, Bot, Visitor};

/// Requests in flight at once.
const CONCURRENCY: usize = 16;

pub(crate) struct Settings {
    pub(crate) bot: usize,
    pub(crate) honest: usize,
    pub(crate) min_sends: u32,
    /// The bots to run, each against every mode.
    pub(crate) bots: Vec<Bot>,
}

const USAGE: &str =
    "usage: pumping [--bot N] [--honest N] [--min-sends N] [--ranges N] [--only one|rotating]";

fn parse_args() -> Result<Settings, String> {
    let mut settings = Settings {
        bot: 600,
        honest: 200,
        min_sends: 20,
        bots: Vec::new(),
    };
    let (mut ranges, mut only) = (12, None);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.into());
        }
        let value = args.next().ok_or_else(|| format!("{flag} takes a value"))?;
        let number = || -> Result<usize, String> {
            value.parse().map_err(|_| format!("{flag} takes a number"))
        };
        match flag.as_str() {
            "--bot" => settings.bot = number()?,
            "--honest" => settings.honest = number()?,
            "--min-sends" => settings.min_sends = u32::try_from(number()?).unwrap_or(u32::MAX),
            "--ranges" => ranges = number()?,
            "--only" => only = Some(value),
            other => return Err(format!("unknown flag {other}\n{USAGE}")),
        }
    }
    if !(2..=80).contains(&ranges) {
        return Err("--ranges takes 2 to 80".into());
    }
    let rotating = Bot::Rotating { ranges };
    settings.bots = match only.as_deref() {
        None => vec![Bot::OneRange, rotating],
        Some("one") => vec![Bot::OneRange],
        Some("rotating") => vec![rotating],
        Some(other) => return Err(format!("--only takes one or rotating, not {other}")),
    };
    Ok(settings)
}

/// The rotating bot's place: the range it attacks now, moved on by the first refusal there.
#[derive(Default)]
struct Rotation(AtomicUsize);

impl Rotation {
    fn range(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    /// The guard refused a send to `range`: the bot moves to the next (once, however many
    /// of its requests in flight were refused there).
    fn refused(&self, range: usize) {
        let _ = self
            .0
            .compare_exchange(range, range + 1, Ordering::Relaxed, Ordering::Relaxed);
    }
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
    /// Ranges the rotating bot attacked, counting each return to one as a new one.
    ranges_tried: usize,
}
async fn run_mode(mode: &str, bot: Bot, settings: &Settings) -> Result<Outcome, String> {
    let server = start_server(mode, settings).await?;
    let queue = Arc::new(arrivals(settings));
    let next = Arc::new(AtomicUsize::new(0));
    let bot_tried = Arc::new(AtomicUsize::new(0));
    let rotation = Arc::new(Rotation::default());
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let began = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (queue, next, bot_tried, rotation, outcome) = (
            queue.clone(),
            next.clone(),
            bot_tried.clone(),
            rotation.clone(),
            outcome.clone(),
        );
        let base = server.base.clone();
        workers.spawn(async move {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(&visitor) = queue.get(index) else {
                    return Ok::<(), String>(());
                };
                let range = rotation.range();
                let (tried, number) = match visitor {
                    Visitor::Bot(i) => (
                        bot_tried.fetch_add(1, Ordering::Relaxed) + 1,
                        bot.number(range, i),
                    ),
                    Visitor::Honest(_) => (0, String::new()),
                };
                let (sent, signed_in, failed) = visit(&base, visitor, &number).await?;
                let mut seen = outcome.lock().map_err(|_| "poisoned".to_owned())?;
                match visitor {
                    Visitor::Bot(_) if sent => seen.bot_sent += 1,
                    Visitor::Bot(_) => {
                        let by_guard = failed.as_deref() == Some("start 403");
                        if by_guard && seen.blocked_at.is_none() {
                            seen.blocked_at = Some((tried, began.elapsed()));
                        }
                        if by_guard {
                            rotation.refused(range);
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
    let mut outcome = std::mem::take(&mut *outcome.lock().map_err(|_| "poisoned".to_owned())?);
    outcome.ranges_tried = rotation.range() + 1;
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
        Err(e) if e == USAGE => {
            println!("{USAGE}");
            return std::process::ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("pumping: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    println!(
        "pumping: {} bot starts from {} IPs, {} honest visitors elsewhere in GB (one range in +44 740), GUARD_MIN_SENDS={}, {CONCURRENCY} in flight",
        settings.bot, settings.bot, settings.honest, settings.min_sends
    );
    for &bot in &settings.bots {
        println!("bot: {}", bot.describe());
        if let Err(e) = run_bot(bot, &settings).await {
            eprintln!("pumping: {e}");
            return std::process::ExitCode::FAILURE;
        }
    }
    std::process::ExitCode::SUCCESS
}

/// Runs one bot against each mode and prints a line per mode.
async fn run_bot(bot: Bot, settings: &Settings) -> Result<(), String> {
    let mut off_sent = None;
    for mode in ["off", "audit", "enforce"] {
        let outcome = run_mode(mode, bot, settings)
            .await
            .map_err(|e| format!("{mode}: {e}"))?;
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
                format!(
                    "first refused after {tried} bot sends ({} ms)",
                    after.as_millis()
                )
            }
            None => "the guard refused no send".to_owned(),
        };
        let ranges = match bot {
            Bot::OneRange => String::new(),
            Bot::Rotating { ranges } => format!(
                "; the bot moved on {} times ({} of its {ranges} ranges tried)",
                outcome.ranges_tried - 1,
                outcome.ranges_tried.min(ranges)
            ),
        };
        println!(
            "mode={mode:<7} codes to the bot: {:>4} ({fewer}); honest sign-ins: {} ok, {} refused{}; {blocked}{ranges}",
            outcome.bot_sent,
            outcome.honest_signed_in,
            outcome.honest_refused,
            refusals(&outcome.honest_refusals)
        );
    }
    Ok(())
}
