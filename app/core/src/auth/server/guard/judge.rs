//! The guard's arithmetic: fixed windows, sliding-window estimates of sends and successful
//! checks per scope, and which scope (if any) fails the conversion threshold.

use super::{sends_key, verified_key, GuardSettings};
use crate::auth::server::store::counters::CounterChange;
use std::time::Duration;

/// The two fixed windows a sliding window is estimated from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Window {
    /// Window length, seconds.
    pub length: u64,
    /// Start of the current window.
    pub current: u64,
    /// Start of the previous one.
    pub previous: u64,
    /// Seconds since the current window began.
    pub elapsed: u64,
}

impl Window {
    pub fn at(length: Duration, now: u64) -> Self {
        let length = length.as_secs().max(1);
        let current = now - now % length;
        Self {
            length,
            current,
            previous: current.saturating_sub(length),
            elapsed: now - current,
        }
    }

    /// The counter key of `base` for windows of this length.
    pub fn key(&self, base: &str) -> String {
        format!("{base}:{}", self.length)
    }

    /// A change of `delta` to `base`'s counter in the window starting at `start`.
    pub fn change(&self, base: &str, start: u64, delta: i32) -> CounterChange {
        CounterChange {
            key: self.key(base),
            window_start: start,
            delta,
            expires_at: start + 2 * self.length,
        }
    }

    /// The previous window's weight in the sliding estimate.
    fn overlap(&self) -> f64 {
        (self.length - self.elapsed) as f64 / self.length as f64
    }
}

/// One scope's counts in the two windows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ScopeCounts {
    pub scope: String,
    pub sent_current: u32,
    pub sent_previous: u32,
    pub verified_current: u32,
    pub verified_previous: u32,
}

impl ScopeCounts {
    /// Estimated sends and successful checks in the last window.
    fn estimate(&self, window: Window) -> (f64, f64) {
        let overlap = window.overlap();
        (
            f64::from(self.sent_previous) * overlap + f64::from(self.sent_current),
            f64::from(self.verified_previous) * overlap + f64::from(self.verified_current),
        )
    }

    /// Verified / sent in the last window, when anything was sent.
    pub fn conversion(&self, window: Window) -> Option<f64> {
        let (sent, verified) = self.estimate(window);
        (sent > 0.0).then(|| (verified / sent).min(1.0))
    }

    /// The estimates rounded, for the block's record.
    pub fn totals(&self, window: Window) -> (u32, u32) {
        let (sent, verified) = self.estimate(window);
        (sent.round() as u32, verified.round() as u32)
    }

    /// Whether, judged on the sends before the one just counted, the scope has `min_sends`
    /// of them and converts too little.
    fn fails(&self, window: Window, min_sends: u32, min_conversion: f64) -> bool {
        let (sent, verified) = self.estimate(window);
        let before = sent - 1.0;
        before >= f64::from(min_sends) && before > 0.0 && verified / before < min_conversion
    }

    /// Whether, before this send is counted, the scope has half of `min_sends` or more and
    /// converts too little: it is on its way to a block.
    fn strains(&self, window: Window, min_sends: u32, min_conversion: f64) -> bool {
        let (sent, verified) = self.estimate(window);
        sent > 0.0 && sent >= f64::from(min_sends) / 2.0 && verified / sent < min_conversion
    }

    /// Whether the scope's own sends convert: some of its codes were checked, and at least
    /// `min_conversion` of its sends (before this one, when `counted`) ended signed in. A
    /// range that converts goes on under a block on a wider scope around it.
    pub fn converts(&self, window: Window, min_conversion: f64, counted: bool) -> bool {
        let (sent, verified) = self.estimate(window);
        let before = if counted { sent - 1.0 } else { sent };
        verified > 0.0 && verified >= min_conversion * before
    }

    /// The changes that bring this scope's own counters to zero.
    pub fn zeroing(&self, window: Window) -> impl Iterator<Item = CounterChange> {
        let scope = &self.scope;
        let mut changes = Vec::with_capacity(4);
        let mut take = |base: String, start: u64, count: u32| {
            if count > 0 {
                let delta = -i32::try_from(count).unwrap_or(i32::MAX);
                changes.push(window.change(&base, start, delta));
            }
        };
        take(sends_key(scope), window.current, self.sent_current);
        take(sends_key(scope), window.previous, self.sent_previous);
        take(verified_key(scope), window.current, self.verified_current);
        take(verified_key(scope), window.previous, self.verified_previous);
        changes.into_iter()
    }
}

