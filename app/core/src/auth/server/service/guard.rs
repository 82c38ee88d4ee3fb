//! The fraud guard's part in the login: judge a send before it happens, take back one that
//! did not happen, count a successful check.

use crate::auth::server::guard::Admission;
use crate::auth::server::{metrics_names, AuthContext};
use crate::auth::AuthError;
use crate::domain::PhoneNumber;

/// Asks the fraud guard whether a code may be sent to `number`; answers whether the send
/// was counted in its figures. A blocked destination (enforce mode) is
/// [`AuthError::SendingPaused`]; a store failure refuses the send like a limit does.
pub(super) async fn admit_send(
    ctx: &AuthContext,
    number: &PhoneNumber,
    now: u64,
) -> Result<bool, AuthError> {
    match ctx.guard.admit(number, now).await {
        Ok(Admission::Counted) => Ok(true),
        Ok(Admission::Uncounted) => Ok(false),
        Ok(Admission::Refused { scope }) => {
            tracing::warn!(number = %number.masked(), %scope, "code send refused by the fraud guard");
            Err(AuthError::SendingPaused)
        }
        Err(error) => {
            tracing::error!(%error, "fraud guard store failed; code send refused");
            ::metrics::counter!(metrics_names::STORE_ERRORS).increment(1);
            Err(AuthError::TemporarilyUnavailable)
        }
    }
}

/// Takes back a counted send that did not happen.
pub(super) async fn take_back_send(ctx: &AuthContext, number: &PhoneNumber, now: u64) {
    if let Err(error) = ctx.guard.take_back(number, now).await {
        tracing::warn!(%error, "fraud guard: a code not sent was not taken back");
    }
}

/// Counts a successful code check for `number` in the guard's conversion figures.
pub(super) async fn count_verified(ctx: &AuthContext, number: &PhoneNumber, now: u64) {
    if let Err(error) = ctx.guard.verified(number, now).await {
        tracing::warn!(%error, "fraud guard: a successful check was not counted");
    }
}
