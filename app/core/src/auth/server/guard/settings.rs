//! What the guard is told (`GUARD_*`): its mode, the scopes it judges, the window and
//! thresholds it judges them by, how long blocks last, and the prefixes it leaves alone.

use crate::auth::server::store::blocks::BlockTerms;
use std::time::Duration;

/// `GUARD_MODE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuardMode {
    /// Nothing tracked, nothing refused.
    Off,
    /// Everything tracked and decided, nothing refused.
    Audit,
    /// Sends to a blocked scope are refused.
    Enforce,
}

impl GuardMode {
    /// The metric label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Audit => "audit",
            Self::Enforce => "enforce",
        }
    }
}

/// The guard's settings (`GUARD_*`).
#[derive(Clone, Debug)]
pub struct GuardSettings {
    /// `GUARD_MODE` (default audit).
    pub mode: GuardMode,
    /// `GUARD_PREFIX_DIGITS`: prefix lengths after the country calling code (default 3,5).
    pub prefix_digits: Vec<u8>,
    /// `GUARD_WINDOW`: the sliding window conversion is measured over (default 1 h).
    pub window: Duration,
    /// `GUARD_MIN_SENDS`: sends in the window before a scope can be judged (default 20).
    pub min_sends: u32,
    /// `GUARD_MIN_CONVERSION`: the share of sends that must end signed in (default 0.35).
    pub min_conversion: f64,
    /// `GUARD_BLOCK_FOR` (first block, default 1 h) and `GUARD_MAX_BLOCK` (default 24 h).
    pub terms: BlockTerms,
    /// `GUARD_SAFE_LIST`: E.164 prefixes never blocked nor counted.
    pub safe_list: Vec<String>,
}

impl Default for GuardSettings {
    fn default() -> Self {
        Self {
            mode: GuardMode::Audit,
            prefix_digits: vec![3, 5],
            window: Duration::from_secs(3600),
            min_sends: 20,
            min_conversion: 0.35,
            terms: BlockTerms {
                base: 3600,
                max: 86_400,
            },
            safe_list: Vec::new(),
        }
    }
}
