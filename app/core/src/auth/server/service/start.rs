//! The phone step: parse the number, check destination, ownership and limits, ask for a code.

use super::challenge::pass_challenge;
use super::lifecycle::{begin, end, Ending};
use super::{is_expired, refusal_error};
use crate::auth::server::metrics_names;
use crate::auth::server::rate_limit::Failures;
use crate::auth::server::{AuthContext, LoginSession, PendingLogin, RequestFacts};
use crate::auth::{AuthError, Channel};
use crate::domain::{PhoneNumber, PhoneNumberProblem};

/// Sends a code to `raw_number` and makes the session pending; `next` (a same-site path,
/// or a URL on an `AUTH_REDIRECT_HOSTS` host) is where sign-in will lead. Asking again for the number already pending does not
/// send a second message. A number whose code another session asked for is refused with
/// [`AuthError::NumberBusy`] (nothing sent, the other login untouched); wrong codes typed
/// for this number earlier, in any session, still count. A risky send needs a passed human
/// check (`captcha_token`, when a CAPTCHA provider is configured), asked for with
/// [`AuthError::ChallengeRequired`] before anything is counted or sent. The first code goes
/// out on `channel` (one of the delivery plan's first choices).
pub async fn start_login(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    raw_number: &str,
    next: Option<&str>,
    captcha_token: Option<&str>,
    channel: Channel,
) -> Result<(), AuthError> {
    let number = parse_number(ctx, raw_number)?;
    if let Some(allowed) = &ctx.allowed_countries {
        if !allowed.iter().any(|c| c == number.country()) {
            tracing::info!(number = %number.masked(), country = number.country(), "country not allowed");
            return Err(AuthError::InvalidNumber(
                PhoneNumberProblem::CountryNotAllowed,
            ));
        }
    }
    let now = facts.now;
    let next = next.and_then(|raw| ctx.redirect_hosts.checked_next(raw));
    let mut previous = session.pending().await?;
    if let Some(pending) = &previous {
        if pending.number == number {
            if !is_expired(ctx, pending, now) {
                tracing::info!(number = %number.masked(), "login start repeated; keeping the code already sent");
                let pending = PendingLogin {
                    next,
                    ..pending.clone()
                };
                return session.update_pending(&pending).await;
            }
            // Ended before the new one takes the number, so its ending cannot free the new
            // login's number.
            end(ctx, session, now, pending, Ending::Expired).await?;
            previous = None;
        }
    }
    let failures = ctx
        .limits
        .failures(number.e164(), now)
        .await
        .map_err(refusal_error)?;
    if let Some(retry_after_secs) = failures.blocked_for {
        tracing::warn!(number = %number.masked(), "login start refused: too many wrong codes for this number");
        metrics_names::limit_hit("failed");
        return Err(AuthError::TooManyWrongCodes { retry_after_secs });
    }
    pass_challenge(ctx, facts, &number, captcha_token).await?;
    let wrong_codes = carried_wrong_codes(ctx.max_wrong_codes, failures);
    let pending = begin(ctx, session, facts, number, next, wrong_codes, channel).await?;
    // One pending login per browser: the one for another number ends, so that number is
    // free for whoever owns it.
    if let Some(previous) = previous {
        let ending = match is_expired(ctx, &previous, now) {
            true => Ending::Expired,
            false => Ending::AnotherNumber,
        };
        end(ctx, session, now, &previous, ending).await?;
    }
    session.begin_pending(&pending).await
}

/// The typed number: one a code can be sent to, or a test number in force (`TEST_NUMBERS`,
/// which may lie in a range no network has been given, such as `07700 900123`).
fn parse_number(ctx: &AuthContext, raw_number: &str) -> Result<PhoneNumber, AuthError> {
    match PhoneNumber::parse(raw_number, ctx.default_country) {
        Err(PhoneNumberProblem::Invalid) => {
            match PhoneNumber::parse_unallocated(raw_number, ctx.default_country) {
                Ok(number) if ctx.provider.sends_nothing_to(&number) => Ok(number),
                _ => Err(AuthError::InvalidNumber(PhoneNumberProblem::Invalid)),
            }
        }
        other => other.map_err(AuthError::InvalidNumber),
    }
}

/// Wrong codes a new pending login starts with: those already typed for the number (in any
/// session, for any code) still count, so the attempts shown never go back up; at least one
/// try is left for the new code while the per-number cap allows it.
fn carried_wrong_codes(max_wrong_codes: u32, failures: Failures) -> u32 {
    let used = failures
        .count
        .max(max_wrong_codes.saturating_sub(failures.left));
    used.min(max_wrong_codes.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earlier_wrong_codes_carry_into_a_new_code() {
        let f = |count, left| Failures {
            count,
            left,
            blocked_for: None,
        };
        assert_eq!(carried_wrong_codes(3, f(0, 10)), 0);
        assert_eq!(carried_wrong_codes(3, f(2, 8)), 2);
        assert_eq!(carried_wrong_codes(3, f(7, 3)), 2, "one try per new code");
        assert_eq!(carried_wrong_codes(3, f(1, 2)), 1);
        assert_eq!(carried_wrong_codes(3, f(0, 1)), 2, "cap nearly reached");
    }
}
