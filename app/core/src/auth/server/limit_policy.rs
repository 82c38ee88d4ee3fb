//! The limits the login enforces, as one policy: sends, checks, new sessions and wrong codes,
//! and how IPv6 clients are grouped.

use super::ip_buckets::WiderNetwork;
use super::limit_rule::Rule;
use std::time::Duration;

/// Every limit the login enforces.
#[derive(Clone, Debug)]
pub struct LimitPolicy {
    /// Code sends per destination number (starts; resends count too).
    pub per_number: Vec<Rule>,
    /// Code sends per client IP (an IPv6 client per network, see `ipv6_prefix`, and in
    /// each of `ipv6_wider`).
    pub per_ip: Vec<Rule>,
    /// Code sends per browser session.
    pub per_session: Vec<Rule>,
    /// Code sends per hour for the whole site; hitting it logs an alert.
    pub global_per_hour: u32,
    /// Code checks per client IP (against guessing across many logins; IPv6 as `per_ip`).
    pub checks_per_ip: Vec<Rule>,
    /// New anonymous sessions per client IP (a passkey sign-in's ceremony, a no-JavaScript
    /// error's one-shot message), so a flood from one address cannot fill the session
    /// store (IPv6 as `per_ip`).
    pub new_sessions_per_ip: Vec<Rule>,
    /// Consecutive wrong codes per destination number, across sessions, codes and restarts;
    /// a right code clears them (NIST SP 800-63B-4 §3.2.2 allows at most 100).
    pub failed_per_number: Vec<Rule>,
    /// IPv6 clients are counted per network of this prefix length (one customer usually
    /// holds a whole /64); IPv4 clients per address.
    pub ipv6_prefix: u8,
    /// Wider IPv6 networks a client is counted in too, each with its own budget: every
    /// per-address rule (`per_ip`, `checks_per_ip`, the human check's burst) times its
    /// factor, in the same windows. Only networks wider than `ipv6_prefix` count.
    pub ipv6_wider: Vec<WiderNetwork>,
}

impl Default for LimitPolicy {
    fn default() -> Self {
        let rule = |max, secs| Rule {
            max,
            window: Duration::from_secs(secs),
        };
        Self {
            per_number: vec![rule(3, 600), rule(10, 86_400)],
            per_ip: vec![rule(10, 3600)],
            per_session: vec![rule(5, 3600)],
            global_per_hour: 1000,
            checks_per_ip: vec![rule(30, 300)],
            new_sessions_per_ip: vec![rule(100, 600)],
            failed_per_number: vec![rule(10, 86_400)],
            ipv6_prefix: 64,
            ipv6_wider: WiderNetwork::DEFAULTS.to_vec(),
        }
    }
}
