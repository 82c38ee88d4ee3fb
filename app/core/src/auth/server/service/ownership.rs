//! The owner of a number's pending upstream request: the session that started it. The lock
//! lives in the shared store (see [`crate::auth::server::store::locks`]); its owner token
//! lives in the owning session.

use crate::auth::server::store::locks::{number_lock_key, LockOutcome};
use crate::auth::server::{AuthContext, LoginSession, StoreError};
use crate::auth::AuthError;
use crate::domain::PhoneNumber;

/// Takes `number` for this session until its code expires, before anything is sent.
/// Another live owner: [`AuthError::NumberBusy`] with the seconds until its code expires.
pub(super) async fn take_number(
    ctx: &AuthContext,
    session: &LoginSession,
    number: &PhoneNumber,
    now: u64,
) -> Result<LockOutcome, AuthError> {
    let owner = session.owner_token().await?;
    let expires_at = now.saturating_add(ctx.pending_ttl.as_secs());
    let outcome = ctx
        .locks
        .acquire(&number_lock_key(number.e164()), &owner, expires_at, now)
        .await
        .map_err(lock_store_failed)?;
    if let LockOutcome::HeldUntil(until) = outcome {
        tracing::warn!(number = %number.masked(), "login start refused: another session owns the pending code");
        crate::auth::server::metrics_names::limit_hit("owner");
        return Err(AuthError::NumberBusy {
            retry_after_secs: until.saturating_sub(now).max(1),
        });
    }
    Ok(outcome)
}

/// Frees `number` if this session holds it (its login ended: signed in, abandoned,
/// exhausted or expired). A failure only delays the next start until the lock expires.
pub(super) async fn release_number(
    ctx: &AuthContext,
    session: &LoginSession,
    number: &PhoneNumber,
) {
    let owner = match session.owner_token().await {
        Ok(owner) => owner,
        Err(_) => return,
    };
    if let Err(error) = ctx
        .locks
        .release(&number_lock_key(number.e164()), &owner)
        .await
    {
        tracing::warn!(number = %number.masked(), %error, "number lock not released; it will expire");
    }
}

fn lock_store_failed(error: StoreError) -> AuthError {
    tracing::error!(%error, "number lock store failed");
    ::metrics::counter!(crate::auth::server::metrics_names::STORE_ERRORS).increment(1);
    AuthError::TemporarilyUnavailable
}
