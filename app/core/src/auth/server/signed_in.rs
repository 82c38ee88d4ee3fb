//! The one call a server function makes to know who is signed in.

use super::{request_scope, service, AuthContext, LoginSession, RequestFacts, SignedInUser};
use crate::auth::{AuthError, SignedInAccount};

/// The signed-in account of the current request, for use inside any `#[server]` function:
/// `let me = signed_in().await?;`. The session must still be listed in its account's index
/// (a session signed out elsewhere is signed out here). Errors: [`AuthError::NotSignedIn`]
/// (a page shows `<SignedInOnly>`'s redirect to `/login?next=…`), or a store failure.
pub async fn signed_in() -> Result<SignedInAccount, AuthError> {
    let (ctx, session, facts) = request_scope().await?;
    signed_in_with(&ctx, &session, &facts).await
}

/// [`signed_in`] for code that already holds the request's context, session and facts
/// (e.g. a plain axum handler such as `GET /auth/check`).
pub async fn signed_in_with(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<SignedInAccount, AuthError> {
    service::current_user(ctx, session, facts)
        .await?
        .map(account_of)
        .ok_or(AuthError::NotSignedIn)
}

fn account_of(user: SignedInUser) -> SignedInAccount {
    SignedInAccount {
        account_id: user.account_id,
        number: user.number.e164().to_owned(),
        shown_number: user.number.international().to_owned(),
        since: user.since,
    }
}
