//! A scripted Verify provider for the model checks: Vonage-like (one live request per number,
//! an SMS at the start, its own call `AUTO_CALL_AFTER` later unless checked or cancelled,
//! optionally refusing cancels in the first 30 s as Vonage v1 does, optionally trying silent
//! authentication first for one `AUTO_CALL_AFTER` step, the SMS following when it fails,
//! times out or is skipped), answering each call
//! after a seeded number of scheduler turns so parallel requests interleave differently in
//! every case. It records every delivery, so the checks compare counters with what a phone
//! really received.

use crate::auth::server::clock::{unix_seconds, Clock, ManualClock};
use crate::auth::server::verify_port::{
    Channel, CheckFailure, ControlFailure, DeliveryPlan, RequestId, StartFailure,
    StartVerification, Started, VerifyProvider,
};
use crate::domain::Pin;
use async_trait::async_trait;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

pub use super::request::{Request, State};

/// The provider calls by itself this long after the start.
pub const AUTO_CALL_AFTER: u64 = 60;
/// A request (and its code) lives this long.
pub const REQUEST_TTL: u64 = 300;
/// Wrong codes after which the provider kills a request.
const PROVIDER_MAX_WRONG: u32 = 5;
/// A Vonage-v1-like provider refuses cancels this long after the start.
const CANCEL_REFUSED_FOR: u64 = 30;

#[derive(Default)]
struct Inner {
    requests: Vec<Request>,
}

/// The scripted provider.
pub struct ScriptedProvider {
    inner: Mutex<Inner>,
    clock: ManualClock,
    refuses_early_cancel: bool,
    silent_first: bool,
    turns: AtomicU64,
}

impl ScriptedProvider {
    /// A provider on `clock`; `refuses_early_cancel` makes it Vonage-v1-like, `silent_first`
    /// tries silent authentication first; `seed` drives how late each answer comes.
    pub fn new(
        clock: ManualClock,
        refuses_early_cancel: bool,
        silent_first: bool,
        seed: u64,
    ) -> Self {
        Self {
            inner: Mutex::default(),
            clock,
            refuses_early_cancel,
            silent_first,
            turns: AtomicU64::new(seed | 1),
        }
    }

    fn now(&self) -> u64 {
        unix_seconds(self.clock.now())
    }

    /// Every request so far, after making the calls that are due.
    pub fn requests(&self) -> Vec<Request> {
        self.with(|_, _| ());
        self.inner.lock().expect("provider").requests.clone()
    }

    /// The newest request's code for `number`.
    pub fn newest_code(&self, number: &str) -> Option<String> {
        let inner = self.inner.lock().expect("provider");
        inner
            .requests
            .iter()
            .rev()
            .find(|r| r.number == number)
            .map(|r| r.code.clone())
    }

    /// The phone of `number` opens the check address of the number's newest live request
    /// still under silent authentication: the network confirms it (answers the request's id
    /// and code, as the redirect's fragment carries them) or, when `fails`, it gives way to
    /// the SMS at once (answers `None`).
    pub fn open_check_url(&self, number: &str, fails: bool) -> Option<(String, String)> {
        self.with(|requests, now| {
            let r = requests.iter_mut().rev().find(|r| {
                r.number == number && r.state == State::Live && r.silent_until.is_some()
            })?;
            r.silent_until = None;
            if fails {
                r.first_at = Some(now);
                return None;
            }
            r.silent_confirmed = true;
            Some((r.id.clone(), r.code.clone()))
        })
    }

    /// Runs `act` on the requests after the due calls and expiries of `now`.
    fn with<T>(&self, act: impl FnOnce(&mut Vec<Request>, u64) -> T) -> T {
        let now = self.now();
        let mut inner = self.inner.lock().expect("provider");
        for request in inner.requests.iter_mut() {
            if request.state != State::Live {
                continue;
            }
            if let Some(until) = request.silent_until.filter(|until| now >= *until) {
                request.silent_until = None;
                request.first_at = Some(until);
            }
            let call_due = request.first_at.is_some_and(|f| now >= f + AUTO_CALL_AFTER);
            if !request.called && call_due {
                request.called = true;
            }
            if now >= request.started_at + REQUEST_TTL {
                request.state = State::Dead;
            }
        }
        act(&mut inner.requests, now)
    }

