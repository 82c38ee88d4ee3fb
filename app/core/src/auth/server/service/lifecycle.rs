//! The one owner of a pending login's lifecycle. [`begin`] takes the number, reserves the
//! sends (the SMS and the call the provider will make by itself), and asks the provider for
//! a code; [`end`] is the only way a pending login ends, whatever the reason. An ending is
//! claimed once in the shared store, so however many requests with one cookie race to end
//! the same login (on any instance), exactly one cancels upstream, frees the number and
//! gives counts back; the others only forget it.

use super::claims::{claim, give_back_scheduled_call, give_back_unsent_first_code};
use super::ownership::{release_number, take_number};
use super::provider_start::send_code;
use super::sends::adjust_sends;
pub(super) use super::sends::reserve_sends;
use crate::auth::server::store::locks::LockOutcome;
use crate::auth::server::verify_port::ControlFailure;
use crate::auth::server::{AuthContext, LoginSession, PendingLogin, RequestFacts};
use crate::auth::{AuthError, Channel};
use crate::domain::PhoneNumber;

/// Why a pending login ends. Decides what is known about the provider's request: finished
/// by the provider itself (nothing more will be delivered), or still live (cancelled here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ending {
    /// The right code: the provider stops the request.
    SignedInByCode,
    /// The mobile network's code after silent authentication: the provider stops the
    /// request, and silent authentication having succeeded, it never sent the first code.
    SignedInSilently,
    /// A passkey signed this browser in over its pending code.
    SignedInByPasskey,
    /// Our cap of wrong codes for one login was reached.
    WrongCodesExhausted,
    /// The number's wrong-code limit (across logins) was reached.
    NumberLocked,
    /// The provider ended the request itself (too many wrong codes).
    ProviderExhausted,
    /// The provider no longer knows the request.
    ProviderForgot,
    /// The code's lifetime is over.
    Expired,
    /// "Use a different number".
    ChangedNumber,
    /// The same browser started a login for another number.
    AnotherNumber,
    /// The browser logged out.
    LoggedOut,
}

impl Ending {
    /// `true` when the provider's request may still be live, so it must be cancelled before
    /// its deliveries can be given back.
    fn needs_cancel(self) -> bool {
        !matches!(
            self,
            Self::SignedInByCode
                | Self::SignedInSilently
                | Self::ProviderExhausted
                | Self::ProviderForgot
                | Self::Expired
        )
    }

    /// `true` when this request just heard from the provider that the request is over, so
    /// the number can be freed even by a request that lost the race to end the login (the
    /// winner may have been refused a cancel and kept the number for a request that this
    /// answer shows is finished).
    fn provider_said_finished(self) -> bool {
        matches!(
            self,
            Self::SignedInByCode
                | Self::SignedInSilently
                | Self::ProviderExhausted
                | Self::ProviderForgot
        )
    }

    fn label(self) -> &'static str {
        match self {
            Self::SignedInByCode => "signed in by code",
            Self::SignedInSilently => "signed in silently",
            Self::SignedInByPasskey => "signed in by passkey",
            Self::WrongCodesExhausted => "wrong codes exhausted",
            Self::NumberLocked => "number locked",
            Self::ProviderExhausted => "provider exhausted",
            Self::ProviderForgot => "provider forgot",
            Self::Expired => "expired",
            Self::ChangedNumber => "changed number",
            Self::AnotherNumber => "another number",
            Self::LoggedOut => "logged out",
        }
    }
}

