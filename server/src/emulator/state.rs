//! The emulator's rules, independent of HTTP: live requests, codes, wrong-code budget,
//! expiry and the outbox. Time comes from the injected [`Clock`].

use super::outbox::{rfc3339, Outbox, OutboxMessage};
use super::EmulatorConfig;
use app::auth::server::clock::Clock;
use rand::Rng;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

/// Live requests kept at most; beyond that starts are throttled so a runaway client cannot
/// grow the emulator's memory without bound.
pub(crate) const MAX_LIVE_REQUESTS: usize = 10_000;

/// The shape of a new request id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdStyle {
    /// Verify v2: a UUID v4.
    Uuid,
    /// Verify v1: 32 lowercase hex characters.
    Hex,
}

/// The channel of the first workflow step, the only one the emulator "delivers".
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
    pub channel: Channel,
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

struct Pending {
    /// E.164 with `+`.
    number: String,
    code: String,
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
        let text = format!(
            "Your {} code is {code}. It expires in {} minutes.",
            request.brand,
            self.config.code_ttl.as_secs().div_ceil(60).max(1)
        );
        // A development tool: showing the code in the log is the point of it. Never use the
        // emulator with real users.
        tracing::info!(
            target: "emulator",
            to = %number,
            channel = request.channel.as_str(),
            %code,
            "{text}"
        );
        inner.outbox.push(OutboxMessage {
            to: number.clone(),
            channel: request.channel.as_str().to_owned(),
            code: code.clone(),
            text,
            sent_at: rfc3339(now),
        });
        inner.insert(
            request_id.clone(),
            Pending {
                number,
                code,
                expires_at: now + self.config.code_ttl,
                wrong_codes: 0,
            },
        );
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

    /// Ends a live request; `false` when there was none.
    pub(crate) fn cancel(&self, request_id: &str) -> bool {
        let now = self.clock.now();
        let mut inner = self.lock();
        inner.purge(now);
        let found = inner.by_id.contains_key(request_id);
        inner.remove(request_id);
        found
    }

    /// Everything "sent" so far, newest first.
    pub(crate) fn messages(&self) -> Vec<OutboxMessage> {
        self.lock().outbox.newest_first()
    }

    #[cfg(test)]
    pub(crate) fn live_requests(&self) -> usize {
        let now = self.clock.now();
        let mut inner = self.lock();
        inner.purge(now);
        inner.by_id.len()
    }
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
