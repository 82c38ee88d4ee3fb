//! One owner per pending upstream request: a lock in the shared store, keyed by the
//! destination number, taken atomically before the provider is asked for a code. Another
//! session starting the same number finds it held and is told to wait; it can neither
//! cancel, redirect nor use up the owner's request (it never learns the request id, which
//! stays in the owner's session).

use super::StoreError;
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;

/// What taking a lock found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockOutcome {
    /// The number was free (or its lock had expired); it is now ours.
    Acquired,
    /// We already held it; its expiry is extended.
    AlreadyOurs,
    /// Another owner holds it until this Unix second.
    HeldUntil(u64),
}

/// Shared, expiring locks: `key` → (owner, expires_at). Each method is one atomic store
/// operation; an `Err` is a store failure (the caller logs it and answers "temporarily
/// unavailable").
#[async_trait]
pub trait LockStore: Send + Sync + 'static {
    /// Takes `key` for `owner` until `expires_at` unless another owner holds it past `now`.
    async fn acquire(
        &self,
        key: &str,
        owner: &str,
        expires_at: u64,
        now: u64,
    ) -> Result<LockOutcome, StoreError>;
    /// Frees `key` if `owner` holds it (anyone else's lock is left alone).
    async fn release(&self, key: &str, owner: &str) -> Result<(), StoreError>;

    /// Claims `key` once: answers `true` to exactly one caller, however many race, until
    /// `expires_at` (every other caller, on any instance, gets `false`). One atomic store
    /// operation: an [`Self::acquire`] with a token nobody else can hold.
    async fn claim(&self, key: &str, expires_at: u64, now: u64) -> Result<bool, StoreError> {
        let token = uuid::Uuid::new_v4().simple().to_string();
        Ok(self.acquire(key, &token, expires_at, now).await? == LockOutcome::Acquired)
    }
}

/// The lock key of a destination number.
pub fn number_lock_key(number_e164: &str) -> String {
    format!("lock:number:{number_e164}")
}

/// Locks in this process only (`SESSION_STORE=memory`, tests), under one mutex. Expired
/// locks are swept when the map has doubled since the last sweep, so memory stays within
/// twice the live locks at an amortised constant cost per operation.
#[derive(Default)]
pub struct MemoryLocks(Mutex<Locks>);

/// The locks (key → owner, expiry) and the size at which expired ones are next swept out.
#[derive(Default)]
pub struct Locks {
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
