//! A development Verify server, in the spirit of Firebase's Auth emulator. It speaks the
//! Vonage Verify v2 and v1 HTTP contracts, so the app reaches it through the very clients it
//! uses for Vonage (the host's `verify` module), but nothing leaves the machine: each "sent"
//! message goes to an outbox (`GET /dev/messages` as JSON, `GET /dev/outbox` as a page) and to
//! the log under the `emulator` target, code included. Never use it with real users.
//!
//! Rules (both APIs share one pool of requests and one time: the injected [`Clock`] plus the
//! offset of `POST /dev/clock` / [`Emulator::advance`]):
//! - credentials: v2 needs HTTP Basic with exactly [`EmulatorConfig::api_key`] /
//!   [`EmulatorConfig::api_secret`] (default `emulator` / `emulator`) or a Bearer JWT of
//!   [`EmulatorConfig::application`] (see [`ApplicationAuth`]), else 401; v1 reads
//!   `api_key` / `api_secret` from the query string or a form or JSON body, else from HTTP
//!   Basic, and answers "2" when they are missing and "4" `Bad credentials` for any other pair;
//! - codes are random digits from a CSPRNG, `code_length` long (v2: 4–10, v1: 4 or 6;
//!   default 4), except for configured test numbers, which always get their fixed code;
//! - one live request per number: a second start answers v2 409 / v1 status "10" with the
//!   live `request_id`;
//! - v2 timing: `channel_timeout` (15–900 s, default [`EmulatorConfig::code_ttl`]; out of
//!   range → 422 with `invalid_parameters`) and the `workflow` array (channels `sms`,
//!   `voice`, `whatsapp`, `rcs`, `silent_auth`; others → 422; see [`v2_routes`] for each
//!   channel's fields). The first channel is delivered at the start; each next one starts by
//!   itself when the current one's `channel_timeout` elapses; the request ends (check → 404,
//!   number free) when the last channel's timeout elapses. One code for the whole request.
//!   A WhatsApp or RCS step to a number it cannot reach fails at once and the next step is
//!   made at the same moment (cause `fallback`; see [`reachability`]). A `silent_auth` first
//!   step sends nothing: the start answers a `check_url` for the device (see [`v2_routes`]);
//! - v1 timing: `workflow_id` 1–7 (default 1) picks the preset sequence and its default waits
//!   (1: SMS, voice, voice with 125, 180, 300 s; 2: SMS, SMS, voice, same waits; 3: voice,
//!   voice, 150, 150; 4: SMS, SMS, 120, 180; 5: SMS, voice, 120, 180; 6: SMS, 7: voice, each
//!   waiting the PIN expiry); `pin_expiry` 60–3600 s (default [`EmulatorConfig::code_ttl`]);
//!   `next_event_wait` 60–900 s replaces every wait. With both set, a `pin_expiry` that is not
//!   an integer multiple of `next_event_wait` is forced equal to it. Invalid values answer
//!   "3" `Invalid value for parameter <name>`. The first event is made at the start and each
//!   next one a wait later; an event made once the PIN has expired carries a new PIN, which
//!   also resets the wrong-code budget. The request ends (EXPIRED: check → "6", number free)
//!   when the last event's wait has elapsed and its PIN has expired. A check with an expired
//!   PIN while a later event is still due counts as a wrong code ("16");
//! - progression is lazy: whenever the state is touched (any API call, `GET /dev/messages`,
//!   `GET /dev/outbox`, [`Emulator::messages`]) every event that fell due is made, in time
//!   order, each stamped (`sent_at`) with the time it was due, not the time it was noticed;
//! - v2 `POST /v2/verify/{id}/next_workflow` (200, empty body) and v1
//!   `/verify/control/json?cmd=trigger_next_event` (`{status: "0", command}`) make the next
//!   event now (v1: with a new PIN if the old one has expired); the one after falls due a full
//!   wait later, and the skipped automatic event does not happen. With nothing left: v2 409
//!   `There are no more events left to trigger.` / v1 "19";
//! - every delivery is in the outbox with its `cause`: `start`, `next` (an explicit move),
//!   `auto` (a timeout), `fallback` (the step before failed) or `check_url` (the device
//!   opened a silent-authentication URL: an entry, nothing sent); SMS, WhatsApp and RCS texts
//!   say how long the code has left (v1: the PIN expiry; v2: the end of the request if nobody
//!   moves it on), voice reads the digits one by one;
//! - a wrong code answers v2 400 / v1 "16"; the `max_wrong_codes`-th wrong code ends the
//!   request with v2 410 / v1 "17" and frees the number. v1 documents 3 per PIN; v2's budget
//!   is undocumented, so the emulator assumes [`EmulatorConfig::max_wrong_codes`];
//! - the right code answers v2 200 `{request_id, status: "completed"}` / v1 status "0", then
//!   the request is gone (404 / "6");
//! - a malformed body or number answers v2 422 / v1 "3" (v1 "2" for a missing parameter);
//! - cancel: v2 `DELETE /v2/verify/{id}` (204) at any time; for
//!   [`EmulatorConfig::cancel_settle`] (default 5 s) a start for that number then answers 409
//!   (v1 "10") with the cancelled `request_id`, as Vonage is reported to do, after which the
//!   number is free. v1 `/verify/control/json?cmd=cancel` (`{status: "0", command}`) only
//!   from 30 s after the start and before the second event, else "19"; it frees the number at
//!   once;
//! - control calls on a request that is not live answer v2 404 / v1 "6".
//!
//! Ended requests are purged on every call, the outbox keeps the newest 200 messages and at
//! most 10 000 requests (plus numbers settling after a cancel) are live at once (then starts
//! answer v2 429 / v1 "1").
//!
//! The same server also speaks Twilio Verify v2 (`/v2/Services/{VA}/…`, see [`twilio`]'s
//! rules), with its own verifications but the same outbox and clock.
//!
//! Faults (latency, error statuses, timeouts, connection resets, cut or non-JSON bodies, a
//! wrong content type, and any documented v1 status or v2 problem, optionally for one
//! operation only) can be switched on for the API routes at runtime with `POST /dev/faults`
//! or [`Emulator::set_fault`]; see [`faults`] for the contract. `GET|POST /dev/clock` shows
//! and moves the emulator's time; see [`dev_clock`]. `GET|POST|DELETE /dev/reachability`
//! says which numbers RCS, WhatsApp and silent authentication reach; see [`reachability`].

