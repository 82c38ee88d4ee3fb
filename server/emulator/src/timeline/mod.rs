//! A request's timeline: which channel is delivered when, when a v1 PIN runs out and is
//! replaced, and when the request ends. Evaluated lazily: [`Pending::catch_up`] replays
//! every event that fell due since the request was last looked at, each stamped with the time
//! it was due.

use super::message::{deliver, random_code};
use super::outbox::{DeliveryCause, OutboxMessage};
use std::time::{Duration, SystemTime};

/// Which vendor API a request was started on; decides its id shape and its rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Api {
    /// Verify v2: UUID ids, one code for the whole request, cancel at any time.
    V2,
    /// Verify v1: 32-hex ids, a PIN that can expire and be replaced, the v1 cancel rules.
    V1,
}

impl Api {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::V2 => "v2",
            Self::V1 => "v1",
        }
    }
}

/// A workflow step's channel.
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

/// The delivery plan of a request: its channels in order, the wait after each (before the
/// next event, or before the end for the last one) and, for v1, how long a PIN lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Never empty.
    events: Vec<Channel>,
    /// As long as `events`.
    waits: Vec<Duration>,
    /// v1 `pin_expiry`; `None` (v2): one code for the whole request.
    code_lifetime: Option<Duration>,
}

impl Plan {
    /// `events` in order with `waits[i]` after event `i`; missing waits repeat the last one
    /// given (300 s if none), an empty `events` counts as `[Sms]`.
    pub(crate) fn new(
        events: &[Channel],
        waits: &[Duration],
        code_lifetime: Option<Duration>,
    ) -> Self {
        let events = if events.is_empty() {
            vec![Channel::Sms]
        } else {
            events.to_vec()
        };
        let fallback = waits.last().copied().unwrap_or(Duration::from_secs(300));
        let waits = (0..events.len())
            .map(|i| waits.get(i).copied().unwrap_or(fallback))
            .collect();
        Self {
            events,
            waits,
            code_lifetime,
        }
    }

    /// v2: every channel waits `channel_timeout` before the next one starts (or the request
    /// ends), and the code is the same throughout.
    pub(crate) fn every(events: &[Channel], channel_timeout: Duration) -> Self {
        Self::new(events, &[channel_timeout], None)
    }
}

/// One live request.
pub(crate) struct Pending {
    pub(crate) api: Api,
    /// E.164 with `+`.
    pub(crate) number: String,
    pub(crate) brand: String,
    /// The code in force.
    pub(crate) code: String,
    /// A configured test number's code, reused whenever a new PIN is due.
    fixed_code: Option<String>,
    code_length: usize,
    plan: Plan,
    /// Index in the plan of the event last made.
    pub(crate) step: usize,
    /// When that event was made (or was due, if made late).
    step_at: SystemTime,
    pub(crate) started_at: SystemTime,
    /// v1 only: when the current PIN stops matching.
    code_expires_at: Option<SystemTime>,
    /// Wrong codes against the current code.
    pub(crate) wrong_codes: u32,
    /// The locale the start asked for (v2 `locale`, v1 `lg`), as sent; the messages are
    /// written in its language.
    pub(crate) locale: Option<String>,
}

impl Pending {
    /// A request whose first event is made at `now` with a new code (or `fixed_code`).
    pub(crate) fn new(
        api: Api,
        number: String,
        brand: String,
        code_length: usize,
        fixed_code: Option<String>,
        plan: Plan,
        now: SystemTime,
    ) -> Self {
        let code = fixed_code
            .clone()
            .unwrap_or_else(|| random_code(code_length));
        let code_expires_at = plan.code_lifetime.map(|lifetime| now + lifetime);
        Self {
            api,
            number,
            brand,
            code,
            fixed_code,
            code_length,
            plan,
            step: 0,
            step_at: now,
            started_at: now,
            code_expires_at,
            wrong_codes: 0,
            locale: None,
        }
    }

    /// The same request, its messages asked for in `locale`.
    pub(crate) fn with_locale(mut self, locale: Option<&str>) -> Self {
        self.locale = locale.map(str::to_owned);
        self
    }

    /// The channel of the event last made.
    pub(crate) fn channel(&self) -> Channel {
        self.plan
            .events
            .get(self.step)
            .copied()
            .unwrap_or(Channel::Sms)
    }

    /// When the next event falls due by itself; `None` on the last event.
    pub(crate) fn next_due(&self) -> Option<SystemTime> {
        let wait = self.plan.waits.get(self.step).copied()?;
        (self.step + 1 < self.plan.events.len()).then(|| self.step_at + wait)
    }

    /// When the request ends unless something happens first: never before its next event;
    /// after the last one, once that event's wait has elapsed and (v1) its PIN has expired.
    pub(crate) fn ends_at(&self) -> Option<SystemTime> {
        if self.next_due().is_some() {
            return None;
        }
        let wait = self.plan.waits.get(self.step).copied().unwrap_or_default();
        let waited = self.step_at + wait;
        Some(self.code_expires_at.map_or(waited, |e| e.max(waited)))
    }

    /// The next moment something changes by itself: an event or the end.
    pub(crate) fn wakes_at(&self) -> SystemTime {
        self.next_due()
            .or_else(|| self.ends_at())
            .unwrap_or(self.step_at)
    }

    /// Until when the current code can match, as far as is known now: the v1 PIN expiry, or
    /// (v2) the end of the request if nobody moves it on.
    pub(crate) fn code_valid_until(&self) -> SystemTime {
        match self.code_expires_at {
            Some(expiry) => expiry,
            None => {
                let rest: Duration = self.plan.waits.iter().skip(self.step).sum();
                self.step_at + rest
            }
        }
    }

    /// Whether `code` is the current code and still valid at `now`.
    pub(crate) fn matches(&self, code: &str, now: SystemTime) -> bool {
        self.code_expires_at.is_none_or(|expiry| now < expiry) && self.code == code
    }

    /// Whether another event is left in the plan.
    pub(crate) fn has_next(&self) -> bool {
        self.step + 1 < self.plan.events.len()
    }

    /// Makes the next event at `at` (a v1 PIN that has expired by then is replaced first,
    /// which also resets the wrong-code budget) and returns its delivery; `None` when no
    /// event is left.
    pub(crate) fn move_on(
        &mut self,
        request_id: &str,
        at: SystemTime,
        cause: DeliveryCause,
        webotp_host: Option<&str>,
    ) -> Option<OutboxMessage> {
        if !self.has_next() {
            return None;
        }
        self.step += 1;
        self.step_at = at;
        if let (Some(expiry), Some(lifetime)) = (self.code_expires_at, self.plan.code_lifetime) {
            if at >= expiry {
                self.code = self
                    .fixed_code
                    .clone()
                    .unwrap_or_else(|| random_code(self.code_length));
                self.code_expires_at = Some(at + lifetime);
                self.wrong_codes = 0;
            }
        }
        Some(deliver(self, request_id, at, cause, webotp_host))
    }

    /// Makes every event that fell due up to `now`, each at the time it was due, and returns
    /// their deliveries (oldest first) with those times.
    pub(crate) fn catch_up(
        &mut self,
        request_id: &str,
        now: SystemTime,
        webotp_host: Option<&str>,
    ) -> Vec<(SystemTime, OutboxMessage)> {
        let mut made = Vec::new();
        while let Some(due) = self.next_due().filter(|due| *due <= now) {
            match self.move_on(request_id, due, DeliveryCause::Auto, webotp_host) {
                Some(message) => made.push((due, message)),
                None => break,
            }
        }
        made
    }
}

#[cfg(test)]
mod tests;
