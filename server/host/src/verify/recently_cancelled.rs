//! Requests this process cancelled moments ago. Vonage keeps reporting a cancelled request
//! as live for a few seconds (v2 409 with its id), so a start that runs into one of ours
//! must wait, not resume it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a cancelled id is remembered (well past Vonage's reported few seconds).
const REMEMBERED_FOR: Duration = Duration::from_secs(60);
/// At most this many ids are remembered; the oldest go first.
const CAPACITY: usize = 4096;

/// A bounded, time-limited set of request ids. Clones share the set.
#[derive(Clone, Debug, Default)]
pub(crate) struct RecentlyCancelled(Arc<Mutex<VecDeque<(String, Instant)>>>);

impl RecentlyCancelled {
    /// Remembers that `request_id` was cancelled now.
    pub(crate) fn note(&self, request_id: &str) {
        if let Ok(mut ids) = self.0.lock() {
            Self::forget_old(&mut ids);
            if ids.len() >= CAPACITY {
                ids.pop_front();
            }
            ids.push_back((request_id.to_owned(), Instant::now()));
        }
    }

    /// `true` when `request_id` was cancelled by this process within the last minute.
    pub(crate) fn contains(&self, request_id: &str) -> bool {
        self.0.lock().is_ok_and(|mut ids| {
            Self::forget_old(&mut ids);
            ids.iter().any(|(id, _)| id == request_id)
        })
    }

    fn forget_old(ids: &mut VecDeque<(String, Instant)>) {
        while ids
            .front()
            .is_some_and(|(_, at)| at.elapsed() > REMEMBERED_FOR)
        {
            ids.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_cancelled_ids_only() {
        let cancelled = RecentlyCancelled::default();
        cancelled.note("a");
        assert!(cancelled.contains("a"));
        assert!(!cancelled.contains("b"));
    }

    #[test]
    fn stays_bounded() {
        let cancelled = RecentlyCancelled::default();
        for i in 0..=CAPACITY {
            cancelled.note(&i.to_string());
        }
        assert!(!cancelled.contains("0"), "the oldest id made room");
        assert!(cancelled.contains(&CAPACITY.to_string()));
    }
}
