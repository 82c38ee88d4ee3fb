//! One limit rule, `COUNT/WINDOW`, as written in the `LIMIT_*` settings, and the sliding-window
//! arithmetic over its two fixed windows.

use std::fmt;
use std::time::Duration;

/// At most `max` events per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Events allowed per window.
    pub max: u32,
    /// The window length.
    pub window: Duration,
}

impl Rule {
    /// Parses `COUNT/WINDOW` such as `3/10m` (units `s`, `m`, `h`, `d`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let (count, window) = text
            .trim()
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not COUNT/WINDOW such as 3/10m"))?;
        let max: u32 = count
            .trim()
            .parse()
            .map_err(|_| format!("`{count}` is not a whole number"))?;
        let window = window.trim();
        let split = window
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(window.len());
        let (amount, unit) = window.split_at(split);
        let amount: u64 = if amount.is_empty() {
            1
        } else {
            amount
                .parse()
                .map_err(|_| format!("`{window}` is not a window"))?
        };
        let seconds = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return Err(format!("`{window}` needs a unit: s, m, h or d")),
        };
        if max == 0 || amount == 0 {
            return Err(format!(
                "`{text}` must allow at least 1 event in a non-empty window"
            ));
        }
        Ok(Self {
            max,
            window: Duration::from_secs(amount * seconds),
        })
    }

    /// This rule with `factor` times its events in the same window (a wider network's
    /// budget, see `LimitPolicy::ipv6_wider`).
    pub fn times(self, factor: u32) -> Self {
        Self {
            max: self.max.saturating_mul(factor.max(1)),
            window: self.window,
        }
    }

    /// Parses a comma-separated list of rules.
    pub fn parse_list(text: &str) -> Result<Vec<Self>, String> {
        text.split(',')
            .filter(|p| !p.trim().is_empty())
            .map(Self::parse)
            .collect()
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}s", self.max, self.window.as_secs())
    }
}

/// The counter key of `rule` for `key`, its window's start and when it may be forgotten.
pub(super) fn window_of(key: &str, rule: Rule, now: u64) -> (String, u64, u64) {
    let window = rule.window.as_secs();
    let start = now - now % window;
    (format!("{key}:{window}"), start, start + 2 * window)
}

/// The sliding-window estimate of events in the last window.
pub(super) fn estimate(rule: Rule, previous: u32, current: u32, elapsed: u64) -> f64 {
    let window = rule.window.as_secs();
    let overlap = (window - elapsed) as f64 / window as f64;
    f64::from(previous) * overlap + f64::from(current)
}

/// Seconds until the estimate has room for one more event, given `current` events counted.
pub(super) fn wait_secs(rule: Rule, previous: u32, current: u32, elapsed: u64) -> u64 {
    let window = rule.window.as_secs();
    // When the current window alone is full, only its end helps; otherwise the previous
    // window's weight decays linearly until the estimate has room for one more.
    let retry = if current >= rule.max || previous == 0 {
        window - elapsed
    } else {
        let needed = estimate(rule, previous, current, elapsed) + 1.0 - f64::from(rule.max);
        let per_second = f64::from(previous) / window as f64;
        (needed / per_second).ceil() as u64
    };
    retry.clamp(1, window)
}
