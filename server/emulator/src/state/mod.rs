//! The emulator's rules, independent of HTTP: live requests, codes, wrong-code budget,
//! cancelling (and v2's settling window after it), the outbox and the emulator's own time
//! (the injected [`Clock`] plus an offset). How a request moves on over time is in
//! [`super::timeline`]; it is evaluated lazily, at the start of every operation here.

mod device;
mod outcomes;
mod pool;

use super::message::new_id;
use super::outbox::{rfc3339, DeliveryCause, OutboxMessage};
use super::reachability::Reachability;
use super::timeline::{Api, Deliverer, Pending};
use super::EmulatorConfig;
use app_clock::Clock;
pub(crate) use outcomes::{
    CancelOutcome, CheckOutcome, CheckUrlOutcome, NewRequest, NextOutcome, StartOutcome,
};
use pool::{Inner, Settling};
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
        let reach = Reachability::configured(
            &config.no_rcs,
            &config.no_whatsapp,
            &config.silent_auth_fails,
        );
        Self {
            config,
            clock,
            inner: Mutex::new(Inner {
                reach,
                ..Inner::default()
            }),
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

    /// The injected clock alone, without the `/dev/clock` offset: the time a client's wall
    /// clock shows (JWT times are checked against it).
    pub(crate) fn wall_clock(&self) -> SystemTime {
        self.clock.now()
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
        let mut pending = Pending::new(
            request.api,
            number.clone(),
            request.brand.to_owned(),
            request.code_length,
            self.config.test_numbers.get(&number).cloned(),
            request.plan.clone(),
            now,
        )
        .with_locale(request.locale)
        .with_silent_auth(request.silent_auth.clone());
        let d = Deliverer {
            webotp_host: self.config.webotp_host.as_deref(),
            reach: &inner.reach,
        };
        let messages = pending.begin(&request_id, &d);
        for message in messages {
            inner.outbox.push(message);
        }
        inner.insert(request_id.clone(), pending);
        StartOutcome::Started { request_id }
    }

    /// Checks a code; a right code or a budget-exhausting wrong one ends the request. While
    /// a silent-authentication step waits for the device no code is checked (nor counted).
    pub(crate) fn check(&self, request_id: &str, code: &str) -> CheckOutcome {
        let (mut inner, now) = self.lock_at_now();
        let Some(pending) = inner.by_id.get_mut(request_id) else {
            return CheckOutcome::NotFound;
        };
        if pending.waits_for_device() {
            return CheckOutcome::NoCode;
        }
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
        let (mut guard, now) = self.lock_at_now();
        let inner = &mut *guard;
        let Some(pending) = inner.by_id.get_mut(request_id) else {
            return NextOutcome::NotFound;
        };
        let d = Deliverer {
            webotp_host: self.config.webotp_host.as_deref(),
            reach: &inner.reach,
        };
        let Some(messages) = pending.move_on(request_id, now, DeliveryCause::Next, &d) else {
            return NextOutcome::NothingLeft;
        };
        let channel = pending.channel();
        let wake = pending.wakes_at();
        for message in messages {
            inner.outbox.push(message);
        }
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
mod tests;
