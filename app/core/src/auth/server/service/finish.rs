//! The PIN step: check the code, count wrong ones (per pending login and per number), sign in.

use super::device_sessions::open_session;
use super::guard::count_verified;
use super::lifecycle::{end, Ending};
use super::{is_expired, refusal_error, throttled};
use crate::auth::server::metrics_names as metrics;
use crate::auth::server::store::session_index::SignInFactor;
use crate::auth::server::verify_port::CheckFailure;
use crate::auth::server::{AuthContext, LoginSession, RequestFacts};
use crate::auth::AuthError;
use crate::domain::Pin;

/// Checks `raw_code` against the pending login. Right: signs in (new session id) and clears
/// the number's wrong-code count. Wrong: counts it for the pending login and for the number
/// (shared store, across sessions and codes) and says how many tries are left; past either
/// cap, or expired, the pending login ends and the user must start again. On success
/// answers where to go next (`/` unless the login was started with a safe `next`).
pub async fn finish_login(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    raw_code: &str,
) -> Result<String, AuthError> {
    let code = Pin::parse(raw_code).map_err(AuthError::InvalidCode);
    check_and_sign_in(ctx, session, facts, code, Ending::SignedInByCode).await
}

/// [`finish_login`] with the code already read: a typed one (`signed_in` is
/// [`Ending::SignedInByCode`]), or the one the mobile network handed the browser after silent
/// authentication ([`Ending::SignedInSilently`]). A `code` that could not be read is
/// answered after the expiry check, as a typed one is.
pub(super) async fn check_and_sign_in(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    code: Result<Pin, AuthError>,
    signed_in: Ending,
) -> Result<String, AuthError> {
    let Some(mut pending) = session.pending().await? else {
        return Err(AuthError::NoPendingLogin);
    };
    let now = facts.now;
    if is_expired(ctx, &pending, now) {
        end(ctx, session, now, &pending, Ending::Expired).await?;
        tracing::info!(number = %pending.number.masked(), "code check on expired login");
        metrics::check("expired");
        return Err(AuthError::CodeExpired);
    }
    let code = code?;
    let masked = pending.number.masked();
    ctx.limits
        .allow_check(facts.client_ip, now)
        .await
        .map_err(|refusal| {
            tracing::warn!(number = %masked, ?refusal, "code check refused by limit");
            metrics::limit_hit("checks");
            refusal_error(refusal)
        })?;
    let failures = ctx
        .limits
        .failures(pending.number.e164(), now)
        .await
        .map_err(refusal_error)?;
    if let Some(retry_after_secs) = failures.blocked_for {
        end(ctx, session, now, &pending, Ending::NumberLocked).await?;
        tracing::warn!(number = %masked, "code check refused: too many wrong codes for this number");
        metrics::limit_hit("failed");
        return Err(AuthError::TooManyWrongCodes { retry_after_secs });
    }
    match ctx.provider.check(&pending.request_id, &code).await {
        Ok(()) => {
            // Another request with this cookie ended the login meanwhile ("Use a different
            // number", logout): that ending stands, and nobody is signed in by this one.
            if !end(ctx, session, now, &pending, signed_in).await? {
                return Err(AuthError::NoPendingLogin);
            }
            // Nothing to clear when no wrong code counted (read just before the check; the
            // number is this session's, so no other session adds one meanwhile).
            if failures.count > 0 {
                if let Err(refusal) = ctx.limits.clear_failures(pending.number.e164(), now).await {
                    tracing::warn!(number = %masked, ?refusal, "wrong-code count not cleared");
                }
            }
            if !pending.sends_nothing {
                count_verified(ctx, &pending.number, now).await;
            }
            // The account is recorded before the session is signed in: a signed-in session
            // always has its account.
            let account = ctx
                .accounts
                .record_sign_in(pending.number.e164(), now)
                .await
                .map_err(|error| {
                    tracing::error!(number = %masked, %error, "account store failed; not signed in");
                    ::metrics::counter!(metrics::STORE_ERRORS).increment(1);
                    AuthError::TemporarilyUnavailable
                })?;
            if account.created_at == now {
                tracing::info!(number = %masked, "account created on first sign-in");
            }
            let destination = pending.next.clone().unwrap_or_else(|| "/".to_owned());
            let test_number = pending.sends_nothing;
            open_session(
                ctx,
                session,
                facts,
                &account.id,
                pending.number,
                SignInFactor::Code,
            )
            .await?;
            tracing::info!(number = %masked, "code check ok; signed in");
            if test_number {
                tracing::info!(number = %masked, "audit: test number signed in");
                ::metrics::counter!(metrics::TEST_NUMBER_SIGN_INS).increment(1);
            }
            metrics::check("ok");
            ::metrics::counter!(metrics::SIGN_INS).increment(1);
            Ok(destination)
        }
        Err(CheckFailure::WrongCode) => {
            let failures = ctx
                .limits
                .record_failure(pending.number.e164(), now)
                .await
                .map_err(refusal_error)?;
            pending.wrong_codes += 1;
            let left = ctx
                .max_wrong_codes
                .saturating_sub(pending.wrong_codes)
                .min(failures.left);
            if let Some(retry_after_secs) = failures.blocked_for {
                end(ctx, session, now, &pending, Ending::NumberLocked).await?;
                tracing::warn!(number = %masked, "code check wrong; number locked for too many wrong codes");
                metrics::check("exhausted");
                return Err(AuthError::TooManyWrongCodes { retry_after_secs });
            }
            if left == 0 {
                end(ctx, session, now, &pending, Ending::WrongCodesExhausted).await?;
                tracing::info!(number = %masked, "code check wrong; attempts exhausted");
                metrics::check("exhausted");
                return Err(AuthError::TooManyAttempts);
            }
            pending.wrong_codes = ctx.max_wrong_codes - left;
            session.update_pending(&pending).await?;
            tracing::info!(number = %masked, wrong_codes = pending.wrong_codes, "code check wrong");
            metrics::check("wrong");
            Err(AuthError::WrongCode {
                attempts_left: left,
            })
        }
        Err(CheckFailure::TooManyAttempts) => {
            if let Err(refusal) = ctx.limits.record_failure(pending.number.e164(), now).await {
                tracing::warn!(number = %masked, ?refusal, "wrong code not counted");
            }
            // The provider ended the request: its call will not come.
            end(ctx, session, now, &pending, Ending::ProviderExhausted).await?;
            tracing::info!(number = %masked, "code check refused by provider; attempts exhausted");
            metrics::check("exhausted");
            Err(AuthError::TooManyAttempts)
        }
        Err(CheckFailure::NotFound) => {
            end(ctx, session, now, &pending, Ending::ProviderForgot).await?;
            tracing::info!(number = %masked, "code check on request the provider no longer has");
            metrics::check("expired");
            Err(AuthError::CodeExpired)
        }
        Err(CheckFailure::Throttled) => {
            metrics::check("throttled");
            Err(throttled(ctx))
        }
        Err(failure @ (CheckFailure::Unavailable(_) | CheckFailure::OperatorFault(..))) => {
            tracing::warn!(number = %masked, provider = ctx.provider.name(), %failure, "code check failed upstream");
            metrics::check("error");
            Err(AuthError::ServiceUnavailable)
        }
    }
}
