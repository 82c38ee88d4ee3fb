//! The login's use cases as ordinary async functions: parse, call the provider, move the
//! session between states (signed out → pending → signed in), log an audit event.

use super::clock::unix_seconds;
use super::verify_port::{CheckFailure, StartFailure, StartVerification};
use super::{AuthContext, LoginSession, PendingLogin, SignedInUser};
use crate::auth::{AuthError, LoginStatus, LoginStep};
use crate::domain::{PhoneNumber, PhoneNumberProblem, Pin};

/// Sends a code to `raw_number` and makes the session pending. Asking again for the number
/// already pending does not send a second message.
pub async fn start_login(
    ctx: &AuthContext,
    session: &LoginSession,
    raw_number: &str,
) -> Result<(), AuthError> {
    let number =
        PhoneNumber::parse(raw_number, ctx.default_country).map_err(AuthError::InvalidNumber)?;
    let now = unix_seconds(ctx.clock.now());
    if let Some(pending) = session.pending().await? {
        if pending.number == number && !is_expired(ctx, &pending, now) {
            tracing::info!(number = %number.masked(), "login start repeated; keeping the code already sent");
            return Ok(());
        }
    }
    let request = StartVerification {
        number: number.clone(),
        brand: ctx.brand.clone(),
        locale: None,
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
    let pending = PendingLogin {
        number,
        request_id: started.request_id,
        started_at: now,
        wrong_codes: 0,
    };
    session.begin_pending(&pending).await
}

/// Checks `raw_code` against the pending login. Right: signs in (new session id). Wrong:
/// counts it and says how many tries are left; past the cap, or expired, the pending login
/// ends and the user must start again.
pub async fn finish_login(
    ctx: &AuthContext,
    session: &LoginSession,
    raw_code: &str,
) -> Result<(), AuthError> {
    let Some(mut pending) = session.pending().await? else {
        return Err(AuthError::NoPendingLogin);
    };
    let now = unix_seconds(ctx.clock.now());
    if is_expired(ctx, &pending, now) {
        session.clear_pending().await?;
        tracing::info!(number = %pending.number.masked(), "code check on expired login");
        return Err(AuthError::CodeExpired);
    }
    let code = Pin::parse(raw_code).map_err(AuthError::InvalidCode)?;
    let masked = pending.number.masked();
    match ctx.provider.check(&pending.request_id, &code).await {
        Ok(()) => {
            let user = SignedInUser {
                number: pending.number,
                since: now,
            };
            session.sign_in(&user).await?;
            tracing::info!(number = %masked, "code check ok; signed in");
            Ok(())
        }
        Err(CheckFailure::WrongCode) => {
            pending.wrong_codes += 1;
            if pending.wrong_codes >= ctx.max_wrong_codes {
                session.clear_pending().await?;
                tracing::info!(number = %masked, "code check wrong; attempts exhausted");
                return Err(AuthError::TooManyAttempts);
            }
            session.update_pending(&pending).await?;
            tracing::info!(number = %masked, wrong_codes = pending.wrong_codes, "code check wrong");
            Err(AuthError::WrongCode {
                attempts_left: ctx.max_wrong_codes - pending.wrong_codes,
            })
        }
        Err(CheckFailure::TooManyAttempts) => {
            session.clear_pending().await?;
            tracing::info!(number = %masked, "code check refused by provider; attempts exhausted");
            Err(AuthError::TooManyAttempts)
        }
        Err(CheckFailure::NotFound) => {
            session.clear_pending().await?;
            tracing::info!(number = %masked, "code check on request the provider no longer has");
            Err(AuthError::CodeExpired)
        }
        Err(CheckFailure::Throttled) => Err(AuthError::Throttled),
        Err(CheckFailure::Unavailable(detail)) => {
            tracing::warn!(number = %masked, provider = ctx.provider.name(), %detail, "code check failed upstream");
            Err(AuthError::ServiceUnavailable)
        }
    }
}

/// Signs out by destroying the server-side session.
pub async fn logout(session: &LoginSession) -> Result<(), AuthError> {
    if let Some(user) = session.signed_in().await? {
        tracing::info!(number = %user.number.masked(), "signed out");
    }
    session.sign_out().await
}

/// The step to render, plus the one-shot no-JS error. An expired pending login reads as
/// signed out.
pub async fn status(ctx: &AuthContext, session: &LoginSession) -> Result<LoginStatus, AuthError> {
    let flash = session.take_flash().await?;
    let step = if let Some(user) = session.signed_in().await? {
        LoginStep::SignedIn {
            number: user.number.e164().to_owned(),
            since: user.since,
        }
    } else {
        match session.pending().await? {
            Some(p) if !is_expired(ctx, &p, unix_seconds(ctx.clock.now())) => LoginStep::Pending {
                number: p.number.international().to_owned(),
                attempts_left: ctx.max_wrong_codes.saturating_sub(p.wrong_codes),
            },
            _ => LoginStep::SignedOut,
        }
    };
    Ok(LoginStatus {
        step,
        flash,
        dev_outbox: ctx.dev_outbox,
    })
}

fn is_expired(ctx: &AuthContext, pending: &PendingLogin, now: u64) -> bool {
    now >= pending.started_at.saturating_add(ctx.pending_ttl.as_secs())
}
