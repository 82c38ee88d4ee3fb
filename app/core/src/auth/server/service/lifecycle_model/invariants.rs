//! The invariants the lifecycle owns, read off the world after every step: the send
//! counters against what phones really received, and the number locks against the logins
//! that can still use them.

use super::provider::{Request, State};
use super::world::{World, NUMBERS};
use crate::auth::server::limit_rule::{window_of, Rule};
use crate::auth::server::store::counters::CounterStore;
use std::collections::HashMap;
use std::time::Duration;

impl World {
    /// Checks that every send counter covers the deliveries it stands for and stays within
    /// its limit: per number (each rule) and for the whole site. Answers the first breach.
    pub async fn check_send_counters(&self, requests: &[Request]) -> Result<(), String> {
        let now = self.now();
        let policy = self.ctx.limits.policy();
        let global = Rule {
            max: policy.global_per_hour,
            window: Duration::from_secs(3600),
        };
        let mut expected: HashMap<(String, u64), (u32, u32)> = HashMap::new();
        for r in requests {
            let key = format!("send:number:{}", r.number);
            let rules = policy.per_number.iter().map(|rule| (key.clone(), *rule));
            for (key, rule) in rules.chain([("send:global".to_owned(), global)]) {
                let (rule_key, start, _) = window_of(&key, rule, r.started_at);
                let entry = expected.entry((rule_key, start)).or_insert((0, rule.max));
                entry.0 += r.committed(now);
            }
        }
        for ((key, start), (deliveries, max)) in expected {
            let counted = self.counters.get(&key, start).await.unwrap_or(0);
            if counted < deliveries {
                return Err(format!(
                    "{key} window {start}: counter {counted} < {deliveries} deliveries"
                ));
            }
            if counted > max {
                return Err(format!(
                    "{key} window {start}: counter {counted} > limit {max}"
                ));
            }
        }
        Ok(())
    }

    /// Checks that a number's lock is held only while a login for it can still be used:
    /// the provider has a live request for it, or a browser's session a live pending login.
    pub async fn check_locks(&self, requests: &[Request]) -> Result<(), String> {
        let now = self.now();
        for (n, number) in NUMBERS.iter().enumerate() {
            if self.lock_holder(n).is_none() {
                continue;
            }
            let live_upstream = requests
                .iter()
                .any(|r| r.number == *number && r.state == State::Live);
            let mut live_pending = false;
            for browser in 0..3 {
                if let Some((pending, _, started_at)) = self.pending_of(browser).await {
                    let ttl = self.ctx.pending_ttl.as_secs();
                    live_pending |= pending == *number && now < started_at + ttl;
                }
            }
            if !live_upstream && !live_pending {
                return Err(format!("{number} stays locked after its login ended"));
            }
        }
        Ok(())
    }
}