/// The most specific scope (they come most specific first) that fails the threshold. Each
/// wider scope needs twice the volume of the one inside it: a wider scope adds up traffic
/// from ranges the narrower one does not see, so while a pumped range is still short of its
/// own volume, its country must not be judged on it (honest numbers there would be blocked).
/// A wider scope's counts keep the sends of the blocked ranges inside it, so a bot moving
/// from range to range fills it up.
pub(super) fn failing_scope(
    counts: &[ScopeCounts],
    window: Window,
    settings: &GuardSettings,
) -> Option<usize> {
    counts.iter().enumerate().position(|(level, c)| {
        let doubling = 1u32 << level.min(16);
        let min_sends = settings.min_sends.saturating_mul(doubling);
        c.fails(window, min_sends, settings.min_conversion)
    })
}

/// Whether any scope is on its way to a block (half the volume it needs, too little
/// conversion), with the same doubling of volume for wider scopes as [`failing_scope`].
pub(super) fn any_straining(
    counts: &[ScopeCounts],
    window: Window,
    settings: &GuardSettings,
) -> bool {
    counts.iter().enumerate().any(|(level, c)| {
        let doubling = 1u32 << level.min(16);
        let min_sends = settings.min_sends.saturating_mul(doubling);
        c.strains(window, min_sends, settings.min_conversion)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(sent: u32, verified: u32) -> ScopeCounts {
        ScopeCounts {
            scope: "prefix:+44770".into(),
            sent_current: sent,
            sent_previous: 0,
            verified_current: verified,
            verified_previous: 0,
        }
    }

    #[test]
    fn a_scope_is_judged_only_with_enough_sends_before_this_one() {
        let settings = GuardSettings::default();
        let window = Window::at(settings.window, 7200);
        let fails = |c: ScopeCounts| c.fails(window, settings.min_sends, settings.min_conversion);
        assert!(!fails(counts(20, 0)), "19 before: too few");
        assert!(fails(counts(21, 0)), "20 unverified before");
        assert!(!fails(counts(21, 7)), "35 % converts");
        assert!(fails(counts(21, 6)), "30 % does not");
    }

    #[test]
    fn a_scope_strains_from_half_its_volume_with_low_conversion() {
        let settings = GuardSettings::default();
        let window = Window::at(settings.window, 7200);
        assert!(
            !any_straining(&[counts(9, 0)], window, &settings),
            "9 of 20"
        );
        assert!(
            any_straining(&[counts(10, 0)], window, &settings),
            "10 of 20, none typed"
        );
        assert!(
            !any_straining(&[counts(10, 4)], window, &settings),
            "40 % converts"
        );
        let wider = [counts(0, 0), counts(15, 0)];
        assert!(
            !any_straining(&wider, window, &settings),
            "the wider scope needs 20"
        );
        let wider = [counts(0, 0), counts(20, 0)];
        assert!(any_straining(&wider, window, &settings));
    }

    #[test]
    fn the_previous_window_weighs_by_its_overlap() {
        let settings = GuardSettings::default();
        let half = Window::at(settings.window, 7200 + 1800);
        let c = ScopeCounts {
            sent_previous: 30,
            ..counts(6, 0)
        };
        assert_eq!(c.totals(half), (21, 0));
        assert!(c.fails(half, 20, 0.35));
        assert!(!c.fails(Window::at(settings.window, 7200 + 3000), 20, 0.35));
    }

    #[test]
    fn the_most_specific_failing_scope_is_chosen_and_wider_ones_need_more_volume() {
        let settings = GuardSettings::default();
        let window = Window::at(settings.window, 0);
        let list = [counts(5, 0), counts(50, 0), counts(90, 0)];
        assert_eq!(
            failing_scope(&list, window, &settings),
            Some(1),
            "40 needed"
        );
        let list = [counts(5, 0), counts(30, 0), counts(70, 0)];
        assert_eq!(
            failing_scope(&list, window, &settings),
            None,
            "40 and 80 needed"
        );
        let list = [counts(5, 0), counts(30, 0), counts(81, 0)];
        assert_eq!(failing_scope(&list, window, &settings), Some(2));
    }
}
