//! Counting one event against every rule it falls under, atomically: the event is counted
//! first with one store operation that answers the new counts, and taken back when any count
//! is over its limit, so however many requests run in parallel at most the limit see room.

use super::{Check, LimitRefusal, RateLimiter};
use crate::auth::server::limit_rule::{estimate, wait_secs, window_of, Rule};
use crate::auth::server::store::counters::CounterChange;
use crate::auth::server::StoreError;

impl RateLimiter {
    /// Counts `weight` events in every rule of every check; when one is over its limit,
    /// takes the counts back and refuses. Two store round trips whatever the number of rules
    /// (the previous windows, then every count at once), three when refusing.
    pub(super) async fn allow(
        &self,
        checks: &[Check],
        weight: i32,
        now: u64,
    ) -> Result<(), LimitRefusal> {
        let rules: Vec<(&'static str, Rule, CounterChange)> = checks
            .iter()
            .flat_map(|(scope, key, rules)| rules.iter().map(move |rule| (*scope, key, *rule)))
            .map(|(scope, key, rule)| (scope, rule, change(key, rule, now, weight)))
            .collect();
        let previous_windows: Vec<(String, u64)> = rules
            .iter()
            .map(|(_, rule, c)| {
                let previous = c.window_start.saturating_sub(rule.window.as_secs());
                (c.key.clone(), previous)
            })
            .collect();
        let previous = self
            .store
            .get_many(&previous_windows)
            .await
            .map_err(store_failed)?;
        let changes: Vec<CounterChange> = rules.iter().map(|(_, _, c)| c.clone()).collect();
        let current = self.store.add_many(&changes).await.map_err(store_failed)?;
        let over = rules.iter().zip(previous.iter().zip(&current)).find_map(
            |((scope, rule, c), (&previous, &current))| {
                let elapsed = now - c.window_start;
                let previous = if c.window_start < rule.window.as_secs() {
                    0
                } else {
                    previous
                };
                (estimate(*rule, previous, current, elapsed) > f64::from(rule.max)).then(|| {
                    LimitRefusal::Limited {
                        scope,
                        retry_after_secs: wait_secs(
                            *rule,
                            previous,
                            current.saturating_sub(weight.unsigned_abs()),
                            elapsed,
                        ),
                    }
                })
            },
        );
        let Some(refusal) = over else {
            return Ok(());
        };
        let undo: Vec<CounterChange> = changes
            .into_iter()
            .map(|c| CounterChange {
                delta: -weight,
                ..c
            })
            .collect();
        // A counter left one too high only refuses a little early; never an extra send.
        if let Err(error) = self.store.add_many(&undo).await {
            store_failed(error);
        }
        Err(refusal)
    }
}

/// The change of `key` under `rule` in the window holding `at`.
pub(super) fn change(key: &str, rule: Rule, at: u64, delta: i32) -> CounterChange {
    let (key, window_start, expires_at) = window_of(key, rule, at);
    CounterChange {
        key,
        window_start,
        delta,
        expires_at,
    }
}

pub(super) fn store_failed(error: StoreError) -> LimitRefusal {
    tracing::error!(%error, "rate-limit counter store failed");
    metrics::counter!(crate::auth::server::metrics_names::STORE_ERRORS).increment(1);
    LimitRefusal::StoreUnavailable
}