    /// Waits 0–2 scheduler turns (seeded), so answers arrive in varying orders.
    async fn pause(&self) {
        let x = self
            .turns
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_mul(0xBF58_476D_1CE4_E5B9);
        for _ in 0..(x >> 61) % 3 {
            tokio::task::yield_now().await;
        }
    }
}

#[async_trait]
impl VerifyProvider for ScriptedProvider {
    async fn start(&self, request: &StartVerification) -> Result<Started, StartFailure> {
        self.pause().await;
        let number = request.number.e164().to_owned();
        let started = self.with(|requests, now| {
            if let Some(live) = requests
                .iter()
                .find(|r| r.number == number && r.state == State::Live)
            {
                return Started {
                    request_id: RequestId::new(live.id.clone()),
                    resumed: true,
                    check_url: None,
                };
            }
            let index = requests.len() as u64;
            let id = format!("req-{index}");
            let silent = self.silent_first;
            requests.push(Request {
                id: id.clone(),
                number,
                code: format!("{:06}", 100_000 + (index * 7919) % 900_000),
                started_at: now,
                state: State::Live,
                wrong: 0,
                called: false,
                cancel_refused: false,
                first_at: (!silent).then_some(now),
                silent_until: silent.then_some(now + AUTO_CALL_AFTER),
                silent_confirmed: false,
            });
            Started {
                check_url: silent.then(|| format!("https://check.example/{id}")),
                request_id: RequestId::new(id),
                resumed: false,
            }
        });
        self.pause().await;
        Ok(started)
    }

    async fn check(&self, request_id: &RequestId, code: &Pin) -> Result<(), CheckFailure> {
        self.pause().await;
        let answer = self.with(|requests, _| {
            let Some(r) = requests.iter_mut().find(|r| r.id == request_id.expose()) else {
                return Err(CheckFailure::NotFound);
            };
            if r.state != State::Live {
                return Err(CheckFailure::NotFound);
            }
            if r.silent_until.is_some() {
                // Vonage v2: 409, the current step takes no code.
                return Err(CheckFailure::Unavailable("no code yet".into()));
            }
            if r.code == code.expose() {
                r.state = State::Verified;
                return Ok(());
            }
            r.wrong += 1;
            if r.wrong >= PROVIDER_MAX_WRONG {
                r.state = State::Dead;
                return Err(CheckFailure::TooManyAttempts);
            }
            Err(CheckFailure::WrongCode)
        });
        self.pause().await;
        answer
    }

    async fn next_channel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        self.pause().await;
        let answer = self.with(|requests, now| {
            match requests.iter_mut().find(|r| r.id == request_id.expose()) {
                Some(r) if r.state == State::Live && r.first_at.is_none() => {
                    r.silent_until = None;
                    r.silent_confirmed = false;
                    r.first_at = Some(now);
                    Ok(())
                }
                Some(r) if r.state == State::Live && r.called => Err(ControlFailure::NothingLeft),
                Some(r) if r.state == State::Live => {
                    r.called = true;
                    Ok(())
                }
                _ => Err(ControlFailure::NotFound),
            }
        });
        self.pause().await;
        answer
    }

    async fn cancel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        self.pause().await;
        let refuses = self.refuses_early_cancel;
        let answer = self.with(|requests, now| {
            match requests.iter_mut().find(|r| r.id == request_id.expose()) {
                Some(r) if r.state == State::Live => {
                    if refuses && now < r.started_at + CANCEL_REFUSED_FOR {
                        r.cancel_refused = true;
                        return Err(ControlFailure::TooSoon);
                    }
                    r.state = State::Cancelled;
                    Ok(())
                }
                _ => Err(ControlFailure::NotFound),
            }
        });
        self.pause().await;
        answer
    }

    fn delivery_plan(&self) -> DeliveryPlan {
        DeliveryPlan {
            first: Channel::Sms,
            alternative: Some(Channel::WhatsApp),
            next: Some(Channel::Voice),
            auto_next_after: Some(Duration::from_secs(AUTO_CALL_AFTER)),
            silent_first: self.silent_first,
        }
    }

    fn name(&self) -> &'static str {
        "scripted"
    }
}
