//! The signed-in person's account.

use super::now;
use crate::auth::server::{metrics_names, AuthContext, LoginSession};
use crate::auth::{AccountView, AuthError};

/// The account of the signed-in session; `None` when signed out. A store failure is
/// [`AuthError::TemporarilyUnavailable`].
pub async fn account(
    ctx: &AuthContext,
    session: &LoginSession,
) -> Result<Option<AccountView>, AuthError> {
    let Some(user) = session.signed_in(now(ctx)).await? else {
        return Ok(None);
    };
    let found = ctx
        .accounts
        .find(user.number.e164())
        .await
        .map_err(|error| {
            tracing::error!(%error, "account store failed");
            ::metrics::counter!(metrics_names::STORE_ERRORS).increment(1);
            AuthError::TemporarilyUnavailable
        })?;
    Ok(found.map(|account| AccountView {
        number: account.phone,
        created_at: account.created_at,
        last_sign_in_at: account.last_sign_in_at,
    }))
}
