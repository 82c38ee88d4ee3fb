//! The one owner of a pending login's lifecycle. [`begin`] takes the number, reserves the
//! sends (the SMS and the call the provider will make by itself), and asks the provider for
//! a code; [`end`] is the only way a pending login ends, whatever the reason. An ending is
//! claimed once in the shared store, so however many requests with one cookie race to end
//! the same login (on any instance), exactly one cancels upstream, frees the number and
//! gives counts back; the others only forget it.

use super::ownership::{release_number, take_number};
use super::provider_start::send_code;
use super::sends::adjust_sends;
pub(super) use super::sends::reserve_sends;
use crate::auth::server::metrics_names;
use crate::auth::server::store::locks::LockOutcome;
use crate::auth::server::verify_port::ControlFailure;
use crate::auth::server::{AuthContext, LoginSession, PendingLogin, RequestFacts};
use crate::auth::{AuthError, Channel};
use crate::domain::PhoneNumber;

/// How long an ending's claim outlives the login's code: longer than any request that
/// loaded the login before it ended can still be running.
const CLAIM_MARGIN_SECS: u64 = 3600;

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
        silent_ended: false,
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

/// Claims one `fact` of `pending` (`ended`, `call`) in the shared store. A store that
/// cannot answer counts as "not ours": nothing is cancelled or given back (the number frees
/// itself at expiry, the call is counted), which is the safe side when sends cost money.
async fn claim(ctx: &AuthContext, pending: &PendingLogin, fact: &str, now: u64) -> bool {
    let expires_at = pending
        .started_at
        .saturating_add(ctx.pending_ttl.as_secs())
        .saturating_add(CLAIM_MARGIN_SECS)
        .max(now + 1);
    match ctx
        .locks
        .claim(&pending.claim_key(fact), expires_at, now)
        .await
    {
        Ok(claimed) => claimed,
        Err(error) => {
            tracing::error!(%error, "lock store failed claiming a login's ending");
            ::metrics::counter!(metrics_names::STORE_ERRORS).increment(1);
            false
        }
    }
}

/// Claims the fate of `pending`'s scheduled call while it is still to come: either it is
/// asked for sooner ("Call me instead"), or its count is given back when the login ends,
/// never both, even when a request holding an older copy of the login races the other.
pub(super) async fn claim_scheduled_call(
    ctx: &AuthContext,
    pending: &PendingLogin,
    now: u64,
) -> bool {
    pending.call_in_secs(now).is_some() && claim(ctx, pending, "call", now).await
}

/// Gives back the call the provider would have made by itself, when it was surely still to
/// come. After silent authentication the provider may have moved on as early as it failed
/// (a moment after the start, reported late or never), so its call may come from
/// `silent_until` on: only earlier, or after a silent sign-in (`silently`: no call ever), is
/// it given back.
async fn give_back_scheduled_call(
    ctx: &AuthContext,
    session: &LoginSession,
    pending: &PendingLogin,
    now: u64,
    silently: bool,
) {
    let maybe_made = pending.silent_until.is_some_and(|until| now >= until) && !silently;
    // A silent login's "Send me a code instead" may have been the call (see
    // `keep_scheduled_call`): whoever claims first decides.
    let kept = pending.silent_until.is_some() && !claim(ctx, pending, "call-kept", now).await;
    if maybe_made || kept || !claim_scheduled_call(ctx, pending, now).await || pending.sends_nothing
    {
        return;
    }
    if let Ok(owner) = session.owner_token().await {
        let at = pending.started_at;
        adjust_sends(ctx, pending.send_ip, &owner, &pending.number, at, -1).await;
        tracing::info!(number = %pending.number.masked(), "scheduled call not made; its count given back");
    }
}

/// Keeps `pending`'s scheduled call counted for good: "Send me a code instead" asked the
/// provider to move on, and if silent authentication had already failed upstream unseen,
/// that move was the call. ("Call me instead" afterwards still works: it claims the call's
/// own fate.)
pub(super) async fn keep_scheduled_call(ctx: &AuthContext, pending: &PendingLogin, now: u64) {
    let _ = claim(ctx, pending, "call-kept", now).await;
}

/// Claims the fate of `pending`'s first code while silent authentication still holds it
/// back: either it is asked for sooner ("Send me a code instead"), or its count is given back
/// when silent authentication signed the login in, never both. (Any other ending keeps it
/// counted: the provider may have sent it already after a failure nobody reported.)
pub(super) async fn claim_unsent_first_code(
    ctx: &AuthContext,
    pending: &PendingLogin,
    now: u64,
) -> bool {
    pending.silent_at(now) && claim(ctx, pending, "first", now).await
}

/// Gives back the first code silent authentication made unnecessary, when it was still to
/// come.
async fn give_back_unsent_first_code(
    ctx: &AuthContext,
    session: &LoginSession,
    pending: &PendingLogin,
    now: u64,
) {
    if !claim_unsent_first_code(ctx, pending, now).await || pending.sends_nothing {
        return;
    }
    if let Ok(owner) = session.owner_token().await {
        let at = pending.started_at;
        adjust_sends(ctx, pending.send_ip, &owner, &pending.number, at, -1).await;
        tracing::info!(number = %pending.number.masked(), "first code not sent (silent authentication); its count given back");
    }
}
