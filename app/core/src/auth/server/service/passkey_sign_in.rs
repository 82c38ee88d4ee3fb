//! Signing in with a passkey: no message sent, the same session renewal as a phone sign-in.
//! Each factor fails on its own: every attempt counts in the per-address check limit, a
//! refused answer counts against its credential (never the number's wrong-code limit, so a
//! stranger typing wrong codes cannot lock the owner's passkey, nor the reverse), and a
//! passkey sign-in clears the number's wrong codes.

use super::device_sessions::open_session;
use super::lifecycle::{end, Ending};
use super::passkey_manage::{relying_party, store};
use super::refusal_error;
use crate::auth::server::metrics_names as metrics;
use crate::auth::server::passkeys::{credential_id_text, Ceremony, CeremonyKind};
use crate::auth::server::store::session_index::SignInFactor;
use crate::auth::server::{AuthContext, LoginSession, RequestFacts};
use crate::auth::AuthError;
use crate::domain::PhoneNumber;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, DiscoverableKey, Passkey, PublicKeyCredential,
};

/// Starts a passkey sign-in for whoever the browser's authenticator knows (discoverable
/// credentials: no number typed). Answers the request options as JSON (`{"publicKey": …}`,
/// for `PublicKeyCredential.parseRequestOptionsFromJSON`); the page chooses the mediation
/// (a button, or the autofill's conditional UI). A visitor with no session yet counts in the
/// per-address new-session limit (429 past it), as this creates one.
pub async fn begin_passkey_sign_in(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
) -> Result<String, AuthError> {
    let rp = relying_party(ctx)?;
    let (mut options, state) =
        rp.webauthn()
            .start_discoverable_authentication()
            .map_err(|error| {
                tracing::error!(%error, "passkey sign-in could not start");
                AuthError::TemporarilyUnavailable
            })?;
    options.mediation = None;
    if session.holds_nothing().await {
        ctx.limits
            .allow_new_session(facts.client_ip, facts.now)
            .await
            .map_err(|refusal| {
                tracing::warn!(
                    ?refusal,
                    "passkey sign-in start refused: new sessions from this address"
                );
                metrics::limit_hit("sessions");
                refusal_error(refusal)
            })?;
    }
    Ceremony::begin(session, CeremonyKind::SignIn, state, None, facts.now).await?;
    serde_json::to_string(&options).map_err(|error| {
        tracing::error!(%error, "request options not serialisable");
        AuthError::TemporarilyUnavailable
    })
}

