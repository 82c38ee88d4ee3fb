//! One owner per pending upstream request: a lock in the shared store, keyed by the
//! destination number, taken atomically before the provider is asked for a code. Another
//! session starting the same number finds it held and is told to wait; it can neither
//! cancel, redirect nor use up the owner's request (it never learns the request id, which
//! stays in the owner's session).

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
/// operation.
#[async_trait]
pub trait LockStore: Send + Sync + 'static {
    /// Takes `key` for `owner` until `expires_at` unless another owner holds it past `now`.
    async fn acquire(
        &self,
        key: &str,
        owner: &str,
        expires_at: u64,
        now: u64,
    ) -> Result<LockOutcome, String>;
    /// Frees `key` if `owner` holds it (anyone else's lock is left alone).
    async fn release(&self, key: &str, owner: &str) -> Result<(), String>;
}

/// The lock key of a destination number.
pub fn number_lock_key(number_e164: &str) -> String {
    format!("lock:number:{number_e164}")
}

/// Locks in this process only (`SESSION_STORE=memory`, tests), under one mutex.
#[derive(Default)]
pub struct MemoryLocks(Mutex<HashMap<String, (String, u64)>>);

#[async_trait]
impl LockStore for MemoryLocks {
    async fn acquire(
        &self,
        key: &str,
        owner: &str,
        expires_at: u64,
        now: u64,
    ) -> Result<LockOutcome, String> {
        let mut map = self.0.lock().map_err(|_| "lock map poisoned".to_owned())?;
        map.retain(|_, (_, expiry)| *expiry > now);
        let outcome = match map.get(key) {
            Some((holder, _)) if holder == owner => LockOutcome::AlreadyOurs,
            Some((_, expiry)) => return Ok(LockOutcome::HeldUntil(*expiry)),
            None => LockOutcome::Acquired,
        };
        map.insert(key.to_owned(), (owner.to_owned(), expires_at));
        Ok(outcome)
    }

    async fn release(&self, key: &str, owner: &str) -> Result<(), String> {
        let mut map = self.0.lock().map_err(|_| "lock map poisoned".to_owned())?;
        if map.get(key).is_some_and(|(holder, _)| holder == owner) {
            map.remove(key);
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
}
