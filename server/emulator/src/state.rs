//! The emulator's rules, independent of HTTP: live requests, codes, wrong-code budget,
//! expiry, moving to the next channel, cancelling and the outbox. Time comes from the injected [`Clock`].

use super::outbox::{rfc3339, Outbox, OutboxMessage};
use super::EmulatorConfig;
use app_core::clock::Clock;
use rand::Rng;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// Live requests kept at most; beyond that starts are throttled so a runaway client cannot
/// grow the emulator's memory without bound.
pub(crate) const MAX_LIVE_REQUESTS: usize = 10_000;

/// Verify v1 refuses a cancel this soon after the start (status "19").
pub(crate) const LEGACY_CANCEL_GRACE: Duration = Duration::from_secs(30);

/// The shape of a new request id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdStyle {
    /// Verify v2: a UUID v4.
    Uuid,
    /// Verify v1: 32 lowercase hex characters.
    Hex,
}

/// A workflow step's channel. The first is "delivered" at the start; the next ones only on
/// an explicit next-channel call (v2 `next_workflow`, v1 `trigger_next_event`): the emulator
/// never moves on by itself when a channel times out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Channel {
    Sms,
    Voice,
}

impl Channel {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Voice => "voice",
        }
    }
}

/// A validated start request.
#[derive(Clone, Debug)]
pub(crate) struct NewRequest<'a> {
    /// E.164 digits without `+`.
    pub to: &'a str,
    pub brand: &'a str,
    pub code_length: usize,
    /// The channels in order; an empty workflow counts as `[Sms]`.
    pub workflow: &'a [Channel],
    pub id_style: IdStyle,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StartOutcome {
    Started {
        request_id: String,
    },
    /// The number already has a live request; its id.
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
    /// Wrong code; the request lives on.
    WrongCode,
    /// Wrong code that used up the budget; the request is gone.
    TooManyAttempts,
    /// Unknown, expired, verified, cancelled or terminated.
    NotFound,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NextOutcome {
    /// Moved to this channel and "sent" the same code on it.
    Sent(Channel),
    /// The request is on the last channel of its workflow; nothing changed.
    NothingLeft,
    /// Unknown, expired, verified, cancelled or terminated.
    NotFound,
}

/// Which API's cancel rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CancelRules {
    /// Verify v2: a live request can always be cancelled.
    Anytime,
    /// Verify v1: not within [`LEGACY_CANCEL_GRACE`] of the start, and not once the second
    /// event (the first next channel) has been made.
    Legacy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CancelOutcome {
    /// The request is gone and its number free.
    Cancelled,
    /// v1 only: less than [`LEGACY_CANCEL_GRACE`] since the start; the request lives on.
    TooSoon,
    /// v1 only: the second event was already made; the request lives on.
    TooLate,
    /// Unknown, expired, verified, cancelled or terminated.
    NotFound,
}

struct Pending {
    /// E.164 with `+`.
    number: String,
    brand: String,
    code: String,
    /// Never empty.
    workflow: Vec<Channel>,
    /// Index in `workflow` of the channel last "sent".
    step: usize,
    started_at: SystemTime,
    expires_at: SystemTime,
    wrong_codes: u32,
}

#[derive(Default)]
struct Inner {
    by_id: HashMap<String, Pending>,
    /// Number (E.164 with `+`) → id of its live request.
    by_number: HashMap<String, String>,
    /// No live request expires before this (a lower bound), so most calls skip the scan.
    earliest_expiry: Option<SystemTime>,
    outbox: Outbox,
}

impl Inner {
    /// Drops expired requests; called at the start of every operation.
    fn purge(&mut self, now: SystemTime) {
        if self.earliest_expiry.is_none_or(|earliest| earliest > now) {
            return;
        }
        self.by_id.retain(|_, pending| pending.expires_at > now);
        let by_id = &self.by_id;
        self.by_number.retain(|_, id| by_id.contains_key(id));
        self.earliest_expiry = self.by_id.values().map(|p| p.expires_at).min();
    }

    fn insert(&mut self, request_id: String, pending: Pending) {
        let expires_at = pending.expires_at;
        self.earliest_expiry = Some(
            self.earliest_expiry
                .map_or(expires_at, |e| e.min(expires_at)),
        );
        self.by_number
            .insert(pending.number.clone(), request_id.clone());
        self.by_id.insert(request_id, pending);
    }

    fn remove(&mut self, request_id: &str) {
        if let Some(pending) = self.by_id.remove(request_id) {
            self.by_number.remove(&pending.number);
        }
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
        Self {
            config,
            clock,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Nothing panics while holding the lock; were it ever to, the maps are still usable.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts a request and "sends" its code, unless the number already has a live one.
    pub(crate) fn start(&self, request: &NewRequest<'_>) -> StartOutcome {
        let now = self.clock.now();
        let mut inner = self.lock();
        inner.purge(now);
        let number = format!("+{}", request.to);
        if let Some(request_id) = inner.by_number.get(&number) {
            return StartOutcome::Concurrent {
                request_id: request_id.clone(),
            };
        }
        if inner.by_id.len() >= MAX_LIVE_REQUESTS {
            return StartOutcome::Busy;
        }
        let code = match self.config.test_numbers.get(&number) {
            Some(fixed) => fixed.clone(),
            None => random_code(request.code_length),
        };
        let request_id = new_id(request.id_style);
        let mut workflow = request.workflow.to_vec();
        if workflow.is_empty() {
            workflow.push(Channel::Sms);
        }
        let pending = Pending {
            number,
            brand: request.brand.to_owned(),
            code,
            workflow,
            step: 0,
            started_at: now,
            expires_at: now + self.config.code_ttl,
            wrong_codes: 0,
        };
        inner
            .outbox
            .push(deliver(&pending, now, self.config.webotp_host.as_deref()));
        inner.insert(request_id.clone(), pending);
        StartOutcome::Started { request_id }
    }

    /// Checks a code; a right code or a budget-exhausting wrong one ends the request.
    pub(crate) fn check(&self, request_id: &str, code: &str) -> CheckOutcome {
        let now = self.clock.now();
        let mut inner = self.lock();
        inner.purge(now);
        let Some(pending) = inner.by_id.get_mut(request_id) else {
            return CheckOutcome::NotFound;
        };
        if pending.code == code {
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

    /// Moves a live request to the next channel of its workflow and "sends" the same code
    /// on it; the wrong-code budget and the expiry are unchanged.
    pub(crate) fn next_channel(&self, request_id: &str) -> NextOutcome {
        let now = self.clock.now();
        let mut inner = self.lock();
        inner.purge(now);
        let Some(pending) = inner.by_id.get_mut(request_id) else {
            return NextOutcome::NotFound;
        };
        let Some(&channel) = pending.workflow.get(pending.step + 1) else {
            return NextOutcome::NothingLeft;
        };
        pending.step += 1;
        let message = deliver(pending, now, self.config.webotp_host.as_deref());
        inner.outbox.push(message);
        NextOutcome::Sent(channel)
    }

    /// Ends a live request under `rules`, freeing its number.
    pub(crate) fn cancel(&self, request_id: &str, rules: CancelRules) -> CancelOutcome {
        let now = self.clock.now();
        let mut inner = self.lock();
        inner.purge(now);
        let Some(pending) = inner.by_id.get(request_id) else {
            return CancelOutcome::NotFound;
        };
        if rules == CancelRules::Legacy {
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
        inner.remove(request_id);
        CancelOutcome::Cancelled
    }

    /// Everything "sent" so far, newest first.
    pub(crate) fn messages(&self) -> Vec<OutboxMessage> {
        self.lock().outbox.newest_first()
    }

    /// Adds a delivery made under another API's rules (Twilio) to the shared outbox.
    pub(crate) fn record(&self, message: OutboxMessage) {
        self.lock().outbox.push(message);
    }

    #[cfg(test)]
    pub(crate) fn live_requests(&self) -> usize {
        let now = self.clock.now();
        let mut inner = self.lock();
        inner.purge(now);
        inner.by_id.len()
    }
}

/// "Sends" the code of `pending` on its current channel: logs it and returns the outbox entry.
/// SMS texts end with the WebOTP origin-bound line `@host #code` when `webotp_host` is set,
/// so browsers offer the code only on that site.
fn deliver(pending: &Pending, now: SystemTime, webotp_host: Option<&str>) -> OutboxMessage {
    let channel = pending
        .workflow
        .get(pending.step)
        .copied()
        .unwrap_or(Channel::Sms);
    let code = &pending.code;
    let text = match channel {
        Channel::Sms => {
            let left = pending
                .expires_at
                .duration_since(now)
                .unwrap_or(Duration::ZERO);
            let text = format!(
                "Your {} code is {code}. It expires in {} minutes.",
                pending.brand,
                left.as_secs().div_ceil(60).max(1)
            );
            match webotp_host {
                Some(host) => format!("{text}\n\n@{host} #{code}"),
                None => text,
            }
        }
        Channel::Voice => format!("This is {}. Your code is {}.", pending.brand, spoken(code)),
    };
    // A development tool: showing the code in the log is the point of it. Never use the
    // emulator with real users.
    tracing::info!(
        target: "emulator",
        to = %pending.number,
        channel = channel.as_str(),
        %code,
        "{text}"
    );
    OutboxMessage {
        to: pending.number.clone(),
        channel: channel.as_str().to_owned(),
        code: code.clone(),
        text,
        sent_at: rfc3339(now),
    }
}

/// The code as a voice call reads it: `123456` → `1 2 3 4 5 6`.
fn spoken(code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    for (i, c) in code.chars().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// `length` random digits from the thread-local CSPRNG.
fn random_code(length: usize) -> String {
    let mut rng = rand::rng();
    (0..length)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

fn new_id(style: IdStyle) -> String {
    let uuid = uuid::Uuid::new_v4();
    match style {
        IdStyle::Uuid => uuid.to_string(),
        IdStyle::Hex => uuid.simple().to_string(),
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
