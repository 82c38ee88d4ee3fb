//! The phone step: parse the number, check destination and limits, ask for a code.

use super::limits::allow_send;
use super::{is_expired, now};
use crate::auth::server::locale::preferred_locale;
use crate::auth::server::metrics_names;
use crate::auth::server::verify_port::{StartFailure, StartVerification};
use crate::auth::server::{accept_language, AuthContext, LoginSession, PendingLogin};
use crate::auth::{safe_next, AuthError, Channel};
use crate::domain::{PhoneNumber, PhoneNumberProblem};

/// Sends a code to `raw_number` and makes the session pending; `next` (if a safe same-site
/// path) is where sign-in will lead. Asking again for the number already pending does not
/// send a second message.
pub async fn start_login(
    ctx: &AuthContext,
    session: &LoginSession,
    raw_number: &str,
    next: Option<&str>,
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
    if let Some(pending) = session.pending().await? {
        if pending.number == number && !is_expired(ctx, &pending, now) {
            tracing::info!(number = %number.masked(), "login start repeated; keeping the code already sent");
            let pending = PendingLogin { next, ..pending };
            return session.update_pending(&pending).await;
        }
    }
    allow_send(ctx, session, &number, now).await?;
    let request = StartVerification {
        number: number.clone(),
        brand: ctx.brand.clone(),
        locale: preferred_locale(accept_language().as_deref(), ctx.fallback_locale.as_deref()),
    };
    let started = ctx.provider.start(&request).await.map_err(|failure| {
        tracing::warn!(number = %number.masked(), provider = ctx.provider.name(), %failure, "verification start failed");
        match failure {
            StartFailure::InvalidNumber => AuthError::InvalidNumber(PhoneNumberProblem::Invalid),
            StartFailure::DestinationNotSupported => AuthError::DestinationNotSupported,
            StartFailure::Throttled => AuthError::Throttled,
            StartFailure::Unavailable(_) => AuthError::ServiceUnavailable,
        }
    })?;
    tracing::info!(number = %number.masked(), provider = ctx.provider.name(), resumed = started.resumed, "verification started");
    if !started.resumed {
        metrics_names::send("sms");
    }
    let pending = PendingLogin {
        number,
        request_id: started.request_id,
        started_at: now,
        wrong_codes: 0,
        channel: Channel::Sms,
        resend_at: now + ctx.resend_after.as_secs(),
        next,
    };
    session.begin_pending(&pending).await
}
