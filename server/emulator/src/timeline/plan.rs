//! A request's delivery plan: its channels in order and the wait after each.

use super::Channel;
use std::time::Duration;

/// The delivery plan of a request: its channels in order, the wait after each (before the
/// next event, or before the end for the last one) and, for v1, how long a PIN lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Never empty.
    pub(super) events: Vec<Channel>,
    /// As long as `events`.
    pub(super) waits: Vec<Duration>,
    /// v1 `pin_expiry`; `None` (v2): one code for the whole request.
    pub(super) code_lifetime: Option<Duration>,
}

impl Plan {
    /// `events` in order with `waits[i]` after event `i`; missing waits repeat the last one
    /// given (300 s if none), an empty `events` counts as `[Sms]`.
    pub(crate) fn new(
        events: &[Channel],
        waits: &[Duration],
        code_lifetime: Option<Duration>,
    ) -> Self {
        let events = if events.is_empty() {
            vec![Channel::Sms]
        } else {
            events.to_vec()
        };
        let fallback = waits.last().copied().unwrap_or(Duration::from_secs(300));
        let waits = (0..events.len())
            .map(|i| waits.get(i).copied().unwrap_or(fallback))
            .collect();
        Self {
            events,
            waits,
            code_lifetime,
        }
    }

    /// v2: every channel waits `channel_timeout` before the next one starts (or the request
    /// ends), and the code is the same throughout.
    pub(crate) fn every(events: &[Channel], channel_timeout: Duration) -> Self {
        Self::new(events, &[channel_timeout], None)
    }
}
