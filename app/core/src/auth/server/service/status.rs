//! Reading the current step, and signing out.

use super::device_sessions::{current_user, forget};
use super::lifecycle::{end, Ending};
use super::{expires_at, is_expired};
use crate::auth::server::{AuthContext, LoginSession, PendingLogin, RequestFacts};
use crate::auth::{AuthError, LoginStatus, LoginStep, PendingView, SilentView};

/// Signs out by destroying the server-side session. A pending login ends first, as "Use a
/// different number" ends it: cancelled upstream (no call afterwards), its number free.
pub async fn logout(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<(), AuthError> {
    if let Some(pending) = session.pending().await? {
        end(ctx, session, facts.now, &pending, Ending::LoggedOut).await?;
    }
    if let Some(user) = session.signed_in(facts.now).await? {
        forget(ctx, &user).await;
        tracing::info!(number = %user.number.masked(), "signed out");
    }
    session.sign_out().await
}

/// The step to render, plus the one-shot note. An expired pending login reads as signed out.
pub async fn status(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<LoginStatus, AuthError> {
    let now = facts.now;
    let flash = facts.flash.clone();
    let step = if let Some(user) = current_user(ctx, session, facts).await? {
        LoginStep::SignedIn {
            number: user.number.international().to_owned(),
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
        channel_choice: None,
    })
}

/// What the PIN step shows about `pending` at `now`.
pub(super) fn pending_view(ctx: &AuthContext, pending: &PendingLogin, now: u64) -> PendingView {
    PendingView {
        number: pending.number.international().to_owned(),
        attempts_left: ctx.max_wrong_codes.saturating_sub(pending.wrong_codes),
        channel: pending.channel_at(now),
        resend_in_secs: pending.resend_at.saturating_sub(now),
        can_resend: pending.has_next_channel(now),
        next_channel: pending.next_channel,
        first_channel: pending.first_channel,
        silent: pending
            .check_url
            .clone()
            .filter(|_| pending.silent_at(now))
            .map(|check_url| SilentView {
                check_url,
                code_in_secs: pending.silent_until.unwrap_or(now).saturating_sub(now),
            }),
        call_in_secs: pending.call_in_secs(now),
        expires_in_secs: expires_at(ctx, pending).saturating_sub(now),
    }
}