/// Begins a pending login for `number` (its wrong codes so far: `wrong_codes`) with its first
/// code on `channel` (one of the plan's first choices): takes the number for this session,
/// reserves its deliveries against every send limit at once (the first message, plus the
/// provider's own move to the next channel when it makes one), and asks the provider for a
/// code.
/// A start the provider refused gives its reservation back; one whose outcome is unknown
/// (a 5xx, a timeout) keeps its message's count, since the message may have gone out. The
/// session is not changed: the caller stores the answered login.
pub(super) async fn begin(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    number: PhoneNumber,
    next: Option<String>,
    wrong_codes: u32,
    channel: Channel,
) -> Result<PendingLogin, AuthError> {
    let now = facts.now;
    let plan = ctx.provider.delivery_plan();
    let step = plan.auto_next_after.map(|after| after.as_secs());
    // Silently first: the first code waits one step, the next channel two.
    let silent_steps = u64::from(plan.silent_first);
    let auto_call_at = step
        .filter(|_| plan.next.is_some())
        .map(|step| now + step * (1 + silent_steps));
    // A test number's login sends nothing: it counts nothing, for any limit or the guard.
    let sends_nothing = ctx.provider.sends_nothing_to(&number);
    let deliveries = match sends_nothing {
        true => 0,
        false => 1 + u32::from(auto_call_at.is_some()),
    };
    let owner = session.owner_token().await?;
    // The number first: another browser's live code is "busy", not a spent limit.
    let lock = take_number(ctx, session, &number, now).await?;
    let reserved = match deliveries {
        0 => Ok(()),
        n => reserve_sends(ctx, facts, &owner, &number, n).await,
    };
    if let Err(error) = reserved {
        // Refused: the number is not held (nor its hold extended) for a start that sends
        // nothing. A request of ours still live upstream is then replaced, never resumed.
        release_number(ctx, session, &number).await;
        return Err(error);
    }
    let give_back = -i32::try_from(deliveries).unwrap_or(1);
    let silent_return = plan
        .silent_first
        .then(|| super::silent::return_address(ctx, facts))
        .flatten();
    let started = match send_code(
        ctx,
        facts,
        &number,
        lock,
        sends_nothing,
        channel,
        silent_return,
    )
    .await
    {
        Ok(started) => started,
        Err((error, nothing_sent)) => {
            // A refusal sent nothing: all is given back. An unknown outcome (5xx, timeout)
            // keeps the message's count, as it may have gone out.
            let back = match (nothing_sent, sends_nothing) {
                (_, true) => 0,
                (true, false) => give_back,
                (false, false) => give_back + 1,
            };
            if back != 0 {
                adjust_sends(ctx, facts.client_ip, &owner, &number, now, back).await;
            }
            if lock == LockOutcome::Acquired {
                release_number(ctx, session, &number).await;
            }
            return Err(error);
        }
    };
    if started.resumed && give_back != 0 {
        // The code already sent is the one to type, and its call was reserved by the start
        // that made it: this start delivers nothing.
        adjust_sends(ctx, facts.client_ip, &owner, &number, now, give_back).await;
    } else if !started.resumed && !sends_nothing {
        super::challenge::note_send(ctx, facts, &number, now).await;
    }
    Ok(PendingLogin {
        login_id: uuid::Uuid::new_v4().simple().to_string(),
        number,
        request_id: started.request_id,
        started_at: now,
        wrong_codes,
        channel,
        resend_at: now + ctx.resend_after.as_secs(),
        next,
        auto_call_at: auto_call_at.filter(|_| !started.resumed),
        next_channel: plan.next,
        first_channel: channel,
        silent_until: step
            .filter(|_| started.check_url.is_some() && !started.resumed)
            .map(|step| now + step),
        check_url: started.check_url.filter(|_| !started.resumed),
        send_ip: facts.client_ip,
        sends_nothing,
    })
}

/// Ends `pending` for `ending`, exactly once across every request and instance: only the
/// request that claims the ending cancels the provider's request (when it may be live),
/// frees the number and gives back the call that will now never be made, and only once the
/// provider has confirmed it (a refused cancel leaves the call coming, and counted).
/// Always forgets the login in this session. Answers whether this request ended it; a
/// request that lost the race must not act on the login (sign in, show its result).
pub(super) async fn end(
    ctx: &AuthContext,
    session: &LoginSession,
    now: u64,
    pending: &PendingLogin,
    ending: Ending,
) -> Result<bool, AuthError> {
    let claimed = claim(ctx, pending, "ended", now).await;
    if claimed {
        let masked = pending.number.masked();
        let finished = match ending.needs_cancel() {
            false => true,
            true => match ctx.provider.cancel(&pending.request_id).await {
                Ok(()) | Err(ControlFailure::NotFound) => true,
                Err(failure) => {
                    // The number stays this session's until the code expires, so no other
                    // session takes the live request over; its call still comes, counted.
                    tracing::info!(number = %masked, %failure, "upstream cancel refused; left to expire");
                    false
                }
            },
        };
        if finished {
            release_number(ctx, session, &pending.number).await;
            let silently = ending == Ending::SignedInSilently;
            give_back_scheduled_call(ctx, session, pending, now, silently).await;
            if silently {
                give_back_unsent_first_code(ctx, session, pending, now).await;
            }
        }
        tracing::info!(number = %masked, ending = ending.label(), "pending login ended");
    } else {
        if ending.provider_said_finished() {
            release_number(ctx, session, &pending.number).await;
        }
        tracing::info!(number = %pending.number.masked(), ending = ending.label(), "pending login already ended by another request");
    }
    session.clear_pending().await?;
    Ok(claimed)
}
