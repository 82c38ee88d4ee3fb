//! The facts of a pending login that are claimed once in the shared store (its ending, the
//! fate of the provider's scheduled call, of a first code silent authentication held back),
//! and the counts given back when a claimed delivery will never be made.

use super::sends::adjust_sends;
use crate::auth::server::metrics_names;
use crate::auth::server::{AuthContext, LoginSession, PendingLogin};

/// How long an ending's claim outlives the login's code: longer than any request that
/// loaded the login before it ended can still be running.
const CLAIM_MARGIN_SECS: u64 = 3600;

/// Claims one `fact` of `pending` (`ended`, `call`) in the shared store. A store that
/// cannot answer counts as "not ours": nothing is cancelled or given back (the number frees
/// itself at expiry, the call is counted), which is the safe side when sends cost money.
pub(super) async fn claim(ctx: &AuthContext, pending: &PendingLogin, fact: &str, now: u64) -> bool {
    let expires_at = pending
        .started_at
        .saturating_add(ctx.pending_ttl.as_secs())
        .saturating_add(CLAIM_MARGIN_SECS)
        .max(now + 1);
    match ctx
        .locks
        .claim(&pending.claim_key(fact), expires_at, now)
        .await
    {
        Ok(claimed) => claimed,
        Err(error) => {
            tracing::error!(%error, "lock store failed claiming a login's ending");
            ::metrics::counter!(metrics_names::STORE_ERRORS).increment(1);
            false
        }
    }
}

/// Claims the fate of `pending`'s scheduled call while it is still to come: either it is
/// asked for sooner ("Call me instead"), or its count is given back when the login ends,
/// never both, even when a request holding an older copy of the login races the other.
pub(super) async fn claim_scheduled_call(
    ctx: &AuthContext,
    pending: &PendingLogin,
    now: u64,
) -> bool {
    pending.call_in_secs(now).is_some() && claim(ctx, pending, "call", now).await
}

/// Gives back the call the provider would have made by itself, when it was surely still to
/// come. After silent authentication the provider may have moved on as early as it failed
/// (a moment after the start, reported late or never), so its call may come from
/// `silent_until` on: only earlier, or after a silent sign-in (`silently`: no call ever), is
/// it given back.
pub(super) async fn give_back_scheduled_call(
    ctx: &AuthContext,
    session: &LoginSession,
    pending: &PendingLogin,
    now: u64,
    silently: bool,
) {
    let maybe_made = pending.silent_until.is_some_and(|until| now >= until) && !silently;
    // A silent login's "Send me a code instead" may have been the call (see
    // `keep_scheduled_call`): whoever claims first decides.
    let kept = pending.silent_until.is_some() && !claim(ctx, pending, "call-kept", now).await;
    if maybe_made || kept || !claim_scheduled_call(ctx, pending, now).await {
        return;
    }
    give_back_one(
        ctx,
        session,
        pending,
        "scheduled call not made; its count given back",
    )
    .await;
}

/// Keeps `pending`'s scheduled call counted for good: "Send me a code instead" asked the
/// provider to move on, and if silent authentication had already failed upstream unseen,
/// that move was the call. ("Call me instead" afterwards still works: it claims the call's
/// own fate.)
pub(super) async fn keep_scheduled_call(ctx: &AuthContext, pending: &PendingLogin, now: u64) {
    let _ = claim(ctx, pending, "call-kept", now).await;
}

/// Claims the fate of `pending`'s first code while silent authentication still holds it
/// back: either it is asked for sooner ("Send me a code instead"), or its count is given back
/// when silent authentication signed the login in, never both. (Any other ending keeps it
/// counted: the provider may have sent it already after a failure nobody reported.)
pub(super) async fn claim_unsent_first_code(
    ctx: &AuthContext,
    pending: &PendingLogin,
    now: u64,
) -> bool {
    pending.silent_at(now) && claim(ctx, pending, "first", now).await
}

/// Gives back the first code silent authentication made unnecessary, when it was still to
/// come.
pub(super) async fn give_back_unsent_first_code(
    ctx: &AuthContext,
    session: &LoginSession,
    pending: &PendingLogin,
    now: u64,
) {
    if claim_unsent_first_code(ctx, pending, now).await {
        let said = "first code not sent (silent authentication); its count given back";
        give_back_one(ctx, session, pending, said).await;
    }
}

/// Gives one delivery of `pending` back to every send limit it was counted under (none for
/// a test number, which counted nothing), logging `said`.
async fn give_back_one(
    ctx: &AuthContext,
    session: &LoginSession,
    pending: &PendingLogin,
    said: &'static str,
) {
    if pending.sends_nothing {
        return;
    }
    if let Ok(owner) = session.owner_token().await {
        let at = pending.started_at;
        adjust_sends(ctx, pending.send_ip, &owner, &pending.number, at, -1).await;
        tracing::info!(number = %pending.number.masked(), "{said}");
    }
}
