//! The signed-in person's account.

use super::device_sessions::{current_user, listed, opened_by, session_views};
use super::passkey_manage::{change_window_left, store, view};
use crate::auth::server::{AuthContext, LoginSession, RequestFacts};
use crate::auth::{AccountView, AuthError};

/// The account of the signed-in session with its passkeys and signed-in sessions; `None`
/// when signed out. A store failure is [`AuthError::TemporarilyUnavailable`].
pub async fn account(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<Option<AccountView>, AuthError> {
    let now = facts.now;
    let Some(user) = current_user(ctx, session, facts).await? else {
        return Ok(None);
    };
    let Some(account) = store(ctx.accounts.find(user.number.e164()).await)? else {
        return Ok(None);
    };
    let passkeys = store(ctx.accounts.passkeys(&account.id).await)?;
    let sessions = listed(ctx, &user, now).await?;
    Ok(Some(AccountView {
        number: account.phone,
        created_at: account.created_at,
        last_sign_in_at: account.last_sign_in_at,
        passkeys: passkeys
            .iter()
            .map(|p| {
                let mut shown = view(p);
                shown.open_sessions = opened_by(&sessions, &user, &p.credential_id);
                shown
            })
            .collect(),
        passkey_changes_for_secs: change_window_left(&user, now),
        sessions: session_views(&sessions, &user, facts.locale()),
        test_account: ctx.provider.sends_nothing_to(&user.number),
    }))
}
