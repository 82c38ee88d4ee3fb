//! The maps behind [`EmulatorState`](super::EmulatorState): live requests by id and by
//! number, numbers settling after a v2 cancel, the clock offset, the reachability settings
//! and the outbox, and how they are brought up to a given time.

use crate::outbox::Outbox;
use crate::reachability::Reachability;
use crate::timeline::{Deliverer, Pending};
use std::collections::HashMap;
use std::time::{Duration, SystemTime};

/// A number whose v2 request was cancelled moments ago.
pub(super) struct Settling {
    pub(super) request_id: String,
    pub(super) until: SystemTime,
}

#[derive(Default)]
pub(super) struct Inner {
    pub(super) by_id: HashMap<String, Pending>,
    /// Number (E.164 with `+`) → id of its live request.
    pub(super) by_number: HashMap<String, String>,
    /// Number → the v2 request cancelled on it, until its settling window closes.
    pub(super) settling: HashMap<String, Settling>,
    /// Nothing changes by itself before this (a lower bound), so most calls skip the scan.
    pub(super) next_wake: Option<SystemTime>,
    /// Added to the injected clock (`/dev/clock`, [`crate::Emulator::advance`]).
    pub(super) offset: Duration,
    pub(super) outbox: Outbox,
    /// Which numbers RCS, WhatsApp and silent authentication reach (`/dev/reachability`).
    pub(super) reach: Reachability,
}

impl Inner {
    /// Brings every request up to `now`: makes due events (stamped with their due time, in
    /// time order), drops ended requests and closed settling windows.
    pub(super) fn catch_up(&mut self, now: SystemTime, webotp_host: Option<&str>) {
        if self.next_wake.is_none_or(|wake| wake > now) {
            return;
        }
        let mut made = Vec::new();
        let d = Deliverer {
            webotp_host,
            reach: &self.reach,
        };
        for (request_id, pending) in &mut self.by_id {
            made.extend(pending.catch_up(request_id, now, &d));
        }
        made.sort_by_key(|(at, _)| *at);
        for (_, message) in made {
            self.outbox.push(message);
        }
        self.by_id
            .retain(|_, pending| pending.ends_at().is_none_or(|end| end > now));
        let by_id = &self.by_id;
        self.by_number.retain(|_, id| by_id.contains_key(id));
        self.settling.retain(|_, settling| settling.until > now);
        self.recompute_wake();
    }

    pub(super) fn recompute_wake(&mut self) {
        let requests = self.by_id.values().map(Pending::wakes_at);
        let settling = self.settling.values().map(|s| s.until);
        self.next_wake = requests.chain(settling).min();
    }

    pub(super) fn wake_by(&mut self, at: SystemTime) {
        self.next_wake = Some(self.next_wake.map_or(at, |wake| wake.min(at)));
    }

    pub(super) fn insert(&mut self, request_id: String, pending: Pending) {
        self.wake_by(pending.wakes_at());
        self.by_number
            .insert(pending.number.clone(), request_id.clone());
        self.by_id.insert(request_id, pending);
    }

    pub(super) fn remove(&mut self, request_id: &str) -> Option<Pending> {
        let pending = self.by_id.remove(request_id)?;
        self.by_number.remove(&pending.number);
        Some(pending)
    }
}
