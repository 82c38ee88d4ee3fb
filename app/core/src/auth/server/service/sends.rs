//! The send counters' side of a login: reserving deliveries against every send limit at
//! once, and giving them back when they are known not to happen.

use super::refusal_error;
use crate::auth::server::metrics_names;
use crate::auth::server::rate_limit::LimitRefusal;
use crate::auth::server::{AuthContext, RequestFacts};
use crate::auth::AuthError;
use crate::domain::PhoneNumber;

/// Adds `delta` to every send counter a send to `number` from `ip` by the session `owner`
/// counts in, in the windows holding `at`.
pub(super) async fn adjust_sends(
    ctx: &AuthContext,
    ip: Option<std::net::IpAddr>,
    owner: &str,
    number: &PhoneNumber,
    at: u64,
    delta: i32,
) {
    ctx.limits
        .adjust_sends(number.e164(), ip, Some(owner), at, delta)
        .await;
}

/// Applies the per-session, per-number, per-IP and global send limits to `deliveries`
/// sends at once, counting them.
pub(super) async fn reserve_sends(
    ctx: &AuthContext,
    facts: &RequestFacts,
    owner: &str,
    number: &PhoneNumber,
    deliveries: u32,
) -> Result<(), AuthError> {
    ctx.limits
        .allow_sends_from(
            number.e164(),
            facts.client_ip,
            Some(owner),
            deliveries,
            facts.now,
        )
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
