//! The shared-counter port the rate limiter, the fraud guard and the challenge use.
//! Every change is one atomic store operation that answers the new count, so parallel
//! requests can never both see room for "one more".

mod memory;

use super::StoreError;
use async_trait::async_trait;

pub use memory::MemoryCounters;

/// Shared event counters in fixed windows. An `Err` is a store failure (the caller logs it
/// and refuses, as "temporarily unavailable").
#[async_trait]
pub trait CounterStore: Send + Sync + 'static {
    /// The count of `key` in the window starting at `window_start` (Unix seconds).
    async fn get(&self, key: &str, window_start: u64) -> Result<u32, StoreError>;
    /// Atomically adds `delta` (negative to take back an event; a count never goes below
    /// zero) to `key` in that window and answers the new count; one store operation, so concurrent callers each see a distinct
    /// count. The counter may be forgotten after `expires_at`.
    async fn add(
        &self,
        key: &str,
        window_start: u64,
        delta: i32,
        expires_at: u64,
    ) -> Result<u32, StoreError>;
    /// Forgets `key` in that window (e.g. wrong codes after a success).
    async fn delete(&self, key: &str, window_start: u64) -> Result<(), StoreError>;

    /// The counts of several `(key, window_start)` at once, in order. Stores that can
    /// answer them in one round trip override this; the default asks one by one.
    async fn get_many(&self, windows: &[(String, u64)]) -> Result<Vec<u32>, StoreError> {
        let mut counts = Vec::with_capacity(windows.len());
        for (key, window_start) in windows {
            counts.push(self.get(key, *window_start).await?);
        }
        Ok(counts)
    }

    /// Applies several changes (distinct counters), each atomically as [`Self::add`] does,
    /// and answers the new counts in order. Stores that can do it in one round trip override
    /// this; the default changes one by one.
    async fn add_many(&self, changes: &[CounterChange]) -> Result<Vec<u32>, StoreError> {
        let mut counts = Vec::with_capacity(changes.len());
        for change in changes {
            counts.push(
                self.add(
                    &change.key,
                    change.window_start,
                    change.delta,
                    change.expires_at,
                )
                .await?,
            );
        }
        Ok(counts)
    }
}

/// One change for [`CounterStore::add_many`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterChange {
    /// The counter.
    pub key: String,
    /// Its fixed window (Unix seconds).
    pub window_start: u64,
    /// What to add (negative to take back); counts never go below zero.
    pub delta: i32,
    /// When the counter may be forgotten.
    pub expires_at: u64,
}
