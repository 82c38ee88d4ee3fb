//! The PIN step: check the code, count wrong ones, sign in.

use super::{is_expired, now, refusal_error};
use crate::auth::server::metrics_names as metrics;
use crate::auth::server::verify_port::CheckFailure;
use crate::auth::server::{client_ip, AuthContext, LoginSession, SignedInUser};
use crate::auth::AuthError;
use crate::domain::Pin;

/// Checks `raw_code` against the pending login. Right: signs in (new session id). Wrong:
/// counts it and says how many tries are left; past the cap, or expired, the pending login
/// ends and the user must start again. On success answers where to go next (`/` unless the
/// login was started with a safe `next`).
pub async fn finish_login(
    ctx: &AuthContext,
    session: &LoginSession,
    raw_code: &str,
) -> Result<String, AuthError> {
    let Some(mut pending) = session.pending().await? else {
        return Err(AuthError::NoPendingLogin);
    };
    let now = now(ctx);
    if is_expired(ctx, &pending, now) {
        session.clear_pending().await?;
        tracing::info!(number = %pending.number.masked(), "code check on expired login");
        metrics::check("expired");
        return Err(AuthError::CodeExpired);
    }
    let code = Pin::parse(raw_code).map_err(AuthError::InvalidCode)?;
    let masked = pending.number.masked();
    ctx.limits
        .allow_check(client_ip(), now)
        .await
        .map_err(|refusal| {
            tracing::warn!(number = %masked, ?refusal, "code check refused by limit");
            metrics::limit_hit("checks");
            refusal_error(refusal)
        })?;
    match ctx.provider.check(&pending.request_id, &code).await {
        Ok(()) => {
            let destination = pending.next.clone().unwrap_or_else(|| "/".to_owned());
            let user = SignedInUser {
                number: pending.number,
                since: now,
            };
            session.sign_in(&user).await?;
            tracing::info!(number = %masked, "code check ok; signed in");
            metrics::check("ok");
            ::metrics::counter!(metrics::SIGN_INS).increment(1);
            Ok(destination)
        }
        Err(CheckFailure::WrongCode) => {
            pending.wrong_codes += 1;
            if pending.wrong_codes >= ctx.max_wrong_codes {
                session.clear_pending().await?;
                tracing::info!(number = %masked, "code check wrong; attempts exhausted");
                metrics::check("exhausted");
                return Err(AuthError::TooManyAttempts);
            }
            session.update_pending(&pending).await?;
            tracing::info!(number = %masked, wrong_codes = pending.wrong_codes, "code check wrong");
            metrics::check("wrong");
            Err(AuthError::WrongCode {
                attempts_left: ctx.max_wrong_codes - pending.wrong_codes,
            })
        }
        Err(CheckFailure::TooManyAttempts) => {
            session.clear_pending().await?;
            tracing::info!(number = %masked, "code check refused by provider; attempts exhausted");
            metrics::check("exhausted");
            Err(AuthError::TooManyAttempts)
        }
        Err(CheckFailure::NotFound) => {
            session.clear_pending().await?;
            tracing::info!(number = %masked, "code check on request the provider no longer has");
            metrics::check("expired");
            Err(AuthError::CodeExpired)
        }
        Err(CheckFailure::Throttled) => {
            metrics::check("throttled");
            Err(AuthError::Throttled)
        }
        Err(CheckFailure::Unavailable(detail)) => {
            tracing::warn!(number = %masked, provider = ctx.provider.name(), %detail, "code check failed upstream");
            metrics::check("error");
            Err(AuthError::ServiceUnavailable)
        }
    }
}