mod auth;
pub mod captcha;
mod config;
pub mod dev_clock;
mod fault_inject;
mod fault_listener;
pub mod faults;
mod message;
mod outbox;
mod outcomes;
mod problem;
pub mod reachability;
mod state;
mod timeline;
pub mod twilio;
mod v1_params;
mod v1_routes;
mod v1_timing;
pub mod v2_routes;

pub use auth::jwt::{ApplicationAuth, PublicKey};
pub use config::EmulatorConfig;
pub use faults::{Fault, FaultSetting, Operation};
pub use outbox::{DeliveryCause, OutboxMessage};
pub use reachability::ReachabilitySetting;

use app_clock::Clock;
use fault_listener::{FaultListener, ResetHandle};
use faults::FaultSwitch;
use state::EmulatorState;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// A running set of emulator rules and its outbox. Cheap to clone: clones share state.
#[derive(Clone)]
pub struct Emulator {
    state: Arc<EmulatorState>,
    twilio: Arc<twilio::state::TwilioState>,
    faults: Arc<FaultSwitch>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Emulator")
    }
}

impl Emulator {
    /// An emulator with no requests and an empty outbox; `clock` decides expiry.
    pub fn new(config: EmulatorConfig, clock: Arc<dyn Clock>) -> Self {
        let (test_numbers, webotp_host) = (config.test_numbers.clone(), config.webotp_host.clone());
        let state = Arc::new(EmulatorState::new(config, clock));
        let twilio = twilio::state::TwilioState::new(state.clone(), &test_numbers, webotp_host);
        Self {
            twilio: Arc::new(twilio),
            state,
            faults: Arc::new(FaultSwitch::default()),
        }
    }

    /// The vendor-compatible API: `POST /v2/verify`, `POST|DELETE /v2/verify/{id}`,
    /// `POST /v2/verify/{id}/next_workflow`, `GET|POST /verify/json`,
    /// `GET|POST /verify/check/json`, `GET|POST /verify/control/json`. Every call goes
    /// through the current [`Fault`] (the `reset` fault needs [`Self::serve`]). Plus the
    /// Twilio-compatible API (`/v2/Services/{VA}/…`, see [`twilio`]), which the generic faults
    /// (latency, statuses, resets, bodies) reach too. Plus the device's silent-authentication
    /// `GET /v2/verify/{id}/silent-auth/{token}` (a start's `check_url`), which faults never
    /// reach: it stands for the mobile network, not the Verify API.
    pub fn api_router(&self) -> axum::Router {
        let vonage = v2_routes::routes()
            .merge(v1_routes::routes())
            .with_state(self.state.clone());
        let device = v2_routes::device_routes().with_state(self.state.clone());
        vonage
            .merge(twilio::routes(self.twilio.clone()))
            .route_layer(axum::middleware::from_fn_with_state(
                self.faults.clone(),
                fault_inject::inject,
            ))
            .merge(device)
    }