/// Finishes a passkey sign-in with the browser's answer (`credential.toJSON()` as JSON):
/// verifies it against the ceremony (single use), the stored public key and its signature
/// counter, then signs in with a new session id. Answers where to go (`next` when it is a
/// same-site path, else `/`).
pub async fn finish_passkey_sign_in(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    credential_json: &str,
    next: Option<&str>,
) -> Result<String, AuthError> {
    let rp = relying_party(ctx)?;
    let now = facts.now;
    ctx.limits
        .allow_check(facts.client_ip, now)
        .await
        .map_err(|refusal| {
            tracing::warn!(?refusal, "passkey sign-in refused by limit");
            metrics::limit_hit("checks");
            refusal_error(refusal)
        })?;
    let state: DiscoverableAuthentication =
        Ceremony::finish(session, ctx.locks.as_ref(), CeremonyKind::SignIn, None, now).await?;
    let refused = |error: AuthError, reason: &dyn std::fmt::Display| {
        tracing::warn!(%reason, "audit: passkey sign-in refused");
        metrics::passkey_event("refused");
        error
    };
    let answer: PublicKeyCredential = serde_json::from_str(credential_json)
        .map_err(|e| refused(AuthError::PasskeyRefused, &e))?;
    let (user_handle, raw_id) = rp
        .webauthn()
        .identify_discoverable_authentication(&answer)
        .map_err(|e| refused(AuthError::PasskeyRefused, &e))?;
    let credential_id = credential_id_text(raw_id);
    let Some(owner) = store(ctx.accounts.find_passkey(&credential_id).await)? else {
        return Err(refused(
            AuthError::PasskeyUnknown,
            &"credential not registered",
        ));
    };
    if owner.account.id != user_handle.to_string() {
        return Err(refused(
            AuthError::PasskeyRefused,
            &"user handle is not the owner's",
        ));
    }
    let failures = ctx
        .limits
        .passkey_failures(&credential_id, now)
        .await
        .map_err(refusal_error)?;
    if let Some(retry_after_secs) = failures.blocked_for {
        metrics::limit_hit("passkey");
        return Err(refused(
            AuthError::PasskeyLocked { retry_after_secs },
            &"passkey paused by refused attempts",
        ));
    }
    let mut passkey: Passkey =
        serde_json::from_str(&owner.passkey.credential).map_err(|error| {
            tracing::error!(%error, "stored passkey unreadable");
            AuthError::TemporarilyUnavailable
        })?;
    let verified = rp.webauthn().finish_discoverable_authentication(
        &answer,
        state,
        &[DiscoverableKey::from(&passkey)],
    );
    let result = match verified {
        Ok(result) => result,
        Err(error) => {
            let counted = ctx.limits.record_passkey_failure(&credential_id, now);
            if let Err(refusal) = counted.await {
                tracing::warn!(?refusal, "passkey failure not counted");
            }
            return Err(refused(AuthError::PasskeyRefused, &error));
        }
    };
    passkey.update_credential(&result);
    let credential = serde_json::to_string(&passkey).map_err(|error| {
        tracing::error!(%error, "passkey not serialisable");
        AuthError::TemporarilyUnavailable
    })?;
    if !store(
        ctx.accounts
            .record_passkey_use(&credential_id, &credential, now)
            .await,
    )? {
        return Err(refused(
            AuthError::PasskeyUnknown,
            &"removed during sign-in",
        ));
    }
    let Some(account) = store(
        ctx.accounts
            .record_sign_in_by_id(&owner.account.id, now)
            .await,
    )?
    else {
        return Err(refused(AuthError::PasskeyUnknown, &"account gone"));
    };
    let number = PhoneNumber::parse(&account.phone, ctx.default_country).map_err(|problem| {
        tracing::error!(?problem, "stored account number unreadable");
        AuthError::TemporarilyUnavailable
    })?;
    if let Err(refusal) = ctx.limits.clear_passkey_failures(&credential_id, now).await {
        tracing::warn!(?refusal, "passkey failures not cleared");
    }
    let masked = number.masked();
    let factor = SignInFactor::Passkey {
        credential_id: credential_id.clone(),
        name: owner.passkey.name.clone(),
    };
    sign_in_after_passkey(ctx, session, facts, &account.id, number, factor).await?;
    tracing::info!(number = %masked, passkey = %owner.passkey.name, "audit: signed in with a passkey");
    ::metrics::counter!(metrics::PASSKEY_SIGN_INS).increment(1);
    ::metrics::counter!(metrics::MESSAGES_AVOIDED).increment(1);
    Ok(next
        .and_then(|raw| ctx.redirect_hosts.checked_next(raw))
        .unwrap_or_else(|| "/".to_owned()))
}

/// Signs this browser in as `number` once its passkey has verified: a code this browser
/// asked for is no longer needed (its login ends: cancelled upstream, number freed, its
/// call's count given back once), the number's wrong codes are forgotten (its owner proved
/// it), and the session id is renewed.
pub(super) async fn sign_in_after_passkey(
    ctx: &AuthContext,
    session: &LoginSession,
    facts: &RequestFacts,
    account_id: &str,
    number: PhoneNumber,
    factor: SignInFactor,
) -> Result<(), AuthError> {
    let now = facts.now;
    if let Some(pending) = session.pending().await? {
        end(ctx, session, now, &pending, Ending::SignedInByPasskey).await?;
    }
    if let Err(refusal) = ctx.limits.clear_failures(number.e164(), now).await {
        tracing::warn!(number = %number.masked(), ?refusal, "wrong-code count not cleared");
    }
    open_session(ctx, session, facts, account_id, number, factor).await
}
