//! Counters in this process (`SESSION_STORE=memory`, tests).

use super::{CounterChange, CounterStore, StoreError};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;

/// (key, window start) → (count, expires at).
type CounterMap = HashMap<(String, u64), (u32, u64)>;

/// The counters and the size at which expired windows are next swept out.
#[derive(Default)]
struct Counters {
    map: CounterMap,
    sweep_at: usize,
}

/// Fewest counters worth a sweep.
const SWEEP_FLOOR: usize = 1024;

/// Counters in this process only: for `SESSION_STORE=memory` and tests. Every operation
/// runs under one lock. Expired windows are swept when the map has doubled since the last
/// sweep, so memory stays within twice the live counters at an amortised constant cost.
#[derive(Default)]
pub struct MemoryCounters(Mutex<Counters>);

impl MemoryCounters {
    fn counters(&self) -> Result<std::sync::MutexGuard<'_, Counters>, StoreError> {
        self.0
            .lock()
            .map_err(|_| StoreError::corrupt("memory", "counter lock poisoned"))
    }
}

impl Counters {
    fn add(&mut self, key: &str, window_start: u64, delta: i32, expires_at: u64) -> u32 {
        if self.map.len() >= self.sweep_at.max(SWEEP_FLOOR) {
            // Forget windows that can no longer matter, so memory stays bounded.
            self.map.retain(|_, (_, expiry)| *expiry > window_start);
            self.sweep_at = self.map.len() * 2;
        }
        let entry = self
            .map
            .entry((key.to_owned(), window_start))
            .or_insert((0, expires_at));
        entry.0 = entry.0.saturating_add_signed(delta);
        entry.1 = entry.1.max(expires_at);
        entry.0
    }
}

#[async_trait]
impl CounterStore for MemoryCounters {
    async fn get(&self, key: &str, window_start: u64) -> Result<u32, StoreError> {
        Ok(self
            .counters()?
            .map
            .get(&(key.to_owned(), window_start))
            .map_or(0, |(count, _)| *count))
    }

    async fn add(
        &self,
        key: &str,
        window_start: u64,
        delta: i32,
        expires_at: u64,
    ) -> Result<u32, StoreError> {
        Ok(self.counters()?.add(key, window_start, delta, expires_at))
    }

    async fn delete(&self, key: &str, window_start: u64) -> Result<(), StoreError> {
        self.counters()?.map.remove(&(key.to_owned(), window_start));
        Ok(())
    }

    async fn add_many(&self, changes: &[CounterChange]) -> Result<Vec<u32>, StoreError> {
        let mut counters = self.counters()?;
        Ok(changes
            .iter()
            .map(|c| counters.add(&c.key, c.window_start, c.delta, c.expires_at))
            .collect())
    }
}
