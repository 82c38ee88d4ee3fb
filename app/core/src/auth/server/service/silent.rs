//! Silent authentication (Vonage v2 `silent_auth`): the browser opens the request's
//! `check_url` over the phone's mobile data, the mobile network confirms the number, and the
//! browser comes back to `/login/silent` with the request's id and a code in the address
//! fragment. The code signs in only the pending login of this same session, once; a failure
//! (Wi-Fi, a network without support, a timeout) or "Send me a code instead" moves the login
//! to its first code.

use super::claims::{claim_unsent_first_code, keep_scheduled_call};
use super::finish::check_and_sign_in;
use super::lifecycle::{end, Ending};
use super::{is_expired, throttled};
use crate::auth::server::verify_port::ControlFailure;
use crate::auth::server::{AuthContext, LoginSession, PendingLogin, RequestFacts};
use crate::auth::{AuthError, SilentOutcome};
use crate::domain::Pin;

/// The path the mobile network sends the browser back to.
pub const SILENT_RETURN_PATH: &str = "/login/silent";

/// Where silent authentication sends the browser back: `PUBLIC_URL` + [`SILENT_RETURN_PATH`],
/// else (development) this request's own loopback address; `None` for a non-loopback host
/// without `PUBLIC_URL`, whose `Host` header is not trusted to name the site.
pub(super) fn return_address(ctx: &AuthContext, facts: &RequestFacts) -> Option<String> {
    if let Some(origin) = &ctx.public_origin {
        return Some(format!("{origin}{SILENT_RETURN_PATH}"));
    }
    let host: std::net::IpAddr = facts.host.as_deref()?.parse().ok()?;
    if !host.is_loopback() {
        return None;
    }
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let authority = parts.headers.get(http::header::HOST)?.to_str().ok()?;
    Some(format!("http://{authority}{SILENT_RETURN_PATH}"))
}

/// What the browser brought back from silent authentication, read from the address
/// fragment by the `/login/silent` page:
/// - `request_id` and `code`: the code is checked for this session's pending login, and only
///   when `request_id` is that login's request (another session's result, or one for an ended
///   login, is [`AuthError::NoPendingLogin`] / [`AuthError::BadRequest`] and changes
///   nothing); a right code signs in once (the login's single ending) and answers
///   `Ok(SilentOutcome::SignedIn(destination))`;
/// - `error`: the mobile network could not confirm the number and the provider has moved to
///   the first code by itself: [`SilentOutcome::CodeSent`] with the note to show;
/// - nothing (a browser without JavaScript never sends the fragment): while silent
///   authentication is still under way the provider is asked for the first code now, as
///   with "Send me a code instead".
pub async fn silent_result(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    brought: &SilentReturn,
) -> Result<SilentOutcome, AuthError> {
    let (request_id, code) = (brought.request_id.as_deref(), brought.code.as_deref());
    let error = brought.error.as_deref();
    let now = facts.now;
    let mut pending = session.pending().await?.ok_or(AuthError::NoPendingLogin)?;
    if is_expired(ctx, &pending, now) {
        end(ctx, session, now, &pending, Ending::Expired).await?;
        return Err(AuthError::CodeExpired);
    }
    let locale = facts.locale();
    match (request_id, code, error) {
        (Some(id), Some(code), None) => {
            if !same_request(&pending, id) {
                tracing::warn!(number = %pending.number.masked(), "silent authentication result for another request refused");
                return Err(AuthError::BadRequest);
            }
            let code = Pin::from_silent_auth(code).ok_or(AuthError::BadRequest);
            let destination =
                check_and_sign_in(ctx, session, facts, code, Ending::SignedInSilently).await?;
            Ok(SilentOutcome::SignedIn(destination))
        }
        (_, _, Some(reason)) => {
            if pending.check_url.is_some() {
                let reason: String = reason.chars().take(64).collect();
                tracing::info!(number = %pending.number.masked(), %reason, "silent authentication failed; the first code follows");
                silent_over(ctx, &mut pending, now);
                session.update_pending(&pending).await?;
            }
            let note = crate::i18n::td_string!(locale, silent.failed).to_owned();
            Ok(SilentOutcome::CodeSent(note))
        }
        _ if pending.silent_at(now) => skip_silent(ctx, session, facts, pending)
            .await
            .map(SilentOutcome::CodeSent),
        _ => {
            let number = pending.number.international();
            let note = crate::i18n::td_string!(locale, pin.code_sent_now, number = number);
            Ok(SilentOutcome::CodeSent(note.to_owned()))
        }
    }
}

