//! Send and check limits, checked before any SMS is sent or any code is checked upstream.
//! Counters live in a shared [`CounterStore`] (the session store's database), so every server
//! instance sees the same counts. Each rule is a sliding window estimated from two fixed
//! windows (current count plus the previous window's count weighted by how much of it still
//! overlaps), which avoids the double burst a plain fixed window allows at its boundary.

use async_trait::async_trait;
use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
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

/// Every limit the login enforces.
#[derive(Clone, Debug)]
pub struct LimitPolicy {
    /// Code sends per destination number (starts; resends count too).
    pub per_number: Vec<Rule>,
    /// Code sends per client IP.
    pub per_ip: Vec<Rule>,
    /// Code sends per browser session.
    pub per_session: Vec<Rule>,
    /// Code sends per hour for the whole site; hitting it logs an alert.
    pub global_per_hour: u32,
    /// Code checks per client IP (against guessing across many logins).
    pub checks_per_ip: Vec<Rule>,
}

impl Default for LimitPolicy {
    fn default() -> Self {
        let rule = |max, secs| Rule {
            max,
            window: Duration::from_secs(secs),
        };
        Self {
            per_number: vec![rule(3, 600), rule(10, 86_400)],
            per_ip: vec![rule(10, 3600)],
            per_session: vec![rule(5, 3600)],
            global_per_hour: 1000,
            checks_per_ip: vec![rule(30, 300)],
        }
    }
}

/// Shared event counters in fixed windows.
#[async_trait]
pub trait CounterStore: Send + Sync + 'static {
    /// The count of `key` in the window starting at `window_start` (Unix seconds).
    async fn get(&self, key: &str, window_start: u64) -> Result<u32, String>;
    /// Adds one to `key` in that window; the counter may be forgotten after `expires_at`.
    async fn increment(&self, key: &str, window_start: u64, expires_at: u64) -> Result<(), String>;
}

/// Why an event was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitRefusal {
    /// A limit is reached; retry after this many seconds.
    Limited {
        /// Which limit, for logs (`number`, `ip`, `session`, `global`, `checks`).
        scope: &'static str,
        /// Seconds until the estimate drops below the limit (at most one window).
        retry_after_secs: u64,
    },
    /// The counter store failed; refusing is the safe answer when sends cost money.
    StoreUnavailable,
}

/// Applies a [`LimitPolicy`] with counters in a [`CounterStore`].
#[derive(Clone)]
pub struct RateLimiter {
    store: Arc<dyn CounterStore>,
    policy: LimitPolicy,
}

impl RateLimiter {
    /// A limiter over `store`.
    pub fn new(store: Arc<dyn CounterStore>, policy: LimitPolicy) -> Self {
        Self { store, policy }
    }

    /// The policy in force.
    pub fn policy(&self) -> &LimitPolicy {
        &self.policy
    }

    /// Allows and counts one code send to `number_e164` from `ip`, or refuses it without
    /// counting. The per-session rule is applied by the caller (it lives in the session).
    pub async fn allow_send(
        &self,
        number_e164: &str,
        ip: Option<IpAddr>,
        now: u64,
    ) -> Result<(), LimitRefusal> {
        let global = [Rule {
            max: self.policy.global_per_hour,
            window: Duration::from_secs(3600),
        }];
        let mut checks: Vec<(&'static str, String, &[Rule])> = vec![
            (
                "number",
                format!("send:number:{number_e164}"),
                &self.policy.per_number,
            ),
            ("global", "send:global".to_owned(), &global),
        ];
        if let Some(ip) = ip {
            checks.push(("ip", format!("send:ip:{ip}"), &self.policy.per_ip));
        }
        self.allow(&checks, now).await
    }

    /// Allows and counts one code check from `ip`.
    pub async fn allow_check(&self, ip: Option<IpAddr>, now: u64) -> Result<(), LimitRefusal> {
        let Some(ip) = ip else { return Ok(()) };
        self.allow(
            &[(
                "checks",
                format!("check:ip:{ip}"),
                &self.policy.checks_per_ip,
            )],
            now,
        )
        .await
    }

    async fn allow(
        &self,
        checks: &[(&'static str, String, &[Rule])],
        now: u64,
    ) -> Result<(), LimitRefusal> {
        for (scope, key, rules) in checks {
            for rule in rules.iter() {
                if let Some(retry_after_secs) = self.blocked_for(key, *rule, now).await? {
                    return Err(LimitRefusal::Limited {
                        scope,
                        retry_after_secs,
                    });
                }
            }
        }
        for (_, key, rules) in checks {
            for rule in rules.iter() {
                let window = rule.window.as_secs();
                let start = now - now % window;
                let rule_key = format!("{key}:{window}");
                self.store
                    .increment(&rule_key, start, start + 2 * window)
                    .await
                    .map_err(store_failed)?;
            }
        }
        Ok(())
    }

    /// `Some(seconds to wait)` when one more event would exceed `rule`.
    async fn blocked_for(
        &self,
        key: &str,
        rule: Rule,
        now: u64,
    ) -> Result<Option<u64>, LimitRefusal> {
        let window = rule.window.as_secs();
        let start = now - now % window;
        let rule_key = format!("{key}:{window}");
        let current = self
            .store
            .get(&rule_key, start)
            .await
            .map_err(store_failed)?;
        let previous = match start.checked_sub(window) {
            Some(previous_start) => self
                .store
                .get(&rule_key, previous_start)
                .await
                .map_err(store_failed)?,
            None => 0,
        };
        let elapsed = now - start;
        let overlap = (window - elapsed) as f64 / window as f64;
        let estimate = previous as f64 * overlap + current as f64;
        if estimate + 1.0 <= rule.max as f64 {
            return Ok(None);
        }
        // When the current window alone is full, only its end helps; otherwise the previous
        // window's weight decays linearly until the estimate has room for one more.
        let retry = if current >= rule.max || previous == 0 {
            window - elapsed
        } else {
            let needed = estimate + 1.0 - rule.max as f64;
            let per_second = previous as f64 / window as f64;
            (needed / per_second).ceil() as u64
        };
        Ok(Some(retry.clamp(1, window)))
    }
}

fn store_failed(error: String) -> LimitRefusal {
    tracing::error!(%error, "rate-limit counter store failed");
    metrics::counter!(super::metrics_names::STORE_ERRORS).increment(1);
    LimitRefusal::StoreUnavailable
}

/// Counters in this process only: for `SESSION_STORE=memory` and tests.
#[derive(Default)]
pub struct MemoryCounters(Mutex<HashMap<(String, u64), (u32, u64)>>);

#[async_trait]
impl CounterStore for MemoryCounters {
    async fn get(&self, key: &str, window_start: u64) -> Result<u32, String> {
        let map = self
            .0
            .lock()
            .map_err(|_| "counter lock poisoned".to_owned())?;
        Ok(map
            .get(&(key.to_owned(), window_start))
            .map_or(0, |(count, _)| *count))
    }

    async fn increment(&self, key: &str, window_start: u64, expires_at: u64) -> Result<(), String> {
        let mut map = self
            .0
            .lock()
            .map_err(|_| "counter lock poisoned".to_owned())?;
        // Forget windows that can no longer matter, so memory stays bounded.
        map.retain(|_, (_, expiry)| *expiry > window_start);
        map.entry((key.to_owned(), window_start))
            .or_insert((0, expires_at))
            .0 += 1;
        Ok(())
    }
}

#[cfg(test)]
#[path = "rate_limit_tests.rs"]
mod tests;
