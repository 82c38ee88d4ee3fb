//! Locks in this process (`SESSION_STORE=memory`, tests).

use super::{LockOutcome, LockStore, StoreError};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;

/// Locks in this process only (`SESSION_STORE=memory`, tests), under one mutex. Expired
/// locks are swept when the map has doubled since the last sweep, so memory stays within
/// twice the live locks at an amortised constant cost per operation.
#[derive(Default)]
pub struct MemoryLocks(Mutex<Locks>);

/// The locks (key → owner, expiry) and the size at which expired ones are next swept out.
#[derive(Default)]
struct Locks {
    map: HashMap<String, (String, u64)>,
    sweep_at: usize,
}

/// Fewest locks worth a sweep.
const SWEEP_FLOOR: usize = 1024;

impl MemoryLocks {
    fn locks(&self) -> Result<std::sync::MutexGuard<'_, Locks>, StoreError> {
        self.0
            .lock()
            .map_err(|_| StoreError::corrupt("memory", "lock map poisoned"))
    }

    /// The owner holding `key` at `now`, if any (for tests and model checks).
    pub fn holder(&self, key: &str, now: u64) -> Option<String> {
        let locks = self.0.lock().ok()?;
        locks
            .map
            .get(key)
            .filter(|(_, expiry)| *expiry > now)
            .map(|(owner, _)| owner.clone())
    }
}

#[async_trait]
impl LockStore for MemoryLocks {
    async fn acquire(
        &self,
        key: &str,
        owner: &str,
        expires_at: u64,
        now: u64,
    ) -> Result<LockOutcome, StoreError> {
        let mut locks = self.locks()?;
        if locks.map.len() >= locks.sweep_at.max(SWEEP_FLOOR) {
            locks.map.retain(|_, (_, expiry)| *expiry > now);
            locks.sweep_at = locks.map.len() * 2;
        }
        let outcome = match locks.map.get(key) {
            Some((_, expiry)) if *expiry <= now => LockOutcome::Acquired,
            Some((holder, _)) if holder == owner => LockOutcome::AlreadyOurs,
            Some((_, expiry)) => return Ok(LockOutcome::HeldUntil(*expiry)),
            None => LockOutcome::Acquired,
        };
        locks
            .map
            .insert(key.to_owned(), (owner.to_owned(), expires_at));
        Ok(outcome)
    }

    async fn release(&self, key: &str, owner: &str) -> Result<(), StoreError> {
        let mut locks = self.locks()?;
        if locks
            .map
            .get(key)
            .is_some_and(|(holder, _)| holder == owner)
        {
            locks.map.remove(key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::server::store::locks::number_lock_key;

    #[tokio::test]
    async fn one_owner_at_a_time_until_release_or_expiry() {
        let locks = MemoryLocks::default();
        let key = number_lock_key("+447400123456");
        assert_eq!(
            locks.acquire(&key, "a", 600, 0).await,
            Ok(LockOutcome::Acquired)
        );
        assert_eq!(
            locks.acquire(&key, "b", 700, 10).await,
            Ok(LockOutcome::HeldUntil(600))
        );
        locks
            .release(&key, "b")
            .await
            .expect("foreign release is a no-op");
        assert_eq!(
            locks.acquire(&key, "a", 650, 20).await,
            Ok(LockOutcome::AlreadyOurs)
        );
        assert_eq!(
            locks.acquire(&key, "b", 700, 650).await,
            Ok(LockOutcome::Acquired)
        );
        locks.release(&key, "b").await.expect("released");
        assert_eq!(
            locks.acquire(&key, "c", 900, 651).await,
            Ok(LockOutcome::Acquired)
        );
    }

    #[tokio::test]
    async fn a_claim_is_won_once_until_it_expires() {
        let locks = MemoryLocks::default();
        assert_eq!(locks.claim("login:ended:1", 100, 0).await, Ok(true));
        assert_eq!(locks.claim("login:ended:1", 100, 50).await, Ok(false));
        assert_eq!(locks.claim("login:ended:2", 100, 50).await, Ok(true));
        assert_eq!(locks.claim("login:ended:1", 200, 100).await, Ok(true));
    }

    #[tokio::test]
    async fn a_poisoned_map_is_a_corrupt_store_not_a_panic() {
        let locks = std::sync::Arc::new(MemoryLocks::default());
        let poisoner = locks.clone();
        let _ = std::thread::spawn(move || {
            let _held = poisoner.0.lock();
            panic!("poisons the lock map (expected in this test)");
        })
        .join();
        let corrupt = StoreError::corrupt("memory", "lock map poisoned");
        assert_eq!(locks.acquire("k", "a", 10, 0).await, Err(corrupt.clone()));
        assert_eq!(locks.release("k", "a").await, Err(corrupt.clone()));
        assert_eq!(locks.claim("k", 10, 0).await, Err(corrupt));
    }

    #[tokio::test]
    async fn expired_locks_are_swept_as_the_map_grows() {
        let locks = MemoryLocks::default();
        for n in 0..5000u64 {
            let key = format!("k{n}");
            locks.acquire(&key, "a", n + 10, n).await.expect("taken");
        }
        let size = locks.0.lock().expect("lock").map.len();
        assert!(size < 2 * SWEEP_FLOOR, "{size} locks kept");
    }
}
