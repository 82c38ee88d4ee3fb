//! The operations that stand for the phone's side: the device opening a silent-authentication
//! `check_url`, and which numbers RCS, WhatsApp and silent authentication reach.

use super::{CheckUrlOutcome, EmulatorState};
use crate::reachability::ReachabilitySetting;
use crate::timeline::Deliverer;
use serde_json::Value;

impl EmulatorState {
    /// The device opens the `check_url` of `request_id` with `token` (see
    /// [`crate::timeline::Pending::open_check_url`]); its outbox entries are recorded.
    pub(crate) fn open_check_url(&self, request_id: &str, token: &str) -> CheckUrlOutcome {
        let (mut guard, now) = self.lock_at_now();
        let inner = &mut *guard;
        let Some(pending) = inner.by_id.get_mut(request_id) else {
            return CheckUrlOutcome::NotFound;
        };
        let d = Deliverer {
            webotp_host: self.config.webotp_host.as_deref(),
            reach: &inner.reach,
        };
        let (outcome, made) = pending.open_check_url(request_id, token, now, &d);
        let wake = pending.wakes_at();
        for message in made {
            inner.outbox.push(message);
        }
        inner.wake_by(wake);
        outcome
    }

    /// The reachability in force, as `GET /dev/reachability` shows it.
    pub(crate) fn reachability(&self) -> Value {
        self.lock().reach.view()
    }

    /// Applies a reachability change; answers the new state, or why the change was refused.
    pub(crate) fn set_reachability(&self, setting: &ReachabilitySetting) -> Result<Value, String> {
        let mut inner = self.lock();
        inner.reach.apply(setting)?;
        tracing::info!(target: "emulator", ?setting, "emulator reachability changed");
        Ok(inner.reach.view())
    }

    /// Back to the configured reachability; answers it.
    pub(crate) fn reset_reachability(&self) -> Value {
        let mut inner = self.lock();
        inner.reach.reset();
        inner.reach.view()
    }
}
