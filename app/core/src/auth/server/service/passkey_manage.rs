//! Adding and removing passkeys: only for a session signed in within the last 10 minutes,
//! so a borrowed or stolen session cookie cannot plant a way back in or lock the owner out.

use crate::auth::server::metrics_names as metrics;
use crate::auth::server::passkeys::{
    credential_id_text, passkey_name, Ceremony, CeremonyKind, RelyingParty,
};
use crate::auth::server::store::accounts::{Account, StoredPasskey};
use crate::auth::server::{AuthContext, LoginSession, RequestFacts, SignedInUser, StoreError};
use crate::auth::{AuthError, PasskeyView};
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential, Uuid};

/// How long after a sign-in its session may add or remove passkeys.
pub const PASSKEY_CHANGE_WINDOW_SECS: u64 = 10 * 60;

/// Starts adding a passkey to the signed-in account: answers the WebAuthn creation options
/// as JSON (`{"publicKey": …}`, for `PublicKeyCredential.parseCreationOptionsFromJSON`) and
/// keeps the ceremony in the session. The account's passkeys are excluded, so one
/// authenticator is not registered twice; a discoverable (resident) credential with user
/// verification is required, so it can sign in without a number.
pub async fn begin_passkey_registration(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<String, AuthError> {
    let rp = relying_party(ctx)?;
    let now = facts.now;
    let (user, account) = recent_account(ctx, session, facts).await?;
    let passkeys = store(ctx.accounts.passkeys(&account.id).await)?;
    let exclude = passkeys
        .iter()
        .filter_map(|p| serde_json::from_str::<webauthn_rs::prelude::Passkey>(&p.credential).ok())
        .map(|p| p.cred_id().clone())
        .collect::<Vec<_>>();
    let user_id = Uuid::parse_str(&account.id).map_err(|error| {
        tracing::error!(%error, "account id is not a UUID");
        AuthError::TemporarilyUnavailable
    })?;
    let (options, state) = rp
        .webauthn()
        .start_passkey_registration(
            user_id,
            user.number.e164(),
            user.number.international(),
            Some(exclude),
        )
        .map_err(|error| {
            tracing::error!(%error, "passkey registration could not start");
            AuthError::TemporarilyUnavailable
        })?;
    let mut options = serde_json::to_value(&options).map_err(|error| {
        tracing::error!(%error, "creation options not serialisable");
        AuthError::TemporarilyUnavailable
    })?;
    // `webauthn-rs` leaves the credential's residency to the authenticator; signing in
    // without typing a number needs a discoverable one.
    if let Some(selection) = options.pointer_mut("/publicKey/authenticatorSelection") {
        selection["residentKey"] = "required".into();
        selection["requireResidentKey"] = true.into();
    }
    let bound_to = Some(account.id.as_str());
    Ceremony::begin(session, CeremonyKind::Registration, state, bound_to, now).await?;
    Ok(options.to_string())
}

/// Finishes adding a passkey with the browser's answer (`credential.toJSON()` as JSON), named
/// after the browser (`facts.user_agent`). Answers the new passkey as the account page lists
/// it. Only the account that began the ceremony can finish it: one begun before another
/// person signed in on this browser is [`AuthError::PasskeyExpired`].
pub async fn finish_passkey_registration(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    credential_json: &str,
) -> Result<PasskeyView, AuthError> {
    let rp = relying_party(ctx)?;
    let now = facts.now;
    let (user, account) = recent_account(ctx, session, facts).await?;
    let masked = user.number.masked();
    let locks = ctx.locks.as_ref();
    let bound_to = Some(account.id.as_str());
    let state: PasskeyRegistration =
        Ceremony::finish(session, locks, CeremonyKind::Registration, bound_to, now).await?;
    let refused = |reason: &dyn std::fmt::Display| {
        tracing::warn!(number = %masked, %reason, "passkey refused at registration");
        metrics::passkey_event("refused");
        AuthError::PasskeyRefused
    };
    let answer: RegisterPublicKeyCredential =
        serde_json::from_str(credential_json).map_err(|e| refused(&e))?;
    let passkey = rp
        .webauthn()
        .finish_passkey_registration(&answer, &state)
        .map_err(|e| refused(&e))?;
    let credential = serde_json::to_string(&passkey).map_err(|error| {
        tracing::error!(%error, "passkey not serialisable");
        AuthError::TemporarilyUnavailable
    })?;
    let stored = StoredPasskey {
        credential_id: credential_id_text(passkey.cred_id().as_ref()),
        account_id: account.id,
        name: passkey_name(facts.user_agent.as_deref()),
        credential,
        created_at: now,
        last_used_at: None,
    };
    if !store(ctx.accounts.add_passkey(&stored).await)? {
        return Err(AuthError::PasskeyAlreadyAdded);
    }
    tracing::info!(number = %masked, passkey = %stored.name, "audit: passkey added");
    metrics::passkey_event("added");
    Ok(view(&stored))
}

/// Removes the signed-in account's passkey `id`; it can no longer sign in. With
/// `end_sessions`, the other sessions it signed in are signed out too.
pub async fn remove_passkey(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    id: &str,
    end_sessions: bool,
) -> Result<(), AuthError> {
    let now = facts.now;
    let (user, account) = recent_account(ctx, session, facts).await?;
    if id.is_empty() || id.len() > 1024 {
        return Err(AuthError::BadRequest);
    }
    if !store(ctx.accounts.remove_passkey(&account.id, id).await)? {
        return Err(AuthError::PasskeyNotFound);
    }
    tracing::info!(number = %user.number.masked(), "audit: passkey removed");
    metrics::passkey_event("removed");
    if end_sessions {
        super::device_sessions::end_passkey_sessions(ctx, &user, id, now).await?;
    }
    Ok(())
}

/// The passkey as the account page lists it.
pub(super) fn view(passkey: &StoredPasskey) -> PasskeyView {
    PasskeyView {
        id: passkey.credential_id.clone(),
        name: passkey.name.clone(),
        created_at: passkey.created_at,
        last_used_at: passkey.last_used_at,
        open_sessions: 0,
    }
}

/// Seconds left of this sign-in's window for passkey changes.
pub(super) fn change_window_left(user: &SignedInUser, now: u64) -> u64 {
    (user.since + PASSKEY_CHANGE_WINDOW_SECS).saturating_sub(now)
}

pub(super) fn relying_party(ctx: &AuthContext) -> Result<&RelyingParty, AuthError> {
    ctx.passkeys
        .as_deref()
        .ok_or(AuthError::PasskeysUnavailable)
}

/// Maps an account store failure to "temporarily unavailable" (logged, counted).
pub(super) fn store<T>(result: Result<T, StoreError>) -> Result<T, AuthError> {
    result.map_err(|error| {
        tracing::error!(%error, "account store failed");
        ::metrics::counter!(metrics::STORE_ERRORS).increment(1);
        AuthError::TemporarilyUnavailable
    })
}

/// The signed-in user and account, when the sign-in is recent enough to change passkeys.
async fn recent_account(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<(SignedInUser, Account), AuthError> {
    let user = super::device_sessions::current_user(ctx, session, facts)
        .await?
        .ok_or(AuthError::NotSignedIn)?;
    if change_window_left(&user, facts.now) == 0 {
        return Err(AuthError::RecentSignInRequired);
    }
    let account =
        store(ctx.accounts.find(user.number.e164()).await)?.ok_or(AuthError::NotSignedIn)?;
    Ok((user, account))
}
