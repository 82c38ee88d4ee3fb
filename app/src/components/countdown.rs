use leptos::prelude::*;
use std::time::Duration;

/// Seconds left from `from_secs`, ticking down once a second in the browser. On the server
/// (and without JavaScript) it stays at `from_secs`, which is the truth at render time.
pub fn countdown(from_secs: u64) -> Signal<u64> {
    let left = RwSignal::new(from_secs);
    Effect::new(move |_| {
        let tick = move || left.update(|s| *s = s.saturating_sub(1));
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    left.into()
}
