//! The SMS-pumping guard: tracks, per destination country and number prefix, how many code
//! sends end in a successful check (conversion), and blocks a scope whose conversion falls
//! below a threshold once it has enough volume. Blocks are temporary, longer on each repeat,
//! and never placed on a safe-listed prefix. In `audit` mode every decision is made, logged,
//! counted and listed for the operator, but no send is refused.
//!
//! Counting is atomic in the shared [`CounterStore`]: each send is counted before it is
//! judged, so however many requests run in parallel, at most `min_sends` unverified sends
//! reach a scope before it is blocked.

mod blocks;
mod counts;
mod judge;
mod scopes;
#[cfg(test)]
mod tests;

pub use blocks::{next_block, Block, BlockStore, BlockTerms, MemoryBlocks, Placed};
pub use scopes::{is_safe, scope_kind, scopes_of, Scopes};

use super::counter_store::{CounterChange, CounterStore};
use super::StoreError;
use crate::domain::PhoneNumber;
use counts::{sends_key, verified_key};
use judge::{any_straining, failing_scope, Window};
use std::sync::Arc;
use std::time::Duration;

/// Metric: guard decisions, by `mode` (`audit`, `enforce`), `action` (`block`, `refuse`)
/// and `scope` kind (`country`, `prefix`).
pub const GUARD_DECISIONS: &str = "passwordless_guard_decisions_total";
/// Metric: the sliding-window conversion (verified / sent) per destination `country`.
pub const CONVERSION_RATIO: &str = "passwordless_conversion_ratio";

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

/// The guard's answer to one send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Send it; it was counted (take it back with [`FraudGuard::take_back`] if it is not sent).
    Counted,
    /// Send it; it was not counted (guard off, safe-listed, or audit of a blocked scope).
    Uncounted,
    /// Do not send: the scope is blocked (enforce mode only).
    Refused {
        /// The blocked scope, for the log (never shown to the user).
        scope: String,
    },
}

/// The guard, shared by every request.
#[derive(Clone)]
pub struct FraudGuard {
    settings: GuardSettings,
    counters: Arc<dyn CounterStore>,
    blocks: Arc<dyn BlockStore>,
}

impl FraudGuard {
    /// A guard keeping its counts in `counters` and its blocks in `blocks`.
    pub fn new(
        settings: GuardSettings,
        counters: Arc<dyn CounterStore>,
        blocks: Arc<dyn BlockStore>,
    ) -> Self {
        Self {
            settings,
            counters,
            blocks,
        }
    }

    /// The mode in force.
    pub fn mode(&self) -> GuardMode {
        self.settings.mode
    }

    fn scopes(&self, number: &PhoneNumber) -> Option<Scopes> {
        let off = self.settings.mode == GuardMode::Off;
        (!off && !is_safe(number, &self.settings.safe_list))
            .then(|| scopes_of(number, &self.settings.prefix_digits))
    }

    fn window(&self, now: u64) -> Window {
        Window::at(self.settings.window, now)
    }

    /// Judges one send to `number` at `now`, counting it. A send to a blocked scope is
    /// refused in enforce mode; a send that takes a scope past `min_sends` with conversion
    /// below `min_conversion` blocks the scope (the most specific such scope) and is refused
    /// in enforce mode.
    pub async fn admit(&self, number: &PhoneNumber, now: u64) -> Result<Admission, StoreError> {
        let Some(scopes) = self.scopes(number) else {
            return Ok(Admission::Uncounted);
        };
        if let Some(refusal) = self.refusal(number, &scopes, now).await? {
            return Ok(refusal);
        }
        let window = self.window(now);
        let counts = self.count_send(&scopes, window).await?;
        // A block placed while this send was being counted: the request that placed it
        // cleared the scope's counts, so this send's count may look harmless; look again.
        if let Some(refusal) = self.refusal(number, &scopes, now).await? {
            self.take_back(number, now).await?;
            return Ok(refusal);
        }
        if let Some(country) = counts.last() {
            if let Some(ratio) = country.conversion(window) {
                metrics::gauge!(CONVERSION_RATIO, "country" => number.country().to_owned())
                    .set(ratio);
            }
        }
        let Some(failing) = failing_scope(&counts, window, &self.settings) else {
            return Ok(Admission::Counted);
        };
        let scope = counts[failing].scope.clone();
        let (sent, verified) = counts[failing].totals(window);
        let mode = self.settings.mode;
        let placed = self
            .blocks
            .place(&scope, (sent, verified), now, self.settings.terms)
            .await?;
        if placed.new {
            self.decided("block", &scope);
            tracing::warn!(alert = true, number = %number.masked(), scope = %scope, mode = mode.label(), sent, verified, until = placed.block.until, strikes = placed.block.strikes, "low conversion: scope blocked");
            // The blocked scope starts afresh after its block, and its sends no longer
            // weigh on the wider scopes around it (so one pumped prefix does not block
            // its whole country).
            self.absorb(&counts, failing, window).await?;
        }
        Ok(match mode {
            GuardMode::Enforce => Admission::Refused { scope },
            _ => Admission::Counted,
        })
    }

