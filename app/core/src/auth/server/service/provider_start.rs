//! Asking the provider for a code: the fraud guard's admission, one start, and the rule
//! that a live request nobody owns is replaced, never resumed.

use super::guard::{admit_send, take_back_send};
use super::throttled;
use crate::auth::server::locale::preferred_locales;
use crate::auth::server::metrics_names;
use crate::auth::server::store::locks::LockOutcome;
use crate::auth::server::verify_port::{StartFailure, StartVerification, Started};
use crate::auth::server::{AuthContext, RequestFacts};
use crate::auth::{AuthError, Channel};
use crate::domain::{PhoneNumber, PhoneNumberProblem};

/// Asks the fraud guard (unless `sends_nothing`: a test number), then the provider, for a
/// code. On failure answers the error and
/// whether nothing was sent for sure (the provider refused, rather than failed to answer).
pub(super) async fn send_code(
    ctx: &AuthContext,
    facts: &RequestFacts,
    number: &PhoneNumber,
    lock: LockOutcome,
    sends_nothing: bool,
    channel: Channel,
    silent_return: Option<String>,
) -> Result<Started, (AuthError, bool)> {
    let now = facts.now;
    // A test number sends nothing: the guard's figures are not touched.
    let counted = match sends_nothing {
        true => false,
        false => admit_send(ctx, number, now).await.map_err(|e| (e, true))?,
    };
    let mut locales = preferred_locales(
        facts.message_languages().as_deref(),
        ctx.fallback_locale.as_deref(),
    )
    .into_iter();
    let request = StartVerification {
        number: number.clone(),
        brand: ctx.brand.clone(),
        locale: locales.next(),
        fallback_locales: locales.collect(),
        channel,
        silent_return,
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
) -> Result<Started, (AuthError, bool)> {
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
            return Err((AuthError::NumberSettling, true));
        }
        started = provider_start(ctx, request).await?;
        if started.resumed {
            return Err((AuthError::NumberSettling, true));
        }
    }
    tracing::info!(number = %number.masked(), provider = ctx.provider.name(), resumed = started.resumed, "verification started");
    if !started.resumed {
        let channel = match started.check_url {
            Some(_) => "silent_auth",
            None => request.channel.as_str(),
        };
        metrics_names::send(channel);
    }
    Ok(started)
}

/// Asks the provider for a code, mapping its refusals to what the user sees. Only a failure
/// to answer (5xx, timeout, garbage) may have sent something.
async fn provider_start(
    ctx: &AuthContext,
    request: &StartVerification,
) -> Result<Started, (AuthError, bool)> {
    ctx.provider.start(request).await.map_err(|failure| {
        tracing::warn!(number = %request.number.masked(), provider = ctx.provider.name(), %failure, "verification start failed");
        match failure {
            StartFailure::InvalidNumber => {
                (AuthError::InvalidNumber(PhoneNumberProblem::Invalid), true)
            }
            StartFailure::DestinationNotSupported => (AuthError::DestinationNotSupported, true),
            StartFailure::Settling => (AuthError::NumberSettling, true),
            StartFailure::Throttled => (throttled(ctx), true),
            StartFailure::OperatorFault(..) => (AuthError::ServiceUnavailable, true),
            StartFailure::Unavailable(_) => (AuthError::ServiceUnavailable, false),
        }
    })
}
