//! Blocks in this process (`SESSION_STORE=memory`, tests).

use super::{next_block, Block, BlockStore, BlockTerms, Placed, StoreError};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;

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
