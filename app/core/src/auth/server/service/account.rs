//! The signed-in person's account.

use super::passkey_manage::{change_window_left, store, view};
use crate::auth::server::{AuthContext, LoginSession, RequestFacts};
use crate::auth::{AccountView, AuthError};

/// The account of the signed-in session with its passkeys; `None` when signed out. A store
/// failure is [`AuthError::TemporarilyUnavailable`].
pub async fn account(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<Option<AccountView>, AuthError> {
    let now = facts.now;
    let Some(user) = session.signed_in(now).await? else {
        return Ok(None);
    };
    let Some(account) = store(ctx.accounts.find(user.number.e164()).await)? else {
        return Ok(None);
    };
    let passkeys = store(ctx.accounts.passkeys(&account.id).await)?;
    Ok(Some(AccountView {
        number: account.phone,
        created_at: account.created_at,
        last_sign_in_at: account.last_sign_in_at,
        passkeys: passkeys.iter().map(view).collect(),
        passkey_changes_for_secs: change_window_left(&user, now),
    }))
}
