//! The guard's counters: one send counted in every scope of a number, each scope's four
//! counts read in one round trip, and a blocked scope's counts zeroed and taken out of the
//! wider scopes around it.

use super::judge::{ScopeCounts, Window};
use super::{FraudGuard, Scopes};
use crate::auth::server::counter_store::CounterChange;
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

    /// Zeroes the blocked scope's counts and takes them out of the wider scopes.
    pub(super) async fn absorb(
        &self,
        counts: &[ScopeCounts],
        blocked: usize,
        window: Window,
    ) -> Result<(), StoreError> {
        let gone = &counts[blocked];
        let mut changes: Vec<CounterChange> = gone.zeroing(window).collect();
        for wider in &counts[blocked + 1..] {
            changes.extend(gone.subtracted_from(&wider.scope, window));
        }
        self.counters.add_many(&changes).await.map(|_| ())
    }
}

pub(super) fn sends_key(scope: &str) -> String {
    format!("guard:sent:{scope}")
}

pub(super) fn verified_key(scope: &str) -> String {
    format!("guard:verified:{scope}")
}
