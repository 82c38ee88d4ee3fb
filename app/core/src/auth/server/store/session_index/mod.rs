//! The signed-in sessions of each account, so a person can see where they are signed in and
//! end any of them. The index is a port kept in the shared store beside the sessions
//! (memory, SQLite, Redis): a session is signed in only while its entry is listed, so ending
//! an entry signs that browser out at its next request, on any instance.

mod memory;

use super::StoreError;
use crate::auth::server::login_session::{SIGNED_IN_IDLE, SIGNED_IN_MAX_AGE};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use memory::MemorySessionIndex;

/// A request moves a listed session's "last seen" forward only when it is at least this
/// much newer (or comes from another network), so a busy browser writes at most once a
/// minute.
pub const SEEN_RESOLUTION_SECS: u64 = 60;

/// How a session was signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignInFactor {
    /// A code sent to the number.
    Code,
    /// A passkey of the account.
    Passkey {
        /// Its credential id (base64url), so removing it can end what it opened.
        credential_id: String,
        /// Its name when it signed in ("Chrome on Linux").
        name: String,
    },
}

/// One signed-in session of an account, as the index keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSession {
    /// 128 random bits naming the session in the index; stored in the session itself, never
    /// the session cookie's id.
    pub handle: String,
    /// Unix seconds of sign-in.
    pub signed_in_at: u64,
    /// Unix seconds of its latest request (to [`SEEN_RESOLUTION_SECS`]).
    pub last_seen_at: u64,
    /// Browser and system ("Firefox on Linux"), from its sign-in request.
    pub device: String,
    /// Coarse network of its latest request ("203.0.113.0/24"); see [`coarse_network`](crate::auth::server::session_description::coarse_network).
    pub network: String,
    /// How it signed in.
    pub factor: SignInFactor,
}

impl DeviceSession {
    /// Unix second from which the session is over: idle too long, or too old.
    pub fn expires_at(&self) -> u64 {
        let idle = self.last_seen_at.saturating_add(SIGNED_IN_IDLE.as_secs());
        let max = self
            .signed_in_at
            .saturating_add(SIGNED_IN_MAX_AGE.as_secs());
        idle.min(max)
    }

    /// Unix second from which the session is over however often it is used: its sign-in
    /// plus the longest a signed-in session lasts.
    pub fn ends_at_latest(&self) -> u64 {
        self.signed_in_at
            .saturating_add(SIGNED_IN_MAX_AGE.as_secs())
    }

    /// `true` while the session may still be used at `now`.
    pub fn is_live(&self, now: u64) -> bool {
        now < self.expires_at()
    }

    /// `true` when a request at `now` from `network` should be written down.
    pub fn worth_recording(&self, now: u64, network: &str) -> bool {
        now >= self.last_seen_at.saturating_add(SEEN_RESOLUTION_SECS) || self.network != network
    }

    /// `true` when `credential_id` signed this session in.
    pub fn opened_by_passkey(&self, credential_id: &str) -> bool {
        matches!(&self.factor, SignInFactor::Passkey { credential_id: id, .. } if id == credential_id)
    }
}

/// The signed-in sessions per account (`account` is the account id). Each method is one
/// atomic store operation (or, for [`Self::end`], one per handle); an `Err` is a store
/// failure, which the caller logs and answers as "temporarily unavailable". Expired
/// entries ([`DeviceSession::is_live`]) read as absent and are forgotten by the store.
#[async_trait]
pub trait SessionIndex: Send + Sync + 'static {
    /// Lists `session` under `account`.
    async fn add(&self, account: &str, session: &DeviceSession) -> Result<(), StoreError>;

    /// Records a request of `handle` at `now` from `network` (only when
    /// [`DeviceSession::worth_recording`]). `false` when the session is not listed (ended
    /// elsewhere, or expired): the caller signs it out. Never lists an ended session again.
    async fn seen(
        &self,
        account: &str,
        handle: &str,
        now: u64,
        network: &str,
    ) -> Result<bool, StoreError>;

    /// The live sessions of `account` at `now`, oldest sign-in first.
    async fn list(&self, account: &str, now: u64) -> Result<Vec<DeviceSession>, StoreError>;

    /// Ends `handles` of `account`; answers how many were still listed (ending one twice,
    /// or from two requests at once, counts it once).
    async fn end(&self, account: &str, handles: &[String]) -> Result<usize, StoreError>;
}

/// A new session handle: 128 random bits, hex.
pub fn new_handle() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
