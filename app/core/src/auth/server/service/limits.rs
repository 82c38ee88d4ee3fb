//! Send limits: per session (kept in the session), then per number, IP and globally
//! (shared counters).

use super::refusal_error;
use crate::auth::server::metrics_names;
use crate::auth::server::rate_limit::{LimitRefusal, Rule};
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
        metrics_names::limit_hit("session");
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
            if let LimitRefusal::Limited { scope, .. } = refusal {
                metrics_names::limit_hit(scope);
            }
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
