//! Send limits: per session, per number, per IP and globally, all counted atomically in the
//! shared store.

use super::refusal_error;
use crate::auth::server::metrics_names;
use crate::auth::server::rate_limit::LimitRefusal;
use crate::auth::server::{client_ip, AuthContext, LoginSession};
use crate::auth::AuthError;
use crate::domain::PhoneNumber;

/// Applies the per-session, per-number, per-IP and global send limits, counting this send.
pub(super) async fn allow_send(
    ctx: &AuthContext,
    session: &LoginSession,
    number: &PhoneNumber,
    now: u64,
) -> Result<(), AuthError> {
    let owner = session.owner_token().await?;
    ctx.limits
        .allow_send_from(number.e164(), client_ip(), Some(&owner), now)
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
            if let LimitRefusal::Limited { scope, .. } = refusal {
                metrics_names::limit_hit(scope);
            }
            refusal_error(refusal)
        })
}
