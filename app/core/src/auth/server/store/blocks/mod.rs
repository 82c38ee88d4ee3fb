//! Blocks the fraud guard places on a destination scope (a country or a number prefix):
//! temporary, longer on each repeat, listed and lifted by the operator. The port and its
//! in-process implementation; SQLite and Redis implement it in the host.

mod memory;

use super::StoreError;
use async_trait::async_trait;
use serde::Serialize;

pub use memory::MemoryBlocks;

/// One block on a scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Block {
    /// The scope: `country:GB` or `prefix:+44770`.
    pub scope: String,
    /// When it was placed (Unix seconds).
    pub since: u64,
    /// When it ends (Unix seconds).
    pub until: u64,
    /// 1 for a first block, one more for each block placed while an earlier one is remembered.
    pub strikes: u32,
    /// Sends to the scope in the window that triggered it.
    pub sends: u32,
    /// Successful code checks for the scope in that window.
    pub verified: u32,
}

/// How long blocks last: `base` for a first block, doubled for each strike, at most `max`;
/// an ended block is remembered for `max` (a new block within that time is a repeat).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockTerms {
    /// The first block's length, seconds.
    pub base: u64,
    /// The longest block, seconds.
    pub max: u64,
}

impl BlockTerms {
    /// The length of a block with `strikes` strikes.
    pub fn length(self, strikes: u32) -> u64 {
        let doubled = self
            .base
            .saturating_mul(1u64 << strikes.saturating_sub(1).min(32));
        doubled.min(self.max).max(1)
    }

    /// Whether a block that ended at `until` still counts as a strike at `now`.
    pub fn remembered(self, until: u64, now: u64) -> bool {
        until.saturating_add(self.max) > now
    }
}

/// What placing a block did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    /// The block in force on the scope now.
    pub block: Block,
    /// `true` when this call placed it; `false` when one was already in force (parallel
    /// requests all see the same block, and only one of them placed it).
    pub new: bool,
}

/// Shared blocks: each method is one atomic store operation; an `Err` is a store failure.
#[async_trait]
pub trait BlockStore: Send + Sync + 'static {
    /// Places a block on `scope` at `now` unless one is in force; its strikes and length
    /// follow `terms` and the scope's remembered last block.
    async fn place(
        &self,
        scope: &str,
        counts: (u32, u32),
        now: u64,
        terms: BlockTerms,
    ) -> Result<Placed, StoreError>;
    /// The blocks in force at `now` on any of `scopes`.
    async fn active(&self, scopes: &[String], now: u64) -> Result<Vec<Block>, StoreError>;
    /// Every block in force at `now`, for the operator.
    async fn list(&self, now: u64) -> Result<Vec<Block>, StoreError>;
    /// Ends the block on `scope` and forgets its strikes; answers whether one was in force.
    async fn lift(&self, scope: &str, now: u64) -> Result<bool, StoreError>;
}

/// The next block on a scope whose last one is `previous`, placed at `now`: `None` when
/// `previous` is still in force.
pub fn next_block(
    scope: &str,
    previous: Option<&Block>,
    counts: (u32, u32),
    now: u64,
    terms: BlockTerms,
) -> Option<Block> {
    let strikes = match previous {
        Some(block) if block.until > now => return None,
        Some(block) if terms.remembered(block.until, now) => block.strikes.saturating_add(1),
        _ => 1,
    };
    Some(Block {
        scope: scope.to_owned(),
        since: now,
        until: now.saturating_add(terms.length(strikes)),
        strikes,
        sends: counts.0,
        verified: counts.1,
    })
}
