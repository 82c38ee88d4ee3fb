//! The emulator's rules, independent of HTTP: live requests, codes, wrong-code budget,
//! cancelling (and v2's settling window after it), the outbox and the emulator's own time
//! (the injected [`Clock`] plus an offset). How a request moves on over time is in
//! [`super::timeline`]; it is evaluated lazily, at the start of every operation here.

use super::message::{deliver, new_id};
use super::outbox::{rfc3339, DeliveryCause, Outbox, OutboxMessage};
use super::timeline::{Api, Channel, Pending, Plan};
use super::EmulatorConfig;
use app_clock::Clock;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// Live requests (plus numbers still settling after a cancel) kept at most; beyond that
/// starts are throttled so a runaway client cannot grow the emulator's memory without bound.
pub(crate) const MAX_LIVE_REQUESTS: usize = 10_000;

/// Verify v1 refuses a cancel this soon after the start (status "19").
pub(crate) const LEGACY_CANCEL_GRACE: Duration = Duration::from_secs(30);

/// Longest `code_ttl` / `cancel_settle` honoured (longer values are cut to it), so time
/// arithmetic on requests can never overflow.
pub(crate) const MAX_CONFIGURED_WAIT: Duration = Duration::from_secs(365 * 24 * 3600);

/// Largest offset the emulator's clock can be moved forward in total (about 100 years).
pub(crate) const MAX_CLOCK_OFFSET: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// A validated start request.
#[derive(Clone, Debug)]
pub(crate) struct NewRequest<'a> {
    /// E.164 digits without `+`.
    pub to: &'a str,
    pub brand: &'a str,
    pub code_length: usize,
    pub plan: Plan,
    pub api: Api,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StartOutcome {
    Started {
        request_id: String,
    },
    /// The number has a live request, or one cancelled less than `cancel_settle` ago; its id.
    Concurrent {
        request_id: String,
    },
    /// [`MAX_LIVE_REQUESTS`] reached.
    Busy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CheckOutcome {
    /// Right code; the request is gone.
    Verified,
    /// Wrong (or expired v1) code; the request lives on.
    WrongCode,
    /// Wrong code that used up the budget; the request is gone.
    TooManyAttempts,
    /// Unknown, expired, verified, cancelled or terminated.
    NotFound,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NextOutcome {
    /// Made the next event now, on this channel.
    Sent(Channel),
    /// The request is on the last event of its plan; nothing changed.
    NothingLeft,
    /// Unknown, expired, verified, cancelled or terminated.
    NotFound,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CancelOutcome {
    /// The request is gone (v2: its number settles for `cancel_settle`, v1: free now).
    Cancelled,
    /// v1 only: less than [`LEGACY_CANCEL_GRACE`] since the start; the request lives on.
    TooSoon,
    /// v1 only: the second event was already made; the request lives on.
    TooLate,
    /// Unknown, expired, verified, cancelled or terminated.
    NotFound,
}

/// A number whose v2 request was cancelled moments ago.
struct Settling {
    request_id: String,
    until: SystemTime,
}

#[derive(Default)]
struct Inner {
    by_id: HashMap<String, Pending>,
    /// Number (E.164 with `+`) → id of its live request.
    by_number: HashMap<String, String>,
    /// Number → the v2 request cancelled on it, until its settling window closes.
    settling: HashMap<String, Settling>,
    /// Nothing changes by itself before this (a lower bound), so most calls skip the scan.
    next_wake: Option<SystemTime>,
    /// Added to the injected clock (`/dev/clock`, [`super::Emulator::advance`]).
    offset: Duration,
    outbox: Outbox,
}

impl Inner {
    /// Brings every request up to `now`: makes due events (stamped with their due time, in
    /// time order), drops ended requests and closed settling windows.
    fn catch_up(&mut self, now: SystemTime, webotp_host: Option<&str>) {
        if self.next_wake.is_none_or(|wake| wake > now) {
            return;
        }
        let mut made = Vec::new();
        for (request_id, pending) in &mut self.by_id {
            made.extend(pending.catch_up(request_id, now, webotp_host));
        }
        made.sort_by_key(|(at, _)| *at);
        for (_, message) in made {
            self.outbox.push(message);
        }
        self.by_id
            .retain(|_, pending| pending.ends_at().is_none_or(|end| end > now));
        let by_id = &self.by_id;
        self.by_number.retain(|_, id| by_id.contains_key(id));
        self.settling.retain(|_, settling| settling.until > now);
        self.recompute_wake();
    }

    fn recompute_wake(&mut self) {
        let requests = self.by_id.values().map(Pending::wakes_at);
        let settling = self.settling.values().map(|s| s.until);
        self.next_wake = requests.chain(settling).min();
    }

    fn wake_by(&mut self, at: SystemTime) {
        self.next_wake = Some(self.next_wake.map_or(at, |wake| wake.min(at)));
    }

    fn insert(&mut self, request_id: String, pending: Pending) {
        self.wake_by(pending.wakes_at());
        self.by_number
            .insert(pending.number.clone(), request_id.clone());
        self.by_id.insert(request_id, pending);
    }

    fn remove(&mut self, request_id: &str) -> Option<Pending> {
        let pending = self.by_id.remove(request_id)?;
        self.by_number.remove(&pending.number);
        Some(pending)
    }
}

/// Shared by the routes behind an `Arc`; every method takes the lock once and never awaits.
pub(crate) struct EmulatorState {
    config: EmulatorConfig,
    clock: Arc<dyn Clock>,
    inner: Mutex<Inner>,
}

impl EmulatorState {
    pub(crate) fn new(mut config: EmulatorConfig, clock: Arc<dyn Clock>) -> Self {
        // Accept "+1555…" and "1555…" alike in the configuration.
        config.test_numbers = config
            .test_numbers
            .into_iter()
            .map(|(number, code)| (format!("+{}", number.trim().trim_start_matches('+')), code))
            .collect();
        config.code_ttl = config.code_ttl.min(MAX_CONFIGURED_WAIT);
        config.cancel_settle = config.cancel_settle.min(MAX_CONFIGURED_WAIT);
        Self {
            config,
            clock,
            inner: Mutex::new(Inner::default()),
        }
    }

    pub(crate) fn config(&self) -> &EmulatorConfig {
        &self.config
    }

    /// Whether `key`/`secret` are the configured credentials.
    pub(crate) fn accepts(&self, key: &str, secret: &str) -> bool {
        key == self.config.api_key && secret == self.config.api_secret
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Nothing panics while holding the lock; were it ever to, the maps are still usable.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Locks, reads the emulator's time and brings every request up to it.
    fn lock_at_now(&self) -> (MutexGuard<'_, Inner>, SystemTime) {
        let mut inner = self.lock();
        let base = self.clock.now();
        let now = base.checked_add(inner.offset).unwrap_or(base);
        inner.catch_up(now, self.config.webotp_host.as_deref());
        (inner, now)
    }

    /// The emulator's time: the injected clock plus the offset.
    pub(crate) fn now(&self) -> SystemTime {
        self.lock_at_now().1
    }

    /// Moves the emulator's time forward by `by` (the whole offset stops at
    /// [`MAX_CLOCK_OFFSET`]); answers the new time and the whole offset.
    pub(crate) fn advance(&self, by: Duration) -> (SystemTime, Duration) {
        let mut inner = self.lock();
        inner.offset = inner.offset.saturating_add(by).min(MAX_CLOCK_OFFSET);
        drop(inner);
        let (inner, now) = self.lock_at_now();
        (now, inner.offset)
    }

    /// The whole offset added to the injected clock so far.
    pub(crate) fn offset(&self) -> Duration {
        self.lock().offset
    }

    /// Starts a request and makes its first event, unless the number is taken.
    pub(crate) fn start(&self, request: &NewRequest<'_>) -> StartOutcome {
        let (mut inner, now) = self.lock_at_now();
        let number = format!("+{}", request.to);
        let taken = inner
            .by_number
            .get(&number)
            .or_else(|| inner.settling.get(&number).map(|s| &s.request_id));
        if let Some(request_id) = taken {
            return StartOutcome::Concurrent {
                request_id: request_id.clone(),
            };
        }
        if inner.by_id.len() + inner.settling.len() >= MAX_LIVE_REQUESTS {
            return StartOutcome::Busy;
        }
        let request_id = new_id(request.api);
        let pending = Pending::new(
            request.api,
            number.clone(),
            request.brand.to_owned(),
            request.code_length,
            self.config.test_numbers.get(&number).cloned(),
            request.plan.clone(),
            now,
        );
        let webotp_host = self.config.webotp_host.as_deref();
        let message = deliver(
            &pending,
            &request_id,
            now,
            DeliveryCause::Start,
            webotp_host,
        );
        inner.outbox.push(message);
        inner.insert(request_id.clone(), pending);
        StartOutcome::Started { request_id }
    }

    /// Checks a code; a right code or a budget-exhausting wrong one ends the request.
    pub(crate) fn check(&self, request_id: &str, code: &str) -> CheckOutcome {
        let (mut inner, now) = self.lock_at_now();
        let Some(pending) = inner.by_id.get_mut(request_id) else {
            return CheckOutcome::NotFound;
        };
        if pending.matches(code, now) {
            inner.remove(request_id);
            return CheckOutcome::Verified;
        }
        pending.wrong_codes += 1;
        if pending.wrong_codes >= self.config.max_wrong_codes.max(1) {
            inner.remove(request_id);
            CheckOutcome::TooManyAttempts
        } else {
            CheckOutcome::WrongCode
        }
    }

    /// Makes the next event of a live request now (v1: with a new PIN if the old one has
    /// expired); the following event then falls due a full wait later.
    pub(crate) fn next_channel(&self, request_id: &str) -> NextOutcome {
        let (mut inner, now) = self.lock_at_now();
        let Some(pending) = inner.by_id.get_mut(request_id) else {
            return NextOutcome::NotFound;
        };
        let webotp_host = self.config.webotp_host.as_deref();
        let Some(message) = pending.move_on(request_id, now, DeliveryCause::Next, webotp_host)
        else {
            return NextOutcome::NothingLeft;
        };
        let channel = pending.channel();
        let wake = pending.wakes_at();
        inner.outbox.push(message);
        inner.wake_by(wake);
        NextOutcome::Sent(channel)
    }

    /// Ends a live request under its API's rules. v1: not within [`LEGACY_CANCEL_GRACE`] of
    /// the start nor once the second event was made; the number is free at once. v2: at any
    /// time; the number then answers starts with the cancelled id for `cancel_settle`.
    pub(crate) fn cancel(&self, request_id: &str) -> CancelOutcome {
        let (mut inner, now) = self.lock_at_now();
        let Some(pending) = inner.by_id.get(request_id) else {
            return CancelOutcome::NotFound;
        };
        if pending.api == Api::V1 {
            let elapsed = now
                .duration_since(pending.started_at)
                .unwrap_or(Duration::ZERO);
            if elapsed < LEGACY_CANCEL_GRACE {
                return CancelOutcome::TooSoon;
            }
            if pending.step >= 1 {
                return CancelOutcome::TooLate;
            }
        }
        if let Some(pending) = inner.remove(request_id) {
            let settle = self.config.cancel_settle;
            if pending.api == Api::V2 && !settle.is_zero() {
                let until = now + settle;
                let settling = Settling {
                    request_id: request_id.to_owned(),
                    until,
                };
                inner.settling.insert(pending.number, settling);
                inner.wake_by(until);
            }
        }
        CancelOutcome::Cancelled
    }

    /// Everything "sent" so far (due events included), newest first.
    pub(crate) fn messages(&self) -> Vec<OutboxMessage> {
        self.lock_at_now().0.outbox.newest_first()
    }

    /// The emulator's time as RFC 3339 UTC.
    pub(crate) fn now_rfc3339(&self) -> String {
        rfc3339(self.now())
    }

    /// Adds a delivery made under another API's rules (Twilio) to the shared outbox.
    pub(crate) fn record(&self, message: OutboxMessage) {
        self.lock().outbox.push(message);
    }

    #[cfg(test)]
    pub(crate) fn live_requests(&self) -> usize {
        self.lock_at_now().0.by_id.len()
    }
}

#[cfg(test)]
#[path = "state_control_tests.rs"]
mod control_tests;
#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
