//! The counters a client address is counted under: the address for IPv4, and for IPv6 its
//! own network plus wider ones (a /56, a /48), each with a multiple of the per-address
//! budget, so a client cannot mint fresh budgets from the /64s of one allocation.

use super::limit_rule::Rule;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A wider IPv6 network every client inside it is also counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WiderNetwork {
    /// Its prefix length (e.g. 48).
    pub prefix: u8,
    /// Its budget as a multiple of each per-address rule's count (at least 1).
    pub factor: u32,
}

impl WiderNetwork {
    /// The defaults: a /56 (a home or a small site) with 4 times a /64's budget, a /48 (a
    /// whole site or a free tunnel broker's allocation) with 16 times.
    pub const DEFAULTS: [Self; 2] = [
        Self {
            prefix: 56,
            factor: 4,
        },
        Self {
            prefix: 48,
            factor: 16,
        },
    ];
}

/// One counter an address is counted under: its key (the IPv4 address, or the IPv6
/// network as `2001:db8:1::/48`) and the multiple of each per-address rule it may hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpBucket {
    /// The address or network, as written into counter keys.
    pub key: String,
    /// 1 for the address (or the client's own IPv6 network); a wider network's factor.
    pub factor: u32,
}

impl IpBucket {
    /// `rules` as they apply to this bucket: each count times its factor.
    pub fn scaled(&self, rules: &[Rule]) -> Vec<Rule> {
        rules.iter().map(|rule| rule.times(self.factor)).collect()
    }
}

/// Every counter `ip` is counted under, narrowest first: the address alone for IPv4 (and
/// IPv4-mapped IPv6); for IPv6 its network of `ipv6_prefix` bits, then each network of
/// `wider` that is wider than it, with its factor.
pub fn buckets_of(ip: IpAddr, ipv6_prefix: u8, wider: &[WiderNetwork]) -> Vec<IpBucket> {
    let v6 = match ip {
        IpAddr::V4(v4) => return vec![address_bucket(v4)],
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => return vec![address_bucket(v4)],
            None => v6,
        },
    };
    let own = ipv6_prefix.min(128);
    let wider = wider
        .iter()
        .filter(|network| network.prefix < own)
        .map(|network| (network.prefix, network.factor.max(1)));
    std::iter::once((own, 1))
        .chain(wider)
        .map(|(prefix, factor)| IpBucket {
            key: network_of(v6, prefix),
            factor,
        })
        .collect()
}

/// The bucket of an IPv4 address: the address alone.
fn address_bucket(v4: Ipv4Addr) -> IpBucket {
    IpBucket {
        key: v4.to_string(),
        factor: 1,
    }
}

/// `v6`'s network of `prefix` bits, as `2001:db8:1::/48`.
fn network_of(v6: Ipv6Addr, prefix: u8) -> String {
    let prefix = u32::from(prefix.min(128));
    let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
    let network = Ipv6Addr::from(u128::from(v6) & mask);
    format!("{network}/{prefix}")
}
