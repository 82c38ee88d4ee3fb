//! A silent-authentication first step: its single-use `check_url` token and what opening
//! the URL does to the request.

use super::{Channel, Deliverer, Pending};
use crate::message::deliver;
use crate::outbox::{DeliveryCause, OutboxMessage};
use std::time::SystemTime;

/// The state of a workflow's silent-authentication step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SilentAuth {
    /// The secret last segment of `check_url`.
    pub(crate) token: String,
    /// The start's `redirect_url`: where the device is sent after opening `check_url`.
    pub(crate) redirect_url: Option<String>,
    /// Whether `check_url` was opened (it works once).
    opened: bool,
}

impl SilentAuth {
    pub(crate) fn new(token: String, redirect_url: Option<String>) -> Self {
        Self {
            token,
            redirect_url,
            opened: false,
        }
    }
}

/// What opening `check_url` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CheckUrlOutcome {
    /// The network confirmed the number: the device gets the code (for the start's
    /// `redirect_url`, if any); the request now waits for that code.
    Completed {
        code: String,
        redirect_url: Option<String>,
    },
    /// The network could not confirm the number: the next step was made (its deliveries are
    /// in the outbox) or, with none, the request ended.
    Failed { redirect_url: Option<String> },
    /// The right token, but it was used already or the silent step is no longer current.
    Spent,
    /// No live request with this id, or not this token.
    NotFound,
}

impl Pending {
    /// Whether the current step is silent authentication still waiting for the device (a code
    /// check then answers 409 no-code).
    pub(crate) fn waits_for_device(&self) -> bool {
        self.channel() == Channel::SilentAuth && !self.awaiting_code
    }

    /// The device opens `check_url` with `token` at `at`. Success (unless the reachability
    /// says silent authentication fails for the number) records a `silent_auth` outbox entry
    /// with the code; failure makes the next step at once (cause `fallback`). Returns the
    /// outcome and the outbox entries made.
    pub(crate) fn open_check_url(
        &mut self,
        request_id: &str,
        token: &str,
        at: SystemTime,
        d: &Deliverer<'_>,
    ) -> (CheckUrlOutcome, Vec<OutboxMessage>) {
        let current = self.channel() == Channel::SilentAuth && !self.awaiting_code;
        let Some(silent) = self.silent.as_mut().filter(|s| s.token == token) else {
            return (CheckUrlOutcome::NotFound, Vec::new());
        };
        if silent.opened || !current {
            return (CheckUrlOutcome::Spent, Vec::new());
        }
        silent.opened = true;
        let redirect_url = silent.redirect_url.clone();
        if d.reach.reaches(&self.number, Channel::SilentAuth) {
            self.awaiting_code = true;
            self.step_at = at;
            let entry = deliver(self, request_id, at, DeliveryCause::CheckUrl, None);
            let code = self.code.clone();
            let outcome = CheckUrlOutcome::Completed { code, redirect_url };
            return (outcome, vec![entry]);
        }
        tracing::info!(target: "emulator", to = %self.number, "silent authentication failed");
        let made = if self.has_next() {
            self.step += 1;
            self.enter(request_id, at, DeliveryCause::Fallback, d)
        } else {
            self.failed_at = Some(at);
            Vec::new()
        };
        (CheckUrlOutcome::Failed { redirect_url }, made)
    }
}
