//! Reading the current step, and signing out.

use super::{expires_at, is_expired, now};
use crate::auth::server::{AuthContext, LoginSession, PendingLogin};
use crate::auth::{AuthError, Channel, LoginStatus, LoginStep, PendingView};

/// Signs out by destroying the server-side session.
pub async fn logout(ctx: &AuthContext, session: &LoginSession) -> Result<(), AuthError> {
    if let Some(user) = session.signed_in(now(ctx)).await? {
        tracing::info!(number = %user.number.masked(), "signed out");
    }
    session.sign_out().await
}

/// The step to render, plus the one-shot note. An expired pending login reads as signed out.
pub async fn status(ctx: &AuthContext, session: &LoginSession) -> Result<LoginStatus, AuthError> {
    let now = now(ctx);
    let flash = session.take_flash().await?;
    let step = if let Some(user) = session.signed_in(now).await? {
        LoginStep::SignedIn {
            number: user.number.e164().to_owned(),
            since: user.since,
        }
    } else {
        match session.pending().await? {
            Some(p) if !is_expired(ctx, &p, now) => LoginStep::Pending(pending_view(ctx, &p, now)),
            _ => LoginStep::SignedOut,
        }
    };
    Ok(LoginStatus {
        step,
        flash,
        dev_outbox: ctx.dev_outbox,
        passkey_rp_id: ctx.passkeys.as_ref().map(|rp| rp.id().to_owned()),
    })
}

/// What the PIN step shows about `pending` at `now`.
pub(super) fn pending_view(ctx: &AuthContext, pending: &PendingLogin, now: u64) -> PendingView {
    PendingView {
        number: pending.number.international().to_owned(),
        attempts_left: ctx.max_wrong_codes.saturating_sub(pending.wrong_codes),
        channel: pending.channel_at(now),
        resend_in_secs: pending.resend_at.saturating_sub(now),
        can_resend: pending.channel_at(now) == Channel::Sms
            && ctx.provider.delivery_plan().call_available,
        call_in_secs: pending.call_in_secs(now),
        expires_in_secs: expires_at(ctx, pending).saturating_sub(now),
    }
}
