//! A WebAuthn ceremony's server-side state between its two requests: kept in the caller's
//! session (so it is bound to it and shared by every instance through the session store),
//! expiring after five minutes, and usable once even when two requests race for it.

use crate::auth::server::login_session::{CEREMONY_REGISTRATION_KEY, CEREMONY_SIGN_IN_KEY};
use crate::auth::server::store::locks::{LockOutcome, LockStore};
use crate::auth::server::LoginSession;
use crate::auth::AuthError;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// How long the browser has to answer a ceremony.
pub const CEREMONY_TTL_SECS: u64 = 5 * 60;

/// Which ceremony: each kind has its own slot in the session, so starting one replaces an
/// earlier unfinished one of the same kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CeremonyKind {
    /// Adding a passkey to the signed-in account.
    Registration,
    /// Signing in with a passkey.
    SignIn,
}

impl CeremonyKind {
    /// The session key of this kind's slot.
    pub fn session_key(self) -> &'static str {
        match self {
            Self::Registration => CEREMONY_REGISTRATION_KEY,
            Self::SignIn => CEREMONY_SIGN_IN_KEY,
        }
    }
}

/// The state `webauthn-rs` needs to finish a ceremony, with its expiry and a random id that
/// makes it single-use across requests and instances.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Ceremony<T> {
    /// `PasskeyRegistration` or `DiscoverableAuthentication` (serialisable through
    /// `webauthn-rs`'s `danger-allow-state-serialisation`: it holds the challenge, which never
    /// leaves the server except inside the options the browser signs).
    pub state: T,
    /// Unix seconds after which it is refused.
    pub expires_at: u64,
    /// 128 random bits naming this ceremony for [`Ceremony::claim`].
    pub id: String,
    /// The account that began it (a registration), `None` for an anonymous visitor (a
    /// sign-in). Finishing as anyone else is refused.
    #[serde(default)]
    pub bound_to: Option<String>,
}

impl<T: Serialize + DeserializeOwned> Ceremony<T> {
    /// Keeps `state` in the session for [`CEREMONY_TTL_SECS`], bound to the account
    /// `bound_to` (or to an anonymous visitor: `None`).
    pub async fn begin(
        session: &LoginSession,
        kind: CeremonyKind,
        state: T,
        bound_to: Option<&str>,
        now: u64,
    ) -> Result<(), AuthError> {
        let ceremony = Ceremony {
            state,
            expires_at: now.saturating_add(CEREMONY_TTL_SECS),
            id: uuid::Uuid::new_v4().simple().to_string(),
            bound_to: bound_to.map(str::to_owned),
        };
        session.keep_ceremony(kind.session_key(), &ceremony).await
    }

    /// Takes the ceremony out of the session and claims it in the shared lock store, so
    /// exactly one request finishes it: a second request with the same cookie (a replay, or a
    /// race) finds it gone or claimed. Missing, expired or already claimed is
    /// [`AuthError::PasskeyExpired`].
    /// A ceremony begun for another account than `bound_to` (or by an anonymous visitor for
    /// an account) is refused the same way.
    pub async fn finish(
        session: &LoginSession,
        locks: &dyn LockStore,
        kind: CeremonyKind,
        bound_to: Option<&str>,
        now: u64,
    ) -> Result<T, AuthError> {
        let Some(ceremony) = session
            .take_ceremony::<Ceremony<T>>(kind.session_key())
            .await?
        else {
            return Err(AuthError::PasskeyExpired);
        };
        if now >= ceremony.expires_at {
            return Err(AuthError::PasskeyExpired);
        }
        if ceremony.bound_to.as_deref() != bound_to {
            tracing::warn!("passkey ceremony finished by another account than began it; refused");
            return Err(AuthError::PasskeyExpired);
        }
        let key = format!("passkey:ceremony:{}", ceremony.id);
        let claim = uuid::Uuid::new_v4().simple().to_string();
        match locks
            .acquire(&key, &claim, ceremony.expires_at, now)
            .await
            .map_err(|error| {
                tracing::error!(%error, "lock store failed claiming a passkey ceremony");
                AuthError::TemporarilyUnavailable
            })? {
            LockOutcome::Acquired => Ok(ceremony.state),
            LockOutcome::AlreadyOurs | LockOutcome::HeldUntil(_) => {
                tracing::warn!("passkey ceremony used twice; refused");
                Err(AuthError::PasskeyExpired)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::server::store::locks::MemoryLocks;
    use std::sync::Arc;
    use tower_sessions::{MemoryStore, Session};

    fn session() -> LoginSession {
        LoginSession::new(Session::new(None, Arc::new(MemoryStore::default()), None))
    }

    #[tokio::test]
    async fn a_ceremony_finishes_once_and_not_after_five_minutes() {
        let locks = MemoryLocks::default();
        let s = session();
        Ceremony::begin(&s, CeremonyKind::SignIn, "state".to_owned(), None, 1000)
            .await
            .expect("begin");
        let state: String = Ceremony::finish(&s, &locks, CeremonyKind::SignIn, None, 1001)
            .await
            .expect("first finish");
        assert_eq!(state, "state");
        let again = Ceremony::<String>::finish(&s, &locks, CeremonyKind::SignIn, None, 1002).await;
        assert_eq!(again.err(), Some(AuthError::PasskeyExpired));

        Ceremony::begin(&s, CeremonyKind::SignIn, "late".to_owned(), None, 1000)
            .await
            .expect("begin");
        let late = Ceremony::<String>::finish(&s, &locks, CeremonyKind::SignIn, None, 1300).await;
        assert_eq!(late.err(), Some(AuthError::PasskeyExpired));
    }

    #[tokio::test]
    async fn a_copied_session_state_is_claimed_once() {
        // Two requests that loaded the same session before either saved it both see the
        // ceremony; the shared lock store lets only one finish it.
        let locks = MemoryLocks::default();
        let first = session();
        Ceremony::begin(&first, CeremonyKind::Registration, 7u32, Some("a"), 50)
            .await
            .expect("begin");
        let copy: Ceremony<u32> = first
            .take_ceremony(CeremonyKind::Registration.session_key())
            .await
            .expect("read")
            .expect("kept");
        let second = session();
        second
            .keep_ceremony(CeremonyKind::Registration.session_key(), &copy)
            .await
            .expect("copy");
        first
            .keep_ceremony(CeremonyKind::Registration.session_key(), &copy)
            .await
            .expect("restore");
        let a = Ceremony::<u32>::finish(&first, &locks, CeremonyKind::Registration, Some("a"), 60)
            .await;
        let b = Ceremony::<u32>::finish(&second, &locks, CeremonyKind::Registration, Some("a"), 60)
            .await;
        assert_eq!(a, Ok(7));
        assert_eq!(b, Err(AuthError::PasskeyExpired));
    }

    #[tokio::test]
    async fn a_ceremony_finishes_only_for_the_account_that_began_it() {
        let locks = MemoryLocks::default();
        let s = session();
        Ceremony::begin(&s, CeremonyKind::Registration, 1u8, Some("account-a"), 10)
            .await
            .expect("begin");
        let other = Ceremony::<u8>::finish(
            &s,
            &locks,
            CeremonyKind::Registration,
            Some("account-b"),
            11,
        )
        .await;
        assert_eq!(other, Err(AuthError::PasskeyExpired));
        let again = Ceremony::<u8>::finish(
            &s,
            &locks,
            CeremonyKind::Registration,
            Some("account-a"),
            12,
        )
        .await;
        assert_eq!(
            again,
            Err(AuthError::PasskeyExpired),
            "taken by the refusal"
        );
    }
}
