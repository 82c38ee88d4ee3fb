//! Send limits: per session, per number, per IP and globally, all counted atomically in the
//! shared store.

use super::refusal_error;
use crate::auth::server::metrics_names;
use crate::auth::server::rate_limit::LimitRefusal;
use crate::auth::server::{client_ip, AuthContext, LoginSession, PendingLogin};
use crate::auth::AuthError;
use crate::domain::PhoneNumber;

/// Applies the per-session, per-number, per-IP and global send limits, counting this send.
pub(super) async fn allow_send(
    ctx: &AuthContext,
    session: &LoginSession,
    number: &PhoneNumber,
    now: u64,
) -> Result<(), AuthError> {
    let owner = session.owner_token().await?;
    ctx.limits
        .allow_send_from(number.e164(), client_ip(), Some(&owner), now)
        .await
        .map_err(|refusal| {
            if let LimitRefusal::Limited {
                scope: "global", ..
            } = refusal
            {
                tracing::error!(
                    alert = true,
                    "global SMS budget reached: all code sends stopped"
                );
            }
            tracing::warn!(number = %number.masked(), ?refusal, "code send refused by limit");
            if let LimitRefusal::Limited { scope, .. } = refusal {
                metrics_names::limit_hit(scope);
            }
            refusal_error(refusal)
        })
}

/// Counts the call the provider will make by itself at `pending.auto_call_at` (unless the
/// login ends first) against the same limits as the SMS, without refusing: the start that
/// schedules it was already allowed.
pub(super) async fn count_scheduled_call(
    ctx: &AuthContext,
    session: &LoginSession,
    pending: &PendingLogin,
) -> Result<(), AuthError> {
    if pending.auto_call_at.is_some() {
        let owner = session.owner_token().await?;
        adjust_scheduled_call(ctx, &owner, pending, 1).await;
    }
    Ok(())
}

/// Gives back the scheduled call's count when the login ends (signed in, exhausted,
/// cancelled) before the provider made it.
pub(super) async fn release_scheduled_call(
    ctx: &AuthContext,
    session: &LoginSession,
    pending: &PendingLogin,
    now: u64,
) {
    if pending.call_in_secs(now).is_none() {
        return;
    }
    if let Ok(owner) = session.owner_token().await {
        adjust_scheduled_call(ctx, &owner, pending, -1).await;
        tracing::info!(number = %pending.number.masked(), "scheduled call not made; its count given back");
    }
}

/// Adds `delta` to the send counters of `pending`'s start (its window, IP and session).
async fn adjust_scheduled_call(ctx: &AuthContext, owner: &str, pending: &PendingLogin, delta: i32) {
    ctx.limits
        .adjust_sends(
            pending.number.e164(),
            pending.send_ip,
            Some(owner),
            pending.started_at,
            delta,
        )
        .await;
}
