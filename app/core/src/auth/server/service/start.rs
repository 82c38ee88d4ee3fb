//! The phone step: parse the number, check destination, ownership and limits, ask for a code.

use super::challenge::{note_send, pass_challenge};
use super::guard::{admit_send, take_back_send};
use super::limits::{allow_send, count_scheduled_call};
use super::ownership::{give_up, release_number, take_number};
use super::{is_expired, now, refusal_error, throttled};
use crate::auth::server::locale::preferred_locale;
use crate::auth::server::metrics_names;
use crate::auth::server::number_lock::LockOutcome;
use crate::auth::server::rate_limit::Failures;
use crate::auth::server::verify_port::{StartFailure, StartVerification, Started};
use crate::auth::server::{accept_language, client_ip, AuthContext, LoginSession, PendingLogin};
use crate::auth::{safe_next, AuthError, Channel};
use crate::domain::{PhoneNumber, PhoneNumberProblem};

/// Sends a code to `raw_number` and makes the session pending; `next` (if a safe same-site
/// path) is where sign-in will lead. Asking again for the number already pending does not
/// send a second message. A number whose code another session asked for is refused with
/// [`AuthError::NumberBusy`] (nothing sent, the other login untouched); wrong codes typed
/// for this number earlier, in any session, still count. A risky send needs a passed human
/// check (`captcha_token`, when a CAPTCHA provider is configured), asked for with
/// [`AuthError::ChallengeRequired`] before anything is counted or sent.
pub async fn start_login(
    ctx: &AuthContext,
    session: &LoginSession,
    raw_number: &str,
    next: Option<&str>,
    captcha_token: Option<&str>,
) -> Result<(), AuthError> {
    let number =
        PhoneNumber::parse(raw_number, ctx.default_country).map_err(AuthError::InvalidNumber)?;
    if let Some(allowed) = &ctx.allowed_countries {
        if !allowed.iter().any(|c| c == number.country()) {
            tracing::info!(number = %number.masked(), country = number.country(), "country not allowed");
            return Err(AuthError::InvalidNumber(
                PhoneNumberProblem::CountryNotAllowed,
            ));
        }
    }
    let now = now(ctx);
    let next = next.and_then(safe_next);
    let previous = session.pending().await?;
    if let Some(pending) = &previous {
        if pending.number == number && !is_expired(ctx, pending, now) {
            tracing::info!(number = %number.masked(), "login start repeated; keeping the code already sent");
            let pending = PendingLogin {
                next,
                ..pending.clone()
            };
            return session.update_pending(&pending).await;
        }
    }
    let failures = ctx
        .limits
        .failures(number.e164(), now)
        .await
        .map_err(refusal_error)?;
    if let Some(retry_after_secs) = failures.blocked_for {
        tracing::warn!(number = %number.masked(), "login start refused: too many wrong codes for this number");
        metrics_names::limit_hit("failed");
        return Err(AuthError::TooManyWrongCodes { retry_after_secs });
    }
    pass_challenge(ctx, &number, captcha_token, now).await?;
    let lock = take_number(ctx, session, &number, now).await?;
    let sent = send_code(ctx, session, &number, lock, now).await;
    let started = match sent {
        Ok(started) => started,
        Err(error) => {
            if lock == LockOutcome::Acquired {
                release_number(ctx, session, &number).await;
            }
            return Err(error);
        }
    };
    // One pending login per browser: the one for another number is given up, so that
    // number is free for whoever owns it.
    if let Some(previous) = previous.filter(|p| p.number != number) {
        give_up(ctx, session, &previous).await;
    }
    if !started.resumed {
        note_send(ctx, &number, now).await;
    }
    // A resumed request's call was scheduled (and counted) by the start that made it.
    let auto_call_at = match started.resumed {
        true => None,
        false => ctx
            .provider
            .delivery_plan()
            .auto_call_after
            .map(|after| now + after.as_secs()),
    };
    let pending = PendingLogin {
        number,
        request_id: started.request_id,
        started_at: now,
        wrong_codes: carried_wrong_codes(ctx.max_wrong_codes, failures),
        channel: Channel::Sms,
        resend_at: now + ctx.resend_after.as_secs(),
        next,
        auto_call_at,
        send_ip: client_ip(),
    };
    count_scheduled_call(ctx, session, &pending).await?;
    session.begin_pending(&pending).await
}