/// What the browser brought back from the mobile network, read from the return address's
/// fragment (`request_id=…&code=…`, or `error=…`; `%xx` and `+` decoded; at most 512 bytes
/// read, other keys ignored).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SilentReturn {
    /// The provider's request the result is for.
    pub request_id: Option<String>,
    /// The code the mobile network handed over.
    pub code: Option<String>,
    /// Why the network could not confirm the number.
    pub error: Option<String>,
}

impl SilentReturn {
    /// Reads `fragment` (with or without its leading `#`); blank values count as absent.
    pub fn parse(fragment: &str) -> Self {
        let fragment = fragment
            .trim()
            .trim_start_matches('#')
            .trim_start_matches('?');
        let fragment = fragment.get(..fragment.len().min(512)).unwrap_or_default();
        let mut brought = Self::default();
        for (key, value) in url::form_urlencoded::parse(fragment.as_bytes()) {
            let value = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
            match key.as_ref() {
                "request_id" => brought.request_id = value,
                "code" => brought.code = value,
                "error" if brought.error.is_none() => brought.error = value,
                _ => {}
            }
        }
        brought
    }
}

/// "Send me a code instead" while silent authentication is under way: the provider moves to
/// the first code now (counted at the start, so not counted again). Answers the note to
/// show.
pub(super) async fn skip_silent(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    mut pending: PendingLogin,
) -> Result<String, AuthError> {
    let now = facts.now;
    let locale = facts.locale();
    let number = pending.number.international();
    let sent_now = crate::i18n::td_string!(locale, pin.code_sent_now, number = number);
    if !claim_unsent_first_code(ctx, &pending, now).await {
        // A racing "Send me a code instead" (a double click) already asked for it, or a
        // silent sign-in ended the login: the page's next status shows which.
        return Ok(sent_now);
    }
    // If silent authentication already failed upstream (nobody said so here), the provider
    // sent the first code then, and this move is the call: it stays counted, never given back.
    keep_scheduled_call(ctx, &pending, now).await;
    match ctx.provider.next_channel(&pending.request_id).await {
        // Nothing left to move to: silent authentication had already ended upstream.
        Ok(()) | Err(ControlFailure::NothingLeft) => {}
        Err(ControlFailure::NotFound) => {
            end(ctx, session, now, &pending, Ending::ProviderForgot).await?;
            return Err(AuthError::CodeExpired);
        }
        Err(ControlFailure::Throttled) => return Err(throttled(ctx)),
        Err(failure) => {
            tracing::warn!(number = %pending.number.masked(), %failure, "moving on from silent authentication failed upstream");
            return Err(AuthError::ServiceUnavailable);
        }
    }
    silent_over(ctx, &mut pending, now);
    pending.resend_at = now + ctx.resend_after.as_secs();
    session.update_pending(&pending).await?;
    Ok(sent_now)
}

/// Silent authentication ended by `now` (or at `silent_until`, when the provider gave up by
/// itself before anybody said so): the first code went then, the next channel follows one
/// step later.
fn silent_over(ctx: &AuthContext, pending: &mut PendingLogin, now: u64) {
    let plan = ctx.provider.delivery_plan();
    let moved_at = pending.silent_until.map_or(now, |until| until.min(now));
    pending.check_url = None;
    pending.auto_call_at = plan
        .auto_next_after
        .filter(|_| pending.next_channel.is_some())
        .map(|step| moved_at + step.as_secs());
}

/// `true` when `raw` names `pending`'s request, compared without an early exit.
fn same_request(pending: &PendingLogin, raw: &str) -> bool {
    let ours = pending.request_id.expose().as_bytes();
    let theirs = raw.as_bytes();
    ours.len() == theirs.len()
        && ours
            .iter()
            .zip(theirs)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::SilentReturn;

    #[test]
    fn reads_the_result_or_the_error_from_the_fragment() {
        let ok = SilentReturn::parse("#request_id=c1-23&code=si9s%2BfG&other=x");
        assert_eq!(ok.request_id.as_deref(), Some("c1-23"));
        assert_eq!(ok.code.as_deref(), Some("si9s+fG"));
        assert_eq!(ok.error, None);
        let failed = SilentReturn::parse("error=silent_auth_failed&request_id=c1");
        assert_eq!(failed.error.as_deref(), Some("silent_auth_failed"));
        assert_eq!(SilentReturn::parse(""), SilentReturn::default());
        assert_eq!(
            SilentReturn::parse("#code=&request_id=%20"),
            SilentReturn::default()
        );
        let long = format!("code={}", "9".repeat(2000));
        assert_eq!(SilentReturn::parse(&long).code.map(|c| c.len()), Some(507));
    }
}
