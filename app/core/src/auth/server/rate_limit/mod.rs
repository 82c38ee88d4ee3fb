//! Send, check and wrong-code limits, checked before any SMS is sent or any code is checked
//! upstream. Counters live in a shared [`CounterStore`] (the session store's database), so
//! every server instance sees the same counts. Each rule is a sliding window estimated from
//! two fixed windows (current count plus the previous window's count weighted by how much
//! of it still overlaps), which avoids the double burst a plain fixed window allows at its
//! boundary.
//!
//! Every limit is atomic: an event is first counted with one store operation that answers
//! the new count, and taken back when that count is over the limit. However many requests
//! run in parallel, at most the limit see room.
//!
//! An IPv4 client is counted per address. An IPv6 client is counted in its network
//! (`ipv6_prefix`, a /64) and at once in each wider network of `ipv6_wider` (a /56 and a
//! /48), each with its own budget, so moving from /64 to /64 inside one /48 gains nothing
//! once the /48's budget is spent.

use super::ip_buckets::buckets_of;
pub use super::ip_buckets::{IpBucket, WiderNetwork};
pub use super::limit_policy::LimitPolicy;
pub use super::limit_rule::Rule;
use super::store::counters::{CounterChange, CounterStore};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

mod counting;
mod failed_codes;
use counting::{change, store_failed};
pub use failed_codes::Failures;

/// Why an event was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitRefusal {
    /// A limit is reached; retry after this many seconds.
    Limited {
        /// Which limit, for logs (`number`, `ip`, `ip_network` (a wider IPv6 network),
        /// `session`, `global`, `checks`, `checks_network`, `failed`).
        scope: &'static str,
        /// Seconds until the estimate drops below the limit (at most one window).
        retry_after_secs: u64,
    },
    /// The counter store failed; refusing is the safe answer when sends cost money.
    StoreUnavailable,
}

/// Applies a [`LimitPolicy`] with counters in a [`CounterStore`].
#[derive(Clone)]
pub struct RateLimiter {
    store: Arc<dyn CounterStore>,
    policy: LimitPolicy,
}