    /// The answer for a send to a scope blocked now, if any.
    async fn refusal(
        &self,
        number: &PhoneNumber,
        scopes: &Scopes,
        now: u64,
    ) -> Result<Option<Admission>, StoreError> {
        let Some(block) = self.blocks.active(&scopes.0, now).await?.into_iter().next() else {
            return Ok(None);
        };
        let mode = self.settings.mode;
        self.decided("refuse", &block.scope);
        tracing::warn!(number = %number.masked(), scope = %block.scope, mode = mode.label(), until = block.until, "code send to a blocked scope");
        Ok(Some(match mode {
            GuardMode::Enforce => Admission::Refused { scope: block.scope },
            _ => Admission::Uncounted,
        }))
    }

    /// Whether a send to `number` would go to a scope on its way to a block (half the volume
    /// a block needs, conversion under the threshold): a risky send, worth a human check.
    /// Always `false` when the guard is off or the number is safe-listed.
    pub async fn straining(&self, number: &PhoneNumber, now: u64) -> Result<bool, StoreError> {
        let Some(scopes) = self.scopes(number) else {
            return Ok(false);
        };
        let window = self.window(now);
        let counts = self.read_counts(&scopes.0, window).await?;
        Ok(any_straining(&counts, window, &self.settings))
    }

    /// Takes back a counted send that did not happen (the provider refused or failed).
    pub async fn take_back(&self, number: &PhoneNumber, now: u64) -> Result<(), StoreError> {
        self.add_to_each_scope(number, now, sends_key, -1).await
    }

    /// Counts a successful code check for `number`.
    pub async fn verified(&self, number: &PhoneNumber, now: u64) -> Result<(), StoreError> {
        self.add_to_each_scope(number, now, verified_key, 1).await
    }

    /// Adds `delta` to the current window's `key` counter of every scope of `number`.
    async fn add_to_each_scope(
        &self,
        number: &PhoneNumber,
        now: u64,
        key: fn(&str) -> String,
        delta: i32,
    ) -> Result<(), StoreError> {
        let Some(scopes) = self.scopes(number) else {
            return Ok(());
        };
        let window = self.window(now);
        let changes: Vec<CounterChange> = scopes
            .0
            .iter()
            .map(|scope| window.change(&key(scope), window.current, delta))
            .collect();
        self.counters.add_many(&changes).await.map(|_| ())
    }

    /// The blocks in force, for the operator.
    pub async fn blocks(&self, now: u64) -> Result<Vec<Block>, StoreError> {
        self.blocks.list(now).await
    }

    /// Lifts the block on `scope` and clears its counts, so it is judged afresh; answers
    /// whether a block was in force.
    pub async fn lift(&self, scope: &str, now: u64) -> Result<bool, StoreError> {
        let lifted = self.blocks.lift(scope, now).await?;
        let window = self.window(now);
        let counts = self.read_counts(&[scope.to_owned()], window).await?;
        let changes: Vec<CounterChange> = counts[0].zeroing(window).collect();
        self.counters.add_many(&changes).await?;
        if lifted {
            tracing::warn!(scope, "guard block lifted by the operator");
        }
        Ok(lifted)
    }

    fn decided(&self, action: &'static str, scope: &str) {
        metrics::counter!(
            GUARD_DECISIONS,
            "mode" => self.settings.mode.label(),
            "action" => action,
            "scope" => scope_kind(scope)
        )
        .increment(1);
    }
}
