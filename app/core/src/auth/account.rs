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
}
