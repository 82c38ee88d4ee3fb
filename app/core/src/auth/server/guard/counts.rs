//! The guard's counters: one send counted in every scope of a number, each scope's four
//! counts read in one round trip, and a blocked scope's own counts zeroed (the wider scopes
//! around it keep them).

use super::judge::{ScopeCounts, Window};
use super::{FraudGuard, Scopes};
use crate::auth::server::store::counters::CounterChange;
use crate::auth::server::StoreError;

impl FraudGuard {
    /// Counts one send in every scope and reads each scope's four counts.
    pub(super) async fn count_send(
        &self,
        scopes: &Scopes,
        window: Window,
    ) -> Result<Vec<ScopeCounts>, StoreError> {
        let changes: Vec<CounterChange> = scopes
            .0
            .iter()
            .map(|scope| window.change(&sends_key(scope), window.current, 1))
            .collect();
        let sent_now = self.counters.add_many(&changes).await?;
        let mut counts = self.read_other_counts(&scopes.0, window).await?;
        for (scope, sent) in counts.iter_mut().zip(sent_now) {
            scope.sent_current = sent;
        }
        Ok(counts)
    }

    /// The four counts of each scope.
    pub(super) async fn read_counts(
        &self,
        scopes: &[String],
        window: Window,
    ) -> Result<Vec<ScopeCounts>, StoreError> {
        let mut counts = self.read_other_counts(scopes, window).await?;
        let current: Vec<(String, u64)> = scopes
            .iter()
            .map(|s| (window.key(&sends_key(s)), window.current))
            .collect();
        for (scope, sent) in counts
            .iter_mut()
            .zip(self.counters.get_many(&current).await?)
        {
            scope.sent_current = sent;
        }
        Ok(counts)
    }

    /// Every count of each scope but the current window's sends (left 0), in one read.
    pub(super) async fn read_other_counts(
        &self,
        scopes: &[String],
        window: Window,
    ) -> Result<Vec<ScopeCounts>, StoreError> {
        let mut wanted = Vec::with_capacity(scopes.len() * 3);
        for scope in scopes {
            wanted.push((window.key(&sends_key(scope)), window.previous));
            wanted.push((window.key(&verified_key(scope)), window.current));
            wanted.push((window.key(&verified_key(scope)), window.previous));
        }
        let read = self.counters.get_many(&wanted).await?;
        Ok(scopes
            .iter()
            .zip(read.chunks(3))
            .map(|(scope, c)| ScopeCounts {
                scope: scope.clone(),
                sent_current: 0,
                sent_previous: c[0],
                verified_current: c[1],
                verified_previous: c[2],
            })
            .collect())
    }

    /// Zeroes the blocked scope's own counts, so it starts afresh after its block. The wider
    /// scopes around it keep them: they are judged on every send into them, including those
    /// to the ranges blocked inside them (a bot moving from range to range fills them up).
    pub(super) async fn clear(
        &self,
        blocked: &ScopeCounts,
        window: Window,
    ) -> Result<(), StoreError> {
        let changes: Vec<CounterChange> = blocked.zeroing(window).collect();
        self.counters.add_many(&changes).await.map(|_| ())
    }
}

pub(super) fn sends_key(scope: &str) -> String {
    format!("guard:sent:{scope}")
}

pub(super) fn verified_key(scope: &str) -> String {
    format!("guard:verified:{scope}")
}