/// One counter one event touches: its scope, key and rules.
type Check = (&'static str, String, Vec<Rule>);

impl RateLimiter {
    /// A limiter over `store`.
    pub fn new(store: Arc<dyn CounterStore>, policy: LimitPolicy) -> Self {
        Self { store, policy }
    }

    /// The policy in force.
    pub fn policy(&self) -> &LimitPolicy {
        &self.policy
    }

    /// The key an IP is counted under first: the address for IPv4 (and IPv4-mapped IPv6),
    /// its `ipv6_prefix` network for IPv6.
    pub fn ip_bucket(&self, ip: IpAddr) -> String {
        let mut buckets = self.ip_buckets(ip);
        buckets.swap_remove(0).key
    }

    /// Every counter an IP is counted under, narrowest first: the address alone for IPv4
    /// (and IPv4-mapped IPv6); for IPv6 its `ipv6_prefix` network, then each wider network
    /// of `ipv6_wider` with its factor.
    pub fn ip_buckets(&self, ip: IpAddr) -> Vec<IpBucket> {
        buckets_of(ip, self.policy.ipv6_prefix, &self.policy.ipv6_wider)
    }

    /// The counters of `rules` for `ip`, per bucket: the narrowest under `scope`, wider
    /// networks under `wider_scope`, their keys prefixed by `kind`.
    fn ip_checks(
        &self,
        ip: IpAddr,
        kind: &str,
        (scope, wider_scope): (&'static str, &'static str),
        rules: &[Rule],
    ) -> Vec<Check> {
        self.ip_buckets(ip)
            .into_iter()
            .enumerate()
            .map(|(i, bucket)| {
                let scope = if i == 0 { scope } else { wider_scope };
                (
                    scope,
                    format!("{kind}:{}", bucket.key),
                    bucket.scaled(rules),
                )
            })
            .collect()
    }

    /// Allows and counts one code send to `number_e164` from `ip`, or refuses it without
    /// counting (per number, per IP and globally).
    pub async fn allow_send(
        &self,
        number_e164: &str,
        ip: Option<IpAddr>,
        now: u64,
    ) -> Result<(), LimitRefusal> {
        self.allow_send_from(number_e164, ip, None, now).await
    }

    /// As [`Self::allow_send`], plus the per-session rule for the session whose secret
    /// owner token is `session` (counted in the shared store, so parallel requests from
    /// one browser cannot slip past it either).
    pub async fn allow_send_from(
        &self,
        number_e164: &str,
        ip: Option<IpAddr>,
        session: Option<&str>,
        now: u64,
    ) -> Result<(), LimitRefusal> {
        self.allow_sends_from(number_e164, ip, session, 1, now)
            .await
    }

    /// As [`Self::allow_send_from`] for `deliveries` sends at once (a start that also
    /// schedules the provider's own call reserves both): all are counted, or none when any
    /// rule would go over its limit.
    pub async fn allow_sends_from(
        &self,
        number_e164: &str,
        ip: Option<IpAddr>,
        session: Option<&str>,
        deliveries: u32,
        now: u64,
    ) -> Result<(), LimitRefusal> {
        let checks = self.send_checks(number_e164, ip, session);
        let weight = i32::try_from(deliveries.max(1)).unwrap_or(i32::MAX);
        self.allow(&checks, weight, now).await
    }

    /// Adds `delta` to every send counter of a send (as [`Self::allow_send_from`] would count
    /// it) in the windows holding `at`, without refusing: `+1` counts a delivery the provider
    /// makes by itself (the call Vonage schedules at the start), `-1` gives it back when it
    /// was never made. Never takes a counter below zero; store failures are logged only.
    pub async fn adjust_sends(
        &self,
        number_e164: &str,
        ip: Option<IpAddr>,
        session: Option<&str>,
        at: u64,
        delta: i32,
    ) {
        let changes: Vec<CounterChange> = self
            .send_checks(number_e164, ip, session)
            .iter()
            .flat_map(|(_, key, rules)| rules.iter().map(move |rule| (key, *rule)))
            .map(|(key, rule)| change(key, rule, at, delta))
            .collect();
        // One round trip; the stores never take a count below zero.
        if let Err(error) = self.store.add_many(&changes).await {
            store_failed(error);
        }
    }

    fn global_rule(&self) -> Vec<Rule> {
        vec![Rule {
            max: self.policy.global_per_hour,
            window: Duration::from_secs(3600),
        }]
    }

    /// The counters one send touches: per number, global, per IP (when known: for IPv6 in
    /// each network) and per session (when given).
    fn send_checks(
        &self,
        number_e164: &str,
        ip: Option<IpAddr>,
        session: Option<&str>,
    ) -> Vec<Check> {
        let mut checks: Vec<Check> = vec![
            (
                "number",
                format!("send:number:{number_e164}"),
                self.policy.per_number.clone(),
            ),
            ("global", "send:global".to_owned(), self.global_rule()),
        ];
        if let Some(ip) = ip {
            let scopes = ("ip", "ip_network");
            checks.extend(self.ip_checks(ip, "send:ip", scopes, &self.policy.per_ip));
        }
        if let Some(session) = session {
            checks.push((
                "session",
                format!("send:session:{session}"),
                self.policy.per_session.clone(),
            ));
        }
        checks
    }

    /// Allows and counts one code check from `ip` (for IPv6 in each of its networks at
    /// once).
    pub async fn allow_check(&self, ip: Option<IpAddr>, now: u64) -> Result<(), LimitRefusal> {
        let Some(ip) = ip else { return Ok(()) };
        let scopes = ("checks", "checks_network");
        let checks = self.ip_checks(ip, "check:ip", scopes, &self.policy.checks_per_ip);
        self.allow(&checks, 1, now).await
    }

    /// Allows and counts one new anonymous session for `ip` (for IPv6 in each of its
    /// networks at once).
    pub async fn allow_new_session(
        &self,
        ip: Option<IpAddr>,
        now: u64,
    ) -> Result<(), LimitRefusal> {
        let Some(ip) = ip else { return Ok(()) };
        let scopes = ("sessions", "sessions_network");
        let rules = &self.policy.new_sessions_per_ip;
        let checks = self.ip_checks(ip, "session:ip", scopes, rules);
        self.allow(&checks, 1, now).await
    }
}

#[cfg(test)]
mod tests;
