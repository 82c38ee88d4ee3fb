//! The per-address risk signals: a burst of sends from one address (an IPv6 client: from
//! its network, or from any wider network it is counted in, each with its own multiple of
//! the burst rule), and a send to a country the address never sent to today although it
//! sent elsewhere.

use crate::auth::server::limit_rule::{estimate, window_of};
use crate::auth::server::rate_limit::{IpBucket, Rule};
use crate::auth::server::store::counters::CounterChange;
use std::time::Duration;

/// Why a send is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Risk {
    /// `CAPTCHA_WHEN=always`.
    Always,
    /// A range or the country of the number converts too little and is nearing the
    /// guard's volume for a block.
    RangeNearThreshold,
    /// This address (or a wider IPv6 network it is in) sent `CAPTCHA_IP_BURST` codes
    /// already (times the network's factor).
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

/// The counters of one address and destination country: a burst counter per bucket the
/// address is counted in (narrowest first), and the two country counters of the narrowest.
pub(super) struct AddressWindows {
    bursts: Vec<Windowed>,
    any: Windowed,
    here: Windowed,
}

/// The counters for sends from `buckets` (as [`crate::auth::server::rate_limit::RateLimiter::ip_buckets`]
/// answers them; at least one) to `country` at `now`.
pub(super) fn windows(
    buckets: &[IpBucket],
    country: &str,
    burst: Rule,
    now: u64,
) -> AddressWindows {
    let bursts = buckets
        .iter()
        .map(|b| {
            Windowed::new(
                format!("challenge:ip:{}", b.key),
                burst.times(b.factor),
                now,
            )
        })
        .collect();
    let own = buckets.first().map(|b| b.key.as_str()).unwrap_or_default();
    AddressWindows {
        bursts,
        any: Windowed::new(format!("challenge:ip-any:{own}"), COUNTRY_MEMORY, now),
        here: Windowed::new(
            format!("challenge:ip-country:{own}:{country}"),
            COUNTRY_MEMORY,
            now,
        ),
    }
}

impl AddressWindows {
    /// This attempt counted in every burst counter (one store operation): counted before
    /// it is judged, so parallel attempts from one address or network each see their own
    /// count.
    pub fn attempt(&self) -> Vec<CounterChange> {
        self.bursts.iter().map(change).collect()
    }

    /// The other reads: each burst counter's previous window, then both windows of the two
    /// country counters.
    pub fn reads(&self) -> Vec<(String, u64)> {
        let (any, here) = (&self.any, &self.here);
        let previous = self.bursts.iter().map(|b| (b.key.clone(), b.previous));
        previous
            .chain([
                (any.key.clone(), any.previous),
                (any.key.clone(), any.current),
                (here.key.clone(), here.previous),
                (here.key.clone(), here.current),
            ])
            .collect()
    }

    /// A code sent: one more in the two country counters.
    pub fn sent(&self) -> Vec<CounterChange> {
        vec![change(&self.any), change(&self.here)]
    }

    /// The risk shown by `attempts` (each burst counter's current window, this attempt
    /// included) and the counts read by [`Self::reads`], if any.
    pub fn judge(&self, attempts: &[u32], counts: &[u32]) -> Option<Risk> {
        let read = |i: usize| counts.get(i).copied().unwrap_or(0);
        let bursting = self.bursts.iter().enumerate().any(|(i, burst)| {
            let attempts = attempts.get(i).copied().unwrap_or(0);
            let before = estimate(
                burst.rule,
                read(i),
                attempts.saturating_sub(1),
                burst.elapsed,
            );
            before >= f64::from(burst.rule.max)
        });
        if bursting {
            return Some(Risk::Burst);
        }
        let n = self.bursts.len();
        let (any, here) = (&self.any, &self.here);
        // Any send remembered from the last day counts, however early in it.
        let sent_any = estimate(any.rule, read(n), read(n + 1), any.elapsed) > 0.0;
        let sent_here = estimate(here.rule, read(n + 2), read(n + 3), here.elapsed) > 0.0;
        (sent_any && !sent_here).then_some(Risk::NewCountry)
    }
}

fn change(w: &Windowed) -> CounterChange {
    CounterChange {
        key: w.key.clone(),
        window_start: w.current,
        delta: 1,
        expires_at: w.expires_at,
    }
}
