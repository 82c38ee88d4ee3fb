//! Twilio Verify's rules, independent of HTTP: one pending verification per number, reused
//! with the same code for [`CODE_TTL`]; at most [`MAX_SENDS`] deliveries and [`MAX_CHECKS`]
//! wrong checks per verification. Shares only the outbox (through the Vonage state's
//! [`record`](crate::state::EmulatorState::record)) and the injected clock.

use super::message::{deliver, random_code};
use crate::state::EmulatorState;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// How long a verification (and its code) lives: Twilio's default, 10 minutes.
pub(crate) const CODE_TTL: Duration = Duration::from_secs(600);
/// Deliveries per verification; the next start answers 60203.
pub(crate) const MAX_SENDS: usize = 5;
/// Wrong checks that end a verification; later checks answer 60202.
pub(crate) const MAX_CHECKS: u32 = 5;
/// Verifications kept at most (then starts answer 20429).
const MAX_LIVE: usize = 10_000;
/// The service's friendly name in messages, unless a start sends `CustomFriendlyName`.
const FRIENDLY_NAME: &str = "Verify emulator";

/// A delivery channel as Twilio names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TwilioChannel {
    Sms,
    Call,
    WhatsApp,
}

impl TwilioChannel {
    /// `sms`, `call` or `whatsapp` (Twilio's words; the outbox says `voice` for a call).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Call => "call",
            Self::WhatsApp => "whatsapp",
        }
    }
}

/// A verification as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Verification {
    pub sid: String,
    /// E.164 with `+`.
    pub to: String,
    /// The channel of the latest delivery.
    pub channel: TwilioChannel,
    /// `pending`, `approved`, `canceled` or `max_attempts_reached`.
    pub status: &'static str,
    pub created_at: SystemTime,
    pub updated_at: SystemTime,
    /// One `(time, channel, attempt sid)` per delivery.
    pub attempts: Vec<(SystemTime, TwilioChannel, String)>,
}

/// Why a start, check, update or fetch was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Unknown, expired, approved or cancelled (20404).
    NotFound,
    /// Five deliveries already (60203).
    MaxSends,
    /// Five wrong checks already (60202).
    MaxChecks,
    /// Too many verifications live (20429).
    Busy,
}

