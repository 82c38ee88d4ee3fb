//! The typed view of the server-side session: the only code that reads or writes login keys.

use super::verify_port::RequestId;
use crate::auth::{AuthError, Channel};
use crate::domain::PhoneNumber;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::time::Duration;
use tower_sessions::{Expiry, Session};

/// An anonymous session (a pending login, a passkey ceremony, an owner token) is
/// forgotten after this long without a request.
pub const PENDING_IDLE: Duration = Duration::from_secs(30 * 60);
/// A signed-in session is forgotten after this long without a request.
pub const SIGNED_IN_IDLE: Duration = Duration::from_secs(7 * 24 * 3600);
/// A signed-in session ends this long after sign-in, however active.
pub const SIGNED_IN_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);

fn idle(duration: Duration) -> Option<Expiry> {
    let seconds = i64::try_from(duration.as_secs()).unwrap_or(i64::MAX);
    Some(Expiry::OnInactivity(time::Duration::seconds(seconds)))
}

const PENDING_KEY: &str = "login.pending";
const USER_KEY: &str = "login.user";
const OWNER_KEY: &str = "login.owner";
/// The passkey ceremonies' slots (see `passkeys::CeremonyKind::session_key`).
pub(crate) const CEREMONY_REGISTRATION_KEY: &str = "passkey.registration";
pub(crate) const CEREMONY_SIGN_IN_KEY: &str = "passkey.sign_in";

/// A code was sent and the user has not typed it yet.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingLogin {
    /// 128 random bits naming this login, under which its ending is claimed once in the
    /// shared store (empty for a login stored before ids existed: see [`Self::claim_key`]).
    #[serde(default)]
    pub login_id: String,
    /// Where the code went.
    pub number: PhoneNumber,
    /// The provider's id; never leaves the server.
    pub request_id: RequestId,
    /// Unix seconds when the code was requested.
    pub started_at: u64,
    /// Wrong codes typed so far; never reset by a resend.
    pub wrong_codes: u32,
    /// The channel the code went out on last.
    #[serde(default = "first_channel")]
    pub channel: Channel,
    /// Unix seconds from which "Send again" may be used.
    #[serde(default)]
    pub resend_at: u64,
    /// Checked destination after sign-in: a same-site path, or a URL on an allowed host.
    #[serde(default)]
    pub next: Option<String>,
    /// Unix seconds at which the provider calls by itself unless the code was checked or
    /// the call asked for earlier; `None` once the call was made on request, or when the
    /// provider never calls by itself. The call is counted against the send limits at the
    /// start and given back if the login ends before it.
    #[serde(default)]
    pub auto_call_at: Option<u64>,
    /// The channel the first code went out on (what the person chose).
    #[serde(default = "first_channel")]
    pub first_channel: Channel,
    /// The channel "Send again" (or the provider itself, at [`Self::auto_call_at`]) moves
    /// to; `None` when the first code is the only one. Logins stored before channels could
    /// be chosen moved to a call.
    #[serde(default = "call_next")]
    pub next_channel: Option<Channel>,
    /// Silent authentication's address for this login's request (Vonage v2 `check_url`),
    /// shown only on this session's page; `None` once silent authentication is known to be
    /// over (it failed, or the person asked for a code), or when it was never tried.
    #[serde(default)]
    pub check_url: Option<String>,
    /// Unix seconds at which the provider gives up silent authentication and sends the first
    /// code by itself; `None` when the login never tried it. Kept after silent
    /// authentication ended: the provider may have moved on as early as the start, so its
    /// own call may come from here on.
    #[serde(default)]
    pub silent_until: Option<u64>,
    /// The client address the sends of this login were counted under.
    #[serde(default)]
    pub send_ip: Option<std::net::IpAddr>,
    /// A test number's login (`TEST_NUMBERS`): nothing is sent, so nothing was counted
    /// against the send limits or by the fraud guard, and nothing is given back.
    #[serde(default)]
    pub sends_nothing: bool,
}

impl PendingLogin {
    /// The channel the code has gone out on by `now`: the provider's own move to the next
    /// channel counts from its time on.
    pub fn channel_at(&self, now: u64) -> Channel {
        match (self.auto_call_at, self.next_channel) {
            (Some(at), Some(next)) if now >= at => next,
            _ => self.channel,
        }
    }

    /// `true` while a further channel is left: the code has not gone out on
    /// [`Self::next_channel`] yet.
    pub fn has_next_channel(&self, now: u64) -> bool {
        self.next_channel
            .is_some_and(|next| self.channel_at(now) != next)
    }

    /// The shared-store key under which one fact of this login is claimed once (`ended`:
    /// its ending; `call`: the fate of the provider's scheduled call).
    pub fn claim_key(&self, fact: &str) -> String {
        match self.login_id.is_empty() {
            false => format!("login:{fact}:{}", self.login_id),
            true => format!("login:{fact}:{}:{}", self.number.e164(), self.started_at),
        }
    }

    /// `true` while silent authentication is under way: no code has been sent yet.
    pub fn silent_at(&self, now: u64) -> bool {
        self.check_url.is_some() && self.silent_until.is_some_and(|until| now < until)
    }

    /// Seconds until the provider's own call, while it is still to come.
    pub fn call_in_secs(&self, now: u64) -> Option<u64> {
        self.auto_call_at
            .filter(|at| Some(self.channel) != self.next_channel && now < *at)
            .map(|at| at - now)
    }
}

fn first_channel() -> Channel {
    Channel::Sms
}

fn call_next() -> Option<Channel> {
    Some(Channel::Voice)
}

