//! Signed-in sessions as the account's index lists them: opened at sign-in, checked at each
//! signed-in request (and "last seen" moved), ended one by one, everywhere else, or with the
//! passkey that opened them. A session whose entry is gone is signed out at its next request,
//! whichever instance serves it.

use super::passkey_manage::store;
use crate::auth::server::session_description::{
    coarse_network, device_in, device_name, network_in,
};
use crate::auth::server::store::session_index::{new_handle, DeviceSession, SignInFactor};
use crate::auth::server::{AuthContext, LoginSession, RequestFacts, SignedInUser};
use crate::auth::{AuthError, SessionView};
use crate::domain::PhoneNumber;
use crate::i18n::{td_string, Locale};

/// Signs this browser in as `number` of `account_id`: a new entry in the account's index,
/// then the session (its id renewed). A browser signed in before as someone else leaves its
/// old entry. Nothing is signed in when the index cannot be written.
pub(super) async fn open_session(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    account_id: &str,
    number: PhoneNumber,
    factor: SignInFactor,
) -> Result<(), AuthError> {
    if let Some(previous) = session.signed_in(facts.now).await? {
        forget(ctx, &previous).await;
    }
    let entry = DeviceSession {
        handle: new_handle(),
        signed_in_at: facts.now,
        last_seen_at: facts.now,
        device: device_name(facts.user_agent.as_deref()),
        network: coarse_network(facts.client_ip),
        factor,
    };
    store(ctx.sessions.add(account_id, &entry).await)?;
    let user = SignedInUser {
        number,
        since: facts.now,
        account_id: account_id.to_owned(),
        handle: entry.handle,
    };
    session.sign_in(&user).await
}

/// The signed-in user of this session, if it is still listed in its account's index (its
/// "last seen" moved forward). A session ended elsewhere, or signed in before the index
/// existed, is signed out here and reads as `None`.
pub async fn current_user(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<Option<SignedInUser>, AuthError> {
    let Some(user) = session.signed_in(facts.now).await? else {
        return Ok(None);
    };
    let network = coarse_network(facts.client_ip);
    let listed = !user.handle.is_empty()
        && store(
            ctx.sessions
                .seen(&user.account_id, &user.handle, facts.now, &network)
                .await,
        )?;
    if !listed {
        tracing::info!(number = %user.number.masked(), "audit: ended session used; signed out");
        session.sign_out().await?;
        return Ok(None);
    }
    Ok(Some(user))
}

/// Takes `user`'s session off its account's index (sign-out). A store failure is logged: the
/// session itself is deleted regardless, and its entry expires with it.
pub(super) async fn forget(ctx: &AuthContext, user: &SignedInUser) {
    if user.handle.is_empty() {
        return;
    }
    let handles = [user.handle.clone()];
    if let Err(error) = ctx.sessions.end(&user.account_id, &handles).await {
        tracing::warn!(%error, "session index entry not removed at sign-out");
    }
}

/// The account's live sessions at `now` (see [`session_views`]).
pub(super) async fn listed(
    ctx: &AuthContext,
    user: &SignedInUser,
    now: u64,
) -> Result<Vec<DeviceSession>, AuthError> {
    store(ctx.sessions.list(&user.account_id, now).await)
}

/// `listed` as `/account` shows them in `locale`, this browser's marked.
pub(super) fn session_views(
    listed: &[DeviceSession],
    user: &SignedInUser,
    locale: Locale,
) -> Vec<SessionView> {
    listed
        .iter()
        .cloned()
        .map(|entry| SessionView {
            current: entry.handle == user.handle,
            signed_in_with: match &entry.factor {
                SignInFactor::Code => td_string!(locale, sessions.with_code).to_owned(),
                SignInFactor::Passkey { name, .. } => {
                    td_string!(locale, sessions.with_passkey, name = name)
                }
            },
            id: entry.handle,
            device: device_in(locale, &entry.device),
            network: network_in(locale, &entry.network),
            signed_in_at: entry.signed_in_at,
            last_seen_at: entry.last_seen_at,
        })
        .collect()
}

/// How many of `listed` other than `user`'s own `credential_id` signed in.
pub(super) fn opened_by(listed: &[DeviceSession], user: &SignedInUser, credential_id: &str) -> u32 {
    let count = listed
        .iter()
        .filter(|entry| entry.handle != user.handle && entry.opened_by_passkey(credential_id))
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// Signs out the account's session `id`: another browser is signed out at its next request;
/// this browser's own id signs it out now, as "Sign out" does (answers `true`).
pub async fn end_session(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    id: &str,
) -> Result<bool, AuthError> {
    let user = current_user(ctx, session, facts)
        .await?
        .ok_or(AuthError::NotSignedIn)?;
    if id.is_empty() || id.len() > 64 {
        return Err(AuthError::BadRequest);
    }
    if id == user.handle {
        return super::logout(ctx, session, facts).await.map(|()| true);
    }
    let ended = store(ctx.sessions.end(&user.account_id, &[id.to_owned()]).await)?;
    if ended == 0 {
        return Err(AuthError::SessionNotFound);
    }
    tracing::info!(number = %user.number.masked(), "audit: another session signed out");
    Ok(false)
}

/// Signs out every other session of the account; answers how many were ended.
pub async fn end_other_sessions(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<usize, AuthError> {
    let user = current_user(ctx, session, facts)
        .await?
        .ok_or(AuthError::NotSignedIn)?;
    let others = listed(ctx, &user, facts.now)
        .await?
        .into_iter()
        .filter(|entry| entry.handle != user.handle)
        .map(|entry| entry.handle)
        .collect::<Vec<_>>();
    let ended = store(ctx.sessions.end(&user.account_id, &others).await)?;
    tracing::info!(number = %user.number.masked(), ended, "audit: signed out everywhere else");
    Ok(ended)
}

/// Ends the account's other sessions that `credential_id` signed in (after the passkey was
/// removed); answers how many.
pub(super) async fn end_passkey_sessions(
    ctx: &AuthContext,
    user: &SignedInUser,
    credential_id: &str,
    now: u64,
) -> Result<usize, AuthError> {
    let opened = listed(ctx, user, now)
        .await?
        .into_iter()
        .filter(|entry| entry.handle != user.handle && entry.opened_by_passkey(credential_id))
        .map(|entry| entry.handle)
        .collect::<Vec<_>>();
    let ended = store(ctx.sessions.end(&user.account_id, &opened).await)?;
    tracing::info!(number = %user.number.masked(), ended, "audit: sessions of a removed passkey signed out");
    Ok(ended)
}
