//! "Send again" (next channel: the call) and "Use a different number" (cancel upstream).

use super::claims::claim_scheduled_call;
use super::lifecycle::{end, Ending};
use super::sends::reserve_sends;
use super::{is_expired, throttled};
use crate::auth::server::metrics_names;
use crate::auth::server::verify_port::ControlFailure;
use crate::auth::server::{AuthContext, LoginSession, PendingLogin, RequestFacts};
use crate::auth::{AuthError, Channel, Flash};

/// Moves the pending login to its next channel (a phone call reading the same code, or a
/// text message after WhatsApp or RCS) once the countdown is over
/// ([`AuthError::NoChannelLeft`] once it was used, by request or by the provider itself).
/// Counts against the send limits (unless it is the provider's scheduled move, counted at
/// the start, made sooner); never resets the wrong-code budget. Answers the confirmation to
/// show, e.g. "We're calling +44 … now."
pub async fn resend_code(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<String, AuthError> {
    let now = facts.now;
    let mut pending = live_pending(ctx, session, now).await?;
    if pending.silent_at(now) {
        return super::silent::skip_silent(ctx, session, facts, pending).await;
    }
    let Some(next_channel) = pending
        .next_channel
        .filter(|_| pending.has_next_channel(now))
    else {
        return Err(AuthError::NoChannelLeft);
    };
    if now < pending.resend_at {
        return Err(AuthError::ResendTooSoon {
            retry_after_secs: pending.resend_at - now,
        });
    }
    // The call the provider scheduled was counted at the start; asking for it sooner is
    // not a second delivery. Its fate is claimed once: a racing "Call me" or an ending that
    // gave its count back gets nothing more.
    if pending.call_in_secs(now).is_some() {
        if !claim_scheduled_call(ctx, &pending, now).await {
            return Err(AuthError::NoChannelLeft);
        }
    } else if !pending.sends_nothing {
        let owner = session.owner_token().await?;
        reserve_sends(ctx, facts, &owner, &pending.number, 1).await?;
    }
    let masked = pending.number.masked();
    match ctx.provider.next_channel(&pending.request_id).await {
        Ok(()) => {
            pending.channel = next_channel;
            pending.auto_call_at = None;
            pending.resend_at = now + ctx.resend_after.as_secs();
            session.update_pending(&pending).await?;
            tracing::info!(number = %masked, channel = next_channel.as_str(), "code resent");
            metrics_names::send(next_channel.as_str());
            let locale = facts.locale();
            let number = pending.number.international();
            Ok(match next_channel {
                Channel::Voice => crate::i18n::td_string!(locale, pin.calling_now, number = number),
                _ => crate::i18n::td_string!(locale, pin.texting_now, number = number),
            })
        }
        Err(ControlFailure::NothingLeft) => {
            pending.channel = next_channel;
            session.update_pending(&pending).await?;
            Err(AuthError::NoChannelLeft)
        }
        Err(ControlFailure::NotFound) => {
            end(ctx, session, now, &pending, Ending::ProviderForgot).await?;
            Err(AuthError::CodeExpired)
        }
        Err(ControlFailure::TooSoon) => Err(AuthError::ResendTooSoon {
            retry_after_secs: ctx.resend_after.as_secs().max(1),
        }),
        Err(ControlFailure::Throttled) => Err(throttled(ctx)),
        Err(failure @ (ControlFailure::Unavailable(_) | ControlFailure::OperatorFault(..))) => {
            tracing::warn!(number = %masked, %failure, "resend failed upstream");
            Err(AuthError::ServiceUnavailable)
        }
    }
}

/// Abandons the pending login: cancels the upstream request where the provider allows it
/// (else it simply expires), frees the number for other sessions, and answers the note that
/// returns to the phone step with the number filled in (`None` when no login was pending),
/// for the caller to carry to the next render (the signed flash cookie, not the session).
pub async fn change_number(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<Option<Flash>, AuthError> {
    let Some(pending) = session.pending().await? else {
        return Ok(None);
    };
    end(ctx, session, facts.now, &pending, Ending::ChangedNumber).await?;
    Ok(Some(Flash {
        error: None,
        typed_number: Some(pending.number.international().to_owned()),
        notice: None,
    }))
}

async fn live_pending(
    ctx: &AuthContext,
    session: &LoginSession,
    now: u64,
) -> Result<PendingLogin, AuthError> {
    let pending = session.pending().await?.ok_or(AuthError::NoPendingLogin)?;
    if is_expired(ctx, &pending, now) {
        end(ctx, session, now, &pending, Ending::Expired).await?;
        return Err(AuthError::CodeExpired);
    }
    Ok(pending)
}