/// A proven number.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignedInUser {
    /// The number that typed the right code.
    pub number: PhoneNumber,
    /// Unix seconds of sign-in.
    pub since: u64,
    /// The account's id (see `store::accounts::Account::id`).
    #[serde(default)]
    pub account_id: String,
    /// This session's entry in the account's session index (`store::session_index::DeviceSession`);
    /// empty for a session signed in before the index existed, which reads as signed out.
    #[serde(default)]
    pub handle: String,
}

/// Intent-named access to the login state in a `tower_sessions::Session`. Store failures
/// are logged and surface as [`AuthError::TemporarilyUnavailable`].
#[derive(Clone)]
pub struct LoginSession(Session);

impl LoginSession {
    /// Wraps the request's session.
    pub fn new(session: Session) -> Self {
        Self(session)
    }

    /// The pending login, if a code was sent.
    pub async fn pending(&self) -> Result<Option<PendingLogin>, AuthError> {
        self.get(PENDING_KEY).await
    }

    /// Records a started (or resumed) verification, replacing any earlier one.
    pub async fn begin_pending(&self, pending: &PendingLogin) -> Result<(), AuthError> {
        self.short_lived_unless_signed_in().await?;
        self.insert(PENDING_KEY, pending).await
    }

    /// An anonymous session (a login in progress, a ceremony, an owner token) is forgotten
    /// after [`PENDING_IDLE`] without a request, so visitors who leave nothing worth keeping
    /// do not fill the store for the signed-in sessions' week.
    async fn short_lived_unless_signed_in(&self) -> Result<(), AuthError> {
        if self.get::<SignedInUser>(USER_KEY).await?.is_none() {
            self.0.set_expiry(idle(PENDING_IDLE));
        }
        Ok(())
    }

    /// Saves a changed pending login (e.g. one more wrong code).
    pub async fn update_pending(&self, pending: &PendingLogin) -> Result<(), AuthError> {
        self.insert(PENDING_KEY, pending).await
    }

    /// Ends the pending login (expired, exhausted or abandoned).
    pub async fn clear_pending(&self) -> Result<(), AuthError> {
        self.0
            .remove_value(PENDING_KEY)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    /// The signed-in user, if any.
    ///
    /// Past [`SIGNED_IN_MAX_AGE`] the session is destroyed and this answers `None`.
    pub async fn signed_in(&self, now: u64) -> Result<Option<SignedInUser>, AuthError> {
        let user: Option<SignedInUser> = self.get(USER_KEY).await?;
        match user {
            Some(user) if now >= user.since.saturating_add(SIGNED_IN_MAX_AGE.as_secs()) => {
                tracing::info!(number = %user.number.masked(), "session reached its maximum age");
                self.sign_out().await?;
                Ok(None)
            }
            other => Ok(other),
        }
    }

    /// Signs the user in: issues a new session id (against fixation), drops the pending
    /// login and any unfinished passkey ceremony (begun by whoever was here before), and
    /// stores the user.
    pub async fn sign_in(&self, user: &SignedInUser) -> Result<(), AuthError> {
        self.0.cycle_id().await.map_err(store_error)?;
        self.0.set_expiry(idle(SIGNED_IN_IDLE));
        for key in [PENDING_KEY, CEREMONY_REGISTRATION_KEY, CEREMONY_SIGN_IN_KEY] {
            self.0.remove_value(key).await.map_err(store_error)?;
        }
        self.insert(USER_KEY, user).await
    }

    /// The session's id as the store knows it (changes at sign-in); `None` before the
    /// first save.
    pub fn id(&self) -> Option<String> {
        self.0.id().map(|id| id.to_string())
    }

    /// Signs out: deletes the session from the store and expires the cookie, so a replayed
    /// old cookie is anonymous.
    pub async fn sign_out(&self) -> Result<(), AuthError> {
        self.0.flush().await.map_err(store_error)
    }

    /// This session's secret owner token for number locks (128 random bits), created on
    /// first use. Never sent to the browser.
    pub async fn owner_token(&self) -> Result<String, AuthError> {
        if let Some(token) = self.get::<String>(OWNER_KEY).await? {
            return Ok(token);
        }
        let token = tower_sessions::session::Id::default().to_string();
        self.short_lived_unless_signed_in().await?;
        self.insert(OWNER_KEY, &token).await?;
        Ok(token)
    }

    /// `true` while nothing is stored for this browser: a write now creates an anonymous
    /// session (which the per-address new-session limit counts).
    pub async fn holds_nothing(&self) -> bool {
        self.0.is_empty().await
    }

    /// Keeps a passkey ceremony's state under `key` (see `passkeys::Ceremony`). An anonymous
    /// session gets the short idle expiry of a pending login.
    pub async fn keep_ceremony<T: Serialize>(&self, key: &str, value: &T) -> Result<(), AuthError> {
        self.short_lived_unless_signed_in().await?;
        self.insert(key, value).await
    }

    /// Takes the passkey ceremony kept under `key`, so it cannot be used again.
    pub async fn take_ceremony<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, AuthError> {
        if self.0.is_empty().await {
            return Ok(None);
        }
        let value: Option<T> = self.get(key).await?;
        if value.is_some() {
            self.0.remove_value(key).await.map_err(store_error)?;
        }
        Ok(value)
    }

    async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, AuthError> {
        self.0.get(key).await.map_err(store_error)
    }

    async fn insert<T: Serialize>(&self, key: &str, value: &T) -> Result<(), AuthError> {
        self.0.insert(key, value).await.map_err(store_error)
    }
}

fn store_error(error: tower_sessions::session::Error) -> AuthError {
    tracing::error!(%error, "session store failed");
    metrics::counter!(super::metrics_names::STORE_ERRORS).increment(1);
    AuthError::TemporarilyUnavailable
}

#[cfg(test)]
mod tests;
