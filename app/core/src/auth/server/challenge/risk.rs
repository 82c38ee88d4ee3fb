//! The per-address risk signals: a burst of sends from one address (or IPv6 network), and
//! a send to a country the address never sent to today although it sent elsewhere.

use crate::auth::server::counter_store::CounterChange;
use crate::auth::server::limit_rule::{estimate, window_of};
use crate::auth::server::rate_limit::Rule;
use std::time::Duration;

/// Why a send is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Risk {
    /// `CAPTCHA_WHEN=always`.
    Always,
    /// A range or the country of the number converts too little and is nearing the
    /// guard's volume for a block.
    RangeNearThreshold,
    /// This address sent `CAPTCHA_IP_BURST` codes already.
    Burst,
    /// This address sent codes today, never to this country.
    NewCountry,
}

impl Risk {
    /// The metric and log label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Always => "always",
            Self::RangeNearThreshold => "range",
            Self::Burst => "burst",
            Self::NewCountry => "new_country",
        }
    }
}

/// The day over which an address's countries are remembered.
const COUNTRY_MEMORY: Rule = Rule {
    max: 1,
    window: Duration::from_secs(86_400),
};

/// One counter in its two fixed windows.
struct Windowed {
    key: String,
    current: u64,
    previous: u64,
    expires_at: u64,
    elapsed: u64,
    rule: Rule,
}

impl Windowed {
    fn new(base: String, rule: Rule, now: u64) -> Self {
        let (key, current, expires_at) = window_of(&base, rule, now);
        Self {
            key,
            current,
            previous: current.saturating_sub(rule.window.as_secs()),
            expires_at,
            elapsed: now - current,
            rule,
        }
    }
}

/// The three counters of one address and destination country.
pub(super) struct AddressWindows([Windowed; 3]);

/// The counters for sends from `bucket` to `country` at `now`.
pub(super) fn windows(bucket: &str, country: &str, burst: Rule, now: u64) -> AddressWindows {
    AddressWindows([
        Windowed::new(format!("challenge:ip:{bucket}"), burst, now),
        Windowed::new(format!("challenge:ip-any:{bucket}"), COUNTRY_MEMORY, now),
        Windowed::new(
            format!("challenge:ip-country:{bucket}:{country}"),
            COUNTRY_MEMORY,
            now,
        ),
    ])
}

impl AddressWindows {
    /// This attempt counted in the burst counter: counted before it is judged, so parallel
    /// attempts from one address each see their own count.
    pub fn attempt(&self) -> Vec<CounterChange> {
        vec![self.change(0)]
    }

    /// The other five reads: the burst counter's previous window, and both windows of the
    /// two country counters.
    pub fn reads(&self) -> Vec<(String, u64)> {
        let [burst, any, here] = &self.0;
        vec![
            (burst.key.clone(), burst.previous),
            (any.key.clone(), any.previous),
            (any.key.clone(), any.current),
            (here.key.clone(), here.previous),
            (here.key.clone(), here.current),
        ]
    }

    /// A code sent: one more in the two country counters.
    pub fn sent(&self) -> Vec<CounterChange> {
        vec![self.change(1), self.change(2)]
    }

    fn change(&self, index: usize) -> CounterChange {
        let w = &self.0[index];
        CounterChange {
            key: w.key.clone(),
            window_start: w.current,
            delta: 1,
            expires_at: w.expires_at,
        }
    }

    /// The risk shown by `attempts` (the burst counter's current window, this attempt
    /// included) and the counts read by [`Self::reads`], if any.
    pub fn judge(&self, attempts: u32, counts: &[u32]) -> Option<Risk> {
        let read = |i: usize| counts.get(i).copied().unwrap_or(0);
        let [burst, any, here] = &self.0;
        let before = estimate(
            burst.rule,
            read(0),
            attempts.saturating_sub(1),
            burst.elapsed,
        );
        if before >= f64::from(burst.rule.max) {
            return Some(Risk::Burst);
        }
        // Any send remembered from the last day counts, however early in it.
        let sent_any = estimate(any.rule, read(1), read(2), any.elapsed) > 0.0;
        let sent_here = estimate(here.rule, read(3), read(4), here.elapsed) > 0.0;
        (sent_any && !sent_here).then_some(Risk::NewCountry)
    }
}
