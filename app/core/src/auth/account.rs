//! What the account page may show about the signed-in person's account.

use serde::{Deserialize, Serialize};

/// The signed-in person's account, as `/account` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// The number, E.164.
    pub number: String,
    /// Unix seconds of the account's first sign-in.
    pub created_at: u64,
    /// Unix seconds of its latest sign-in (this session's, or a later one elsewhere).
    pub last_sign_in_at: u64,
    /// Its passkeys, oldest first.
    pub passkeys: Vec<PasskeyView>,
    /// Seconds left in which this session may add or remove passkeys (10 minutes from its
    /// sign-in); 0 when it must sign in again first.
    pub passkey_changes_for_secs: u64,
    /// The account's signed-in sessions, oldest sign-in first (this browser's included).
    pub sessions: Vec<SessionView>,
    /// `true` for a test number in force (`TEST_NUMBERS`): it signs in with a fixed code and
    /// nothing is sent to it.
    #[serde(default)]
    pub test_account: bool,
}

/// One signed-in session as the account page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Its id in the account's session index (never the cookie): what "Sign out" sends back.
    pub id: String,
    /// Browser and system it signed in from ("Firefox on Linux").
    pub device: String,
    /// Coarse network of its latest request ("203.0.113.0/24", "This computer").
    pub network: String,
    /// How it signed in ("a code", "passkey “Chrome on Linux”").
    pub signed_in_with: String,
    /// Unix seconds of sign-in.
    pub signed_in_at: u64,
    /// Unix seconds of its latest request (to the minute).
    pub last_seen_at: u64,
    /// `true` for the browser looking at the list.
    pub current: bool,
}

/// One passkey as the account page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    /// Its credential id (base64url): what "Remove" sends back.
    pub id: String,
    /// Its name ("Chrome on Linux").
    pub name: String,
    /// Unix seconds when it was added.
    pub created_at: u64,
    /// Unix seconds of its latest sign-in, if any.
    pub last_used_at: Option<u64>,
    /// How many of the account's other signed-in sessions it signed in (offered to be
    /// signed out with it).
    #[serde(default)]
    pub open_sessions: u32,
}
