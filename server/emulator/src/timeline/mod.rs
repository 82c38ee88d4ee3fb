//! A request's timeline: which channel is delivered when, when a v1 PIN runs out and is
//! replaced, when a step the number cannot receive falls back to the next, and when the
//! request ends. Evaluated lazily: [`Pending::catch_up`] replays every event that fell due
//! since the request was last looked at, each stamped with the time it was due.

mod channel;
mod plan;
mod silent;

use super::message::{deliver, random_code};
use super::outbox::{DeliveryCause, OutboxMessage};
use super::reachability::Reachability;
pub(crate) use channel::{Api, Channel};
pub(crate) use plan::Plan;
pub(crate) use silent::{CheckUrlOutcome, SilentAuth};
use std::time::{Duration, SystemTime};

/// What a delivery depends on besides the request: the WebOTP host SMS texts end with and
/// which numbers each channel reaches.
pub(crate) struct Deliverer<'a> {
    pub(crate) webotp_host: Option<&'a str>,
    pub(crate) reach: &'a Reachability,
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
    /// The silent-authentication step's check URL state, when the workflow starts with one.
    silent: Option<SilentAuth>,
    /// Set when silent authentication handed the code to the device: nothing more is sent
    /// by itself; the request waits for the code until one wait after that.
    awaiting_code: bool,
    /// Set when the last step failed (its channel could not reach the number): the request
    /// ends at that time.
    failed_at: Option<SystemTime>,
}

impl Pending {
    /// A request whose first event is due at `now` with a new code (or `fixed_code`); make
    /// it with [`Self::begin`].
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
            silent: None,
            awaiting_code: false,
            failed_at: None,
        }
    }

    /// The same request, its messages asked for in `locale`.
    pub(crate) fn with_locale(mut self, locale: Option<&str>) -> Self {
        self.locale = locale.map(str::to_owned);
        self
    }

    /// The same request with the state of its first, silent-authentication step.
    pub(crate) fn with_silent_auth(mut self, silent: Option<SilentAuth>) -> Self {
        self.silent = silent;
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

    /// When the next event falls due by itself; `None` on the last event, once the request
    /// has failed, or while it waits for a code silent authentication handed out.
    pub(crate) fn next_due(&self) -> Option<SystemTime> {
        if self.failed_at.is_some() || self.awaiting_code {
            return None;
        }
        let wait = self.plan.waits.get(self.step).copied()?;
        (self.step + 1 < self.plan.events.len()).then(|| self.step_at + wait)
    }

    /// When the request ends unless something happens first: when its last step failed;
    /// never before its next event; after the last one, once that event's wait has elapsed
    /// and (v1) its PIN has expired.
    pub(crate) fn ends_at(&self) -> Option<SystemTime> {
        if let Some(failed) = self.failed_at {
            return Some(failed);
        }
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

    /// Makes the first event (at the start time) and returns its deliveries: none for a
    /// silent-authentication step, several when a step falls back.
    pub(crate) fn begin(&mut self, request_id: &str, d: &Deliverer<'_>) -> Vec<OutboxMessage> {
        self.enter(request_id, self.started_at, DeliveryCause::Start, d)
    }

    /// Makes the next event at `at` (a v1 PIN that has expired by then is replaced first,
    /// which also resets the wrong-code budget) and returns its deliveries; `None` when no
    /// event is left.
    pub(crate) fn move_on(
        &mut self,
        request_id: &str,
        at: SystemTime,
        cause: DeliveryCause,
        d: &Deliverer<'_>,
    ) -> Option<Vec<OutboxMessage>> {
        if !self.has_next() {
            return None;
        }
        self.step += 1;
        self.awaiting_code = false;
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
        Some(self.enter(request_id, at, cause, d))
    }

    /// Makes the current step at `at`: nothing for silent authentication (the device opens
    /// `check_url`), else a delivery on its channel; a channel that cannot reach the number
    /// fails at once and the next step is made (cause `fallback`), or, with none left, the
    /// request ends at `at`.
    fn enter(
        &mut self,
        request_id: &str,
        at: SystemTime,
        cause: DeliveryCause,
        d: &Deliverer<'_>,
    ) -> Vec<OutboxMessage> {
        let mut cause = cause;
        loop {
            self.step_at = at;
            let channel = self.channel();
            if channel == Channel::SilentAuth {
                return Vec::new();
            }
            if d.reach.reaches(&self.number, channel) {
                return vec![deliver(self, request_id, at, cause, d.webotp_host)];
            }
            tracing::info!(
                target: "emulator",
                to = %self.number,
                channel = channel.as_str(),
                "the number cannot be reached on this channel; the step fails"
            );
            if !self.has_next() {
                self.failed_at = Some(at);
                return Vec::new();
            }
            self.step += 1;
            cause = DeliveryCause::Fallback;
        }
    }

    /// Makes every event that fell due up to `now`, each at the time it was due, and returns
    /// their deliveries (oldest first) with those times.
    pub(crate) fn catch_up(
        &mut self,
        request_id: &str,
        now: SystemTime,
        d: &Deliverer<'_>,
    ) -> Vec<(SystemTime, OutboxMessage)> {
        let mut made = Vec::new();
        while let Some(due) = self.next_due().filter(|due| *due <= now) {
            match self.move_on(request_id, due, DeliveryCause::Auto, d) {
                Some(messages) => made.extend(messages.into_iter().map(|m| (due, m))),
                None => break,
            }
        }
        made
    }
}

#[cfg(test)]
mod tests;