/// Applies the send limits and asks the provider for a code. A provider's "a request is
/// already live for this number" is resumed only when this session already owned the
/// number (`lock` is [`LockOutcome::AlreadyOurs`]); a request nobody owns is cancelled and
/// replaced, never taken over.
async fn send_code(
    ctx: &AuthContext,
    session: &LoginSession,
    number: &PhoneNumber,
    lock: LockOutcome,
    now: u64,
) -> Result<Started, AuthError> {
    allow_send(ctx, session, number, now).await?;
    let counted = admit_send(ctx, number, now).await?;
    let request = StartVerification {
        number: number.clone(),
        brand: ctx.brand.clone(),
        locale: preferred_locale(accept_language().as_deref(), ctx.fallback_locale.as_deref()),
    };
    let result = start_fresh(ctx, &request, lock).await;
    // A counted send that did not happen (refused, failed, or a live request resumed) is
    // taken back from the guard's figures.
    if counted && !matches!(&result, Ok(started) if !started.resumed) {
        take_back_send(ctx, number, now).await;
    }
    result
}

/// One provider start; a live request nobody owns is cancelled and started afresh.
async fn start_fresh(
    ctx: &AuthContext,
    request: &StartVerification,
    lock: LockOutcome,
) -> Result<Started, AuthError> {
    let number = &request.number;
    let mut started = provider_start(ctx, request).await?;
    if started.resumed && lock != LockOutcome::AlreadyOurs {
        // A live request nobody owns (no live lock): ours from before a lost reply, one we
        // cancelled, or one whose login has ended. Never resumed: cancelled, then one fresh
        // start. A provider that still counts it (Vonage v2 for a few seconds after a
        // cancel, v1 for 30 s) gets "wait a moment".
        tracing::warn!(number = %number.masked(), provider = ctx.provider.name(), "provider holds a request no session owns; cancelling it, not resuming it");
        let cancelled = ctx.provider.cancel(&started.request_id).await;
        if let Err(failure) = cancelled {
            tracing::info!(number = %number.masked(), %failure, "unowned request not cancelled");
            return Err(AuthError::NumberSettling);
        }
        started = provider_start(ctx, request).await?;
        if started.resumed {
            return Err(AuthError::NumberSettling);
        }
    }
    tracing::info!(number = %number.masked(), provider = ctx.provider.name(), resumed = started.resumed, "verification started");
    if !started.resumed {
        metrics_names::send("sms");
    }
    Ok(started)
}

/// Asks the provider for a code, mapping its refusals to what the user sees.
async fn provider_start(
    ctx: &AuthContext,
    request: &StartVerification,
) -> Result<Started, AuthError> {
    ctx.provider.start(request).await.map_err(|failure| {
        tracing::warn!(number = %request.number.masked(), provider = ctx.provider.name(), %failure, "verification start failed");
        match failure {
            StartFailure::InvalidNumber => AuthError::InvalidNumber(PhoneNumberProblem::Invalid),
            StartFailure::DestinationNotSupported => AuthError::DestinationNotSupported,
            StartFailure::Settling => AuthError::NumberSettling,
            StartFailure::Throttled => throttled(ctx),
            StartFailure::OperatorFault(..) | StartFailure::Unavailable(_) => {
                AuthError::ServiceUnavailable
            }
        }
    })
}

/// Wrong codes a new pending login starts with: those already typed for the number (in any
/// session, for any code) still count, so the attempts shown never go back up; at least one
/// try is left for the new code while the per-number cap allows it.
fn carried_wrong_codes(max_wrong_codes: u32, failures: Failures) -> u32 {
    let used = failures
        .count
        .max(max_wrong_codes.saturating_sub(failures.left));
    used.min(max_wrong_codes.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earlier_wrong_codes_carry_into_a_new_code() {
        let f = |count, left| Failures {
            count,
            left,
            blocked_for: None,
        };
        assert_eq!(carried_wrong_codes(3, f(0, 10)), 0);
        assert_eq!(carried_wrong_codes(3, f(2, 8)), 2);
        assert_eq!(carried_wrong_codes(3, f(7, 3)), 2, "one try per new code");
        assert_eq!(carried_wrong_codes(3, f(1, 2)), 1);
        assert_eq!(carried_wrong_codes(3, f(0, 1)), 2, "cap nearly reached");
    }
}
