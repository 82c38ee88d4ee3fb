//! The login's use cases as ordinary async functions: parse, call the provider, move the
//! session between states (signed out → pending → signed in), log an audit event.

use super::clock::unix_seconds;
use super::rate_limit::{LimitRefusal, Rule};
use super::verify_port::{CheckFailure, StartFailure, StartVerification};
use super::{client_ip, AuthContext, LoginSession, PendingLogin, SignedInUser};
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
    if let Some(allowed) = &ctx.allowed_countries {
        if !allowed.iter().any(|c| c == number.country()) {
            tracing::info!(number = %number.masked(), country = number.country(), "country not allowed");
            return Err(AuthError::InvalidNumber(
                PhoneNumberProblem::CountryNotAllowed,
            ));
        }
    }
    let now = unix_seconds(ctx.clock.now());
    if let Some(pending) = session.pending().await? {
        if pending.number == number && !is_expired(ctx, &pending, now) {
            tracing::info!(number = %number.masked(), "login start repeated; keeping the code already sent");
            return Ok(());
        }
    }
    allow_send(ctx, session, &number, now).await?;
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
    ctx.limits
        .allow_check(client_ip(), now)
        .await
        .map_err(|refusal| {
            tracing::warn!(number = %masked, ?refusal, "code check refused by limit");
            refusal_error(refusal)
        })?;
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
pub async fn logout(ctx: &AuthContext, session: &LoginSession) -> Result<(), AuthError> {
    if let Some(user) = session.signed_in(unix_seconds(ctx.clock.now())).await? {
        tracing::info!(number = %user.number.masked(), "signed out");
    }
    session.sign_out().await
}

/// The step to render, plus the one-shot no-JS error. An expired pending login reads as
/// signed out.
pub async fn status(ctx: &AuthContext, session: &LoginSession) -> Result<LoginStatus, AuthError> {
    let flash = session.take_flash().await?;
    let step = if let Some(user) = session.signed_in(unix_seconds(ctx.clock.now())).await? {
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

/// Applies the per-session, per-number, per-IP and global send limits, counting this send.
async fn allow_send(
    ctx: &AuthContext,
    session: &LoginSession,
    number: &PhoneNumber,
    now: u64,
) -> Result<(), AuthError> {
    let rules = &ctx.limits.policy().per_session;
    let longest = rules.iter().map(|r| r.window.as_secs()).max().unwrap_or(0);
    let mut sends: Vec<u64> = session
        .sends()
        .await?
        .into_iter()
        .filter(|t| now < t + longest)
        .collect();
    if let Some(retry_after_secs) = session_wait(rules, &sends, now) {
        tracing::warn!(number = %number.masked(), scope = "session", "code send refused by limit");
        return Err(AuthError::TooManyRequests { retry_after_secs });
    }
    ctx.limits
        .allow_send(number.e164(), client_ip(), now)
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
            refusal_error(refusal)
        })?;
    sends.push(now);
    session.set_sends(&sends).await
}

/// Seconds until the session may send again, if a per-session rule is full.
fn session_wait(rules: &[Rule], sends: &[u64], now: u64) -> Option<u64> {
    rules
        .iter()
        .filter_map(|rule| {
            let window = rule.window.as_secs();
            let mut recent: Vec<u64> = sends.iter().copied().filter(|t| now < t + window).collect();
            if recent.len() < rule.max as usize {
                return None;
            }
            recent.sort_unstable();
            // The oldest send that must age out before one more fits.
            let index = recent.len() - rule.max as usize;
            Some((recent[index] + window).saturating_sub(now).max(1))
        })
        .max()
}

fn refusal_error(refusal: LimitRefusal) -> AuthError {
    match refusal {
        LimitRefusal::Limited {
            retry_after_secs, ..
        } => AuthError::TooManyRequests { retry_after_secs },
        LimitRefusal::StoreUnavailable => AuthError::ServiceUnavailable,
    }
}

fn is_expired(ctx: &AuthContext, pending: &PendingLogin, now: u64) -> bool {
    now >= pending.started_at.saturating_add(ctx.pending_ttl.as_secs())
}