    /// The developer pages: `GET /dev/messages` (JSON array of [`OutboxMessage`], newest
    /// first), `GET /dev/outbox` (HTML, refreshes every 3 s), the fault switch
    /// `GET|POST /dev/faults` (JSON [`FaultSetting`], see [`faults`]) and the emulator's time
    /// `GET|POST /dev/clock` (see [`dev_clock`]), which numbers RCS, WhatsApp and silent
    /// authentication reach `GET|POST|DELETE /dev/reachability` (see [`reachability`]) and the
    /// CAPTCHA stand-ins under `/dev/captcha/` (see [`captcha`]). Codes in clear: mount only
    /// in development.
    pub fn dev_router(&self) -> axum::Router {
        outbox::routes()
            .merge(dev_clock::routes())
            .merge(reachability::routes())
            .with_state(self.state.clone())
            .merge(faults::routes().with_state(self.faults.clone()))
            .merge(captcha::routes())
    }

    /// Binds `addr` (port 0 picks a free port), serves [`Self::api_router`] and
    /// [`Self::dev_router`] (wrapped by `guard_dev`, where the host adds its cross-site
    /// refusal) there on a spawned tokio task, and returns the bound address. The server runs
    /// until the runtime shuts down.
    pub async fn serve(
        &self,
        addr: SocketAddr,
        guard_dev: impl FnOnce(axum::Router) -> axum::Router,
    ) -> std::io::Result<SocketAddr> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let bound = listener.local_addr()?;
        let router = self.api_router().merge(guard_dev(self.dev_router()));
        let service = router.into_make_service_with_connect_info::<ResetHandle>();
        tokio::spawn(async move {
            if let Err(error) = axum::serve(FaultListener::new(listener), service).await {
                tracing::error!(target: "emulator", %error, "Verify emulator stopped");
            }
        });
        Ok(bound)
    }

    /// Replaces the fault applied to the API routes (the same switch as `POST /dev/faults`);
    /// `Err` names an out-of-range field and leaves the setting unchanged.
    pub fn set_fault(&self, setting: FaultSetting) -> Result<(), String> {
        setting.validate()?;
        self.faults.set(setting);
        Ok(())
    }

    /// Changes which numbers RCS, WhatsApp and silent authentication reach (the same switch
    /// as `POST /dev/reachability`, see [`reachability`]); `Err` says why the change was
    /// refused and nothing changes.
    pub fn set_reachability(&self, setting: &ReachabilitySetting) -> Result<(), String> {
        self.state.set_reachability(setting).map(|_| ())
    }

    /// Back to the configured reachability (as `DELETE /dev/reachability`).
    pub fn reset_reachability(&self) {
        self.state.reset_reachability();
    }

    /// The fault setting in force (as `GET /dev/faults` shows it).
    pub fn fault(&self) -> FaultSetting {
        self.faults.get()
    }

    /// Every message "sent" so far (at most the newest 200), newest first; deliveries that
    /// fell due since the last look are made first (stamped with their due time).
    pub fn messages(&self) -> Vec<OutboxMessage> {
        self.state.messages()
    }

    /// Moves the emulator's time forward by `by` (an offset on top of the injected clock,
    /// as `POST /dev/clock` does; about 100 years in total at most); events that fall due
    /// are made on the next look.
    pub fn advance(&self, by: Duration) {
        self.state.advance(by);
    }

    /// The emulator's time: the injected clock plus every [`Self::advance`].
    pub fn now(&self) -> std::time::SystemTime {
        self.state.now()
    }

    /// How far every [`Self::advance`] (`POST /dev/clock`) has moved the emulator's time in
    /// all: what a clock following the emulator adds to its own.
    pub fn offset(&self) -> Duration {
        self.state.offset()
    }
}

/// E.164 digits without `+`: 7 to 15 digits, no leading zero.
fn valid_number(to: &str) -> bool {
    (7..=15).contains(&to.len()) && to.bytes().all(|b| b.is_ascii_digit()) && !to.starts_with('0')
}

#[cfg(test)]
mod tests;
