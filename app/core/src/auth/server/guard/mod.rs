//! The SMS-pumping guard: tracks, per destination country and number prefix, how many code
//! sends end in a successful check (conversion), and blocks a scope whose conversion falls
//! below a threshold once it has enough volume. Blocks are temporary, longer on each repeat,
//! and never placed on a safe-listed prefix. In `audit` mode every decision is made, logged,
//! counted and listed for the operator, but no send is refused.
//!
//! A blocked range starts afresh after its block, but the wider scopes around it (a wider
//! prefix, the country) keep its sends: a bot moving from range to range fills them up and
//! is caught there, at twice the volume for each level up. A block on a wider scope refuses
//! the ranges inside it that do not convert; a range whose own codes are typed (at least
//! `min_conversion` of its sends) goes on, so honest traffic there is not refused.
//!
//! Counting is atomic in the shared [`CounterStore`]: each send is counted before it is
//! judged, so however many requests run in parallel, at most `min_sends` unverified sends
//! reach a scope before it is blocked.

mod counts;
mod judge;
mod scopes;
mod settings;
#[cfg(test)]
mod tests;

pub use scopes::{is_safe, scope_kind, scopes_of, Scopes};
pub use settings::{GuardMode, GuardSettings};

use super::store::blocks::{Block, BlockStore};
use super::store::counters::{CounterChange, CounterStore};
use super::StoreError;
use crate::domain::PhoneNumber;
use counts::{sends_key, verified_key};
use judge::{any_straining, failing_scope, ScopeCounts, Window};
use std::sync::Arc;

/// Metric: guard decisions, by `mode` (`audit`, `enforce`), `action` (`block`, `refuse`)
/// and `scope` kind (`country`, `prefix`).
pub const GUARD_DECISIONS: &str = "passwordless_guard_decisions_total";
/// Metric: the sliding-window conversion (verified / sent) per destination `country`.
pub const CONVERSION_RATIO: &str = "passwordless_conversion_ratio";

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
    /// refused in enforce mode, unless the block is on a wider scope (a wider prefix or the
    /// country) and the number's own range converts; a send that takes a scope past
    /// `min_sends` with conversion below `min_conversion` blocks the scope (the most specific
    /// such scope) and is refused in enforce mode, with the same exception.
    pub async fn admit(&self, number: &PhoneNumber, now: u64) -> Result<Admission, StoreError> {
        let Some(scopes) = self.scopes(number) else {
            return Ok(Admission::Uncounted);
        };
        if let Some(refusal) = self.refusal(number, &scopes, now, None).await? {
            return Ok(refusal);
        }
        let window = self.window(now);
        let counts = self.count_send(&scopes, window).await?;
        // A block placed while this send was being counted: the request that placed it
        // cleared the scope's counts, so this send's count may look harmless; look again.
        if let Some(refusal) = self.refusal(number, &scopes, now, Some(&counts[0])).await? {
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
            // The blocked scope starts afresh after its block; the wider scopes around it
            // keep its sends (so a bot moving from range to range is caught wider up).
            self.clear(&counts[failing], window).await?;
        }
        // A wider scope blocked by this send: the number's own range goes on if it converts.
        let goes_on = failing > 0 && self.converts(&counts[0], window, true);
        if mode != GuardMode::Enforce || goes_on {
            return Ok(Admission::Counted);
        }
        // Not sent: take it back from the scopes still holding it (the blocked scope's
        // counts were just cleared, this send with them).
        let holding: Vec<&String> = scopes
            .0
            .iter()
            .enumerate()
            .filter(|(level, _)| !(placed.new && *level == failing))
            .map(|(_, scope)| scope)
            .collect();
        self.add_to(&holding, window, sends_key, -1).await?;
        Ok(Admission::Refused { scope })
    }

    /// Whether a range's own sends convert, so that a block on a wider scope around it does
    /// not refuse it (`counted`: this send is in its counts).
    fn converts(&self, range: &ScopeCounts, window: Window, counted: bool) -> bool {
        range.converts(window, self.settings.min_conversion, counted)
    }

    /// The answer for a send to a scope blocked now, if any. A block on the number's own
    /// range (its most specific scope) always answers; a block on a wider scope only when
    /// that range does not convert (`range`: its counts with this send in them, once counted).
    async fn refusal(
        &self,
        number: &PhoneNumber,
        scopes: &Scopes,
        now: u64,
        range: Option<&ScopeCounts>,
    ) -> Result<Option<Admission>, StoreError> {
        let active = self.blocks.active(&scopes.0, now).await?;
        let own = &scopes.0[0];
        let Some(block) = active
            .iter()
            .find(|block| block.scope == *own)
            .or_else(|| active.first())
        else {
            return Ok(None);
        };
        if block.scope != *own {
            let window = self.window(now);
            let converts = match range {
                Some(counted) => self.converts(counted, window, true),
                None => {
                    let read = self.read_counts(&scopes.0[..1], window).await?;
                    read.first()
                        .is_some_and(|uncounted| self.converts(uncounted, window, false))
                }
            };
            if converts {
                return Ok(None);
            }
        }
        let mode = self.settings.mode;
        self.decided("refuse", &block.scope);
        tracing::warn!(number = %number.masked(), scope = %block.scope, mode = mode.label(), until = block.until, "code send to a blocked scope");
        Ok(Some(match mode {
            GuardMode::Enforce => Admission::Refused {
                scope: block.scope.clone(),
            },
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
        let all: Vec<&String> = scopes.0.iter().collect();
        self.add_to(&all, self.window(now), key, delta).await
    }

    /// Adds `delta` to the current window's `key` counter of each of `scopes`, at once.
    async fn add_to(
        &self,
        scopes: &[&String],
        window: Window,
        key: fn(&str) -> String,
        delta: i32,
    ) -> Result<(), StoreError> {
        let changes: Vec<CounterChange> = scopes
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
