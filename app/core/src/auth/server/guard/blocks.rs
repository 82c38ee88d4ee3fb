//! Blocks the fraud guard places on a destination scope (a country or a number prefix):
//! temporary, longer on each repeat, listed and lifted by the operator. The port and its
//! in-process implementation; SQLite and Redis implement it in the host.

use crate::auth::server::StoreError;
use async_trait::async_trait;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;

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

/// Blocks in this process only (`SESSION_STORE=memory`, tests), under one mutex.
#[derive(Default)]
pub struct MemoryBlocks(Mutex<HashMap<String, Block>>);

impl MemoryBlocks {
    fn map(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, Block>>, StoreError> {
        self.0
            .lock()
            .map_err(|_| StoreError::corrupt("memory", "block map poisoned"))
    }
}

#[async_trait]
impl BlockStore for MemoryBlocks {
    async fn place(
        &self,
        scope: &str,
        counts: (u32, u32),
        now: u64,
        terms: BlockTerms,
    ) -> Result<Placed, StoreError> {
        let mut map = self.map()?;
        let previous = map.get(scope);
        match next_block(scope, previous, counts, now, terms) {
            Some(block) => {
                map.insert(scope.to_owned(), block.clone());
                Ok(Placed { block, new: true })
            }
            None => Ok(Placed {
                block: previous
                    .cloned()
                    .ok_or_else(|| StoreError::corrupt("memory", "block vanished"))?,
                new: false,
            }),
        }
    }

    async fn active(&self, scopes: &[String], now: u64) -> Result<Vec<Block>, StoreError> {
        let map = self.map()?;
        Ok(scopes
            .iter()
            .filter_map(|scope| map.get(scope))
            .filter(|block| block.until > now)
            .cloned()
            .collect())
    }

    async fn list(&self, now: u64) -> Result<Vec<Block>, StoreError> {
        let map = self.map()?;
        let mut blocks: Vec<Block> = map.values().filter(|b| b.until > now).cloned().collect();
        blocks.sort_by(|a, b| a.scope.cmp(&b.scope));
        Ok(blocks)
    }

    async fn lift(&self, scope: &str, now: u64) -> Result<bool, StoreError> {
        Ok(self
            .map()?
            .remove(scope)
            .is_some_and(|block| block.until > now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TERMS: BlockTerms = BlockTerms {
        base: 3600,
        max: 86_400,
    };

    #[test]
    fn blocks_double_on_repeat_up_to_the_longest() {
        assert_eq!(TERMS.length(1), 3600);
        assert_eq!(TERMS.length(2), 7200);
        assert_eq!(TERMS.length(5), 57_600);
        assert_eq!(TERMS.length(6), 86_400);
        assert_eq!(TERMS.length(40), 86_400);
    }

    #[tokio::test]
    async fn a_block_in_force_is_placed_once_and_a_repeat_is_longer() {
        let blocks = MemoryBlocks::default();
        let first = blocks.place("prefix:+44770", (20, 0), 1000, TERMS).await;
        let first = first.expect("placed");
        assert!(first.new);
        assert_eq!((first.block.until, first.block.strikes), (4600, 1));
        let again = blocks.place("prefix:+44770", (21, 0), 2000, TERMS).await;
        assert!(
            !again.expect("in force").new,
            "parallel callers see one block"
        );
        let repeat = blocks.place("prefix:+44770", (20, 0), 5000, TERMS).await;
        let repeat = repeat.expect("repeat");
        assert!(repeat.new);
        assert_eq!((repeat.block.until, repeat.block.strikes), (12_200, 2));
        let active = blocks.active(&["prefix:+44770".to_owned()], 6000).await;
        assert_eq!(active.expect("read").len(), 1);
        assert_eq!(blocks.lift("prefix:+44770", 6000).await, Ok(true));
        assert_eq!(blocks.list(6000).await, Ok(vec![]));
        let fresh = blocks.place("prefix:+44770", (20, 0), 6001, TERMS).await;
        assert_eq!(
            fresh.expect("fresh").block.strikes,
            1,
            "lifting forgets strikes"
        );
    }

    #[tokio::test]
    async fn a_block_forgotten_long_after_it_ended_starts_over() {
        let blocks = MemoryBlocks::default();
        blocks
            .place("country:GB", (20, 0), 0, TERMS)
            .await
            .expect("placed");
        let later = blocks
            .place("country:GB", (20, 0), 3600 + 86_400, TERMS)
            .await;
        assert_eq!(later.expect("placed").block.strikes, 1);
    }
}
