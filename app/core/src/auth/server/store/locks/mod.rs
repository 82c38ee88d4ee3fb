//! One owner per pending upstream request: a lock in the shared store, keyed by the
//! destination number, taken atomically before the provider is asked for a code. Another
//! session starting the same number finds it held and is told to wait; it can neither
//! cancel, redirect nor use up the owner's request (it never learns the request id, which
//! stays in the owner's session).

mod memory;

use super::StoreError;
use async_trait::async_trait;

pub use memory::MemoryLocks;

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