/// What a check is aimed at.
pub(crate) enum Target<'a> {
    Sid(&'a str),
    To(&'a str),
}

pub(super) struct Live {
    pub(super) view: Verification,
    pub(super) code: String,
    pub(super) friendly_name: String,
    expires_at: SystemTime,
    wrong_checks: u32,
}

#[derive(Default)]
struct Inner {
    by_sid: HashMap<String, Live>,
    /// Number → sid of its pending verification.
    by_number: HashMap<String, String>,
}

impl Inner {
    fn purge(&mut self, now: SystemTime) {
        self.by_sid.retain(|_, live| live.expires_at > now);
        let by_sid = &self.by_sid;
        self.by_number.retain(|_, sid| by_sid.contains_key(sid));
    }

    fn remove(&mut self, sid: &str) {
        if let Some(live) = self.by_sid.remove(sid) {
            self.by_number.remove(&live.view.to);
        }
    }
}

/// The Twilio part of the emulator; shared by its routes behind an `Arc`.
pub(crate) struct TwilioState {
    shared: Arc<EmulatorState>,
    /// E.164 with `+` → fixed code.
    test_numbers: HashMap<String, String>,
    webotp_host: Option<String>,
    inner: Mutex<Inner>,
}

impl TwilioState {
    /// Rules over `shared`'s outbox, timed by its clock (the injected one plus the offset
    /// `/dev/clock` moves); test numbers (with or without `+`) always get their fixed code.
    pub(crate) fn new(
        shared: Arc<EmulatorState>,
        test_numbers: &HashMap<String, String>,
        webotp_host: Option<String>,
    ) -> Self {
        let test_numbers = test_numbers
            .iter()
            .map(|(n, code)| {
                (
                    format!("+{}", n.trim().trim_start_matches('+')),
                    code.clone(),
                )
            })
            .collect();
        Self {
            shared,
            test_numbers,
            webotp_host,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sends the pending verification's code to `to` again on `channel`, or starts a new
    /// verification with a new code; the message is in the language of `locale` (`Locale`,
    /// as sent), English without one.
    pub(crate) fn start(
        &self,
        to: &str,
        channel: TwilioChannel,
        friendly_name: Option<&str>,
        locale: Option<&str>,
    ) -> Result<Verification, Refusal> {
        let now = self.shared.now();
        let mut inner = self.lock();
        inner.purge(now);
        let sid = match inner.by_number.get(to) {
            Some(sid) => sid.clone(),
            None if inner.by_sid.len() >= MAX_LIVE => return Err(Refusal::Busy),
            None => {
                let sid = format!("VE{}", uuid::Uuid::new_v4().simple());
                let code = match self.test_numbers.get(to) {
                    Some(fixed) => fixed.clone(),
                    None => random_code(),
                };
                let view = Verification {
                    sid: sid.clone(),
                    to: to.to_owned(),
                    channel,
                    status: "pending",
                    created_at: now,
                    updated_at: now,
                    attempts: Vec::new(),
                };
                let name = friendly_name.unwrap_or(FRIENDLY_NAME).to_owned();
                let live = Live {
                    view,
                    code,
                    friendly_name: name,
                    expires_at: now + CODE_TTL,
                    wrong_checks: 0,
                };
                inner.by_number.insert(to.to_owned(), sid.clone());
                inner.by_sid.insert(sid.clone(), live);
                sid
            }
        };
        let live = inner.by_sid.get_mut(&sid).ok_or(Refusal::NotFound)?;
        if live.view.attempts.len() >= MAX_SENDS {
            return Err(Refusal::MaxSends);
        }
        let attempt = format!("VL{}", uuid::Uuid::new_v4().simple());
        live.view.attempts.push((now, channel, attempt));
        live.view.channel = channel;
        live.view.updated_at = now;
        let message = deliver(live, channel, locale, now, self.webotp_host.as_deref());
        let view = live.view.clone();
        drop(inner);
        self.shared.record(message);
        Ok(view)
    }

    /// Checks a code: right → `approved` (then gone); wrong → `pending`, the
    /// [`MAX_CHECKS`]th wrong → `max_attempts_reached` (later checks: [`Refusal::MaxChecks`]).
    pub(crate) fn check(&self, target: Target<'_>, code: &str) -> Result<Verification, Refusal> {
        let now = self.shared.now();
        let mut inner = self.lock();
        inner.purge(now);
        let sid = match target {
            Target::Sid(sid) => sid.to_owned(),
            Target::To(to) => inner.by_number.get(to).cloned().ok_or(Refusal::NotFound)?,
        };
        let live = inner.by_sid.get_mut(&sid).ok_or(Refusal::NotFound)?;
        if live.wrong_checks >= MAX_CHECKS {
            return Err(Refusal::MaxChecks);
        }
        live.view.updated_at = now;
        if live.code == code {
            live.view.status = "approved";
            let view = live.view.clone();
            inner.remove(&sid);
            return Ok(view);
        }
        live.wrong_checks += 1;
        if live.wrong_checks >= MAX_CHECKS {
            live.view.status = "max_attempts_reached";
            let view = live.view.clone();
            // Ended: the number is free for a new verification; this sid answers 60202.
            inner.by_number.remove(&view.to);
            return Ok(view);
        }
        Ok(live.view.clone())
    }

    /// `Status=canceled`: ends a pending verification.
    pub(crate) fn cancel(&self, sid: &str) -> Result<Verification, Refusal> {
        let now = self.shared.now();
        let mut inner = self.lock();
        inner.purge(now);
        let live = inner.by_sid.get_mut(sid).ok_or(Refusal::NotFound)?;
        if live.view.status != "pending" {
            return Err(Refusal::NotFound);
        }
        live.view.status = "canceled";
        live.view.updated_at = now;
        let view = live.view.clone();
        inner.remove(sid);
        Ok(view)
    }

    /// A verification still kept (pending, or ended by wrong checks).
    pub(crate) fn fetch(&self, sid: &str) -> Result<Verification, Refusal> {
        let now = self.shared.now();
        let mut inner = self.lock();
        inner.purge(now);
        let live = inner.by_sid.get(sid).ok_or(Refusal::NotFound)?;
        Ok(live.view.clone())
    }
}

#[cfg(test)]
mod tests;
