//! Failed attempts counted per factor: wrong codes per destination number, across sessions,
//! codes and restarts (NIST SP 800-63B-4 §3.1.3.2: a new code never resets the count), and
//! refused passkey answers per credential. A factor's failures lock only that factor, so a
//! stranger typing wrong codes for a number cannot lock its owner's passkey.

use super::{store_failed, LimitRefusal, RateLimiter};
use crate::auth::server::limit_rule::{estimate, wait_secs, window_of};

/// Recent wrong codes for one destination number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failures {
    /// Wrong codes that still count (the highest over the rules).
    pub count: u32,
    /// Wrong codes allowed before the number is locked (the tightest rule's room).
    pub left: u32,
    /// Seconds until one more try is allowed, when none is left now.
    pub blocked_for: Option<u64>,
}

impl RateLimiter {
    /// Counts one wrong code for `number_e164` (one atomic store operation per rule) and
    /// answers the updated [`Failures`].
    pub async fn record_failure(
        &self,
        number_e164: &str,
        now: u64,
    ) -> Result<Failures, LimitRefusal> {
        self.record_failure_of(&failure_key(number_e164), now).await
    }

    /// Forgets the wrong codes of `number_e164` (after a right one, or a passkey sign-in of
    /// its account).
    pub async fn clear_failures(&self, number_e164: &str, now: u64) -> Result<(), LimitRefusal> {
        self.clear_failures_of(&failure_key(number_e164), now).await
    }

    /// The wrong codes that still count for `number_e164`.
    pub async fn failures(&self, number_e164: &str, now: u64) -> Result<Failures, LimitRefusal> {
        self.failures_of(&failure_key(number_e164), now).await
    }

    /// Counts one refused passkey answer for the credential `credential_id` (same rules as
    /// wrong codes per number, counted apart).
    pub async fn record_passkey_failure(
        &self,
        credential_id: &str,
        now: u64,
    ) -> Result<Failures, LimitRefusal> {
        self.record_failure_of(&passkey_failure_key(credential_id), now)
            .await
    }

    /// The refused answers that still count for the credential `credential_id`.
    pub async fn passkey_failures(
        &self,
        credential_id: &str,
        now: u64,
    ) -> Result<Failures, LimitRefusal> {
        self.failures_of(&passkey_failure_key(credential_id), now)
            .await
    }

    /// Forgets the refused answers of `credential_id` (after it signed in).
    pub async fn clear_passkey_failures(
        &self,
        credential_id: &str,
        now: u64,
    ) -> Result<(), LimitRefusal> {
        self.clear_failures_of(&passkey_failure_key(credential_id), now)
            .await
    }

    async fn record_failure_of(&self, key: &str, now: u64) -> Result<Failures, LimitRefusal> {
        for rule in &self.policy.failed_per_number {
            let (rule_key, start, expires) = window_of(key, *rule, now);
            self.store
                .add(&rule_key, start, 1, expires)
                .await
                .map_err(store_failed)?;
        }
        self.failures_of(key, now).await
    }

    async fn clear_failures_of(&self, key: &str, now: u64) -> Result<(), LimitRefusal> {
        for rule in &self.policy.failed_per_number {
            let (rule_key, start, _) = window_of(key, *rule, now);
            let window = rule.window.as_secs();
            for window_start in [Some(start), start.checked_sub(window)]
                .into_iter()
                .flatten()
            {
                self.store
                    .delete(&rule_key, window_start)
                    .await
                    .map_err(store_failed)?;
            }
        }
        Ok(())
    }

    async fn failures_of(&self, key: &str, now: u64) -> Result<Failures, LimitRefusal> {
        let mut failures = Failures {
            count: 0,
            left: u32::MAX,
            blocked_for: None,
        };
        let rules = &self.policy.failed_per_number;
        // Both windows of every rule in one round trip: [current, previous] per rule.
        let windows: Vec<(String, u64)> = rules
            .iter()
            .flat_map(|rule| {
                let (rule_key, start, _) = window_of(key, *rule, now);
                let previous = start.saturating_sub(rule.window.as_secs());
                [(rule_key.clone(), start), (rule_key, previous)]
            })
            .collect();
        let counts = self.store.get_many(&windows).await.map_err(store_failed)?;
        for (rule, pair) in rules.iter().zip(counts.chunks(2)) {
            let (_, start, _) = window_of(key, *rule, now);
            let current = pair.first().copied().unwrap_or(0);
            let previous = match start < rule.window.as_secs() {
                true => 0,
                false => pair.get(1).copied().unwrap_or(0),
            };
            let estimate = estimate(*rule, previous, current, now - start);
            let used = estimate.ceil() as u32;
            failures.count = failures.count.max(used);
            failures.left = failures.left.min(rule.max.saturating_sub(used));
            if estimate + 1.0 > f64::from(rule.max) {
                let wait = wait_secs(*rule, previous, current, now - start);
                failures.blocked_for = Some(failures.blocked_for.unwrap_or(0).max(wait));
            }
        }
        if failures.left == u32::MAX {
            failures.left = 0;
        }
        Ok(failures)
    }
}

fn failure_key(number_e164: &str) -> String {
    format!("failed:number:{number_e164}")
}

fn passkey_failure_key(credential_id: &str) -> String {
    format!("failed:passkey:{credential_id}")
}
