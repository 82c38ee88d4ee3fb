//! Who is signed in, as a page or a server function of your own sees it.

use serde::{Deserialize, Serialize};

/// The signed-in person: what [`crate::auth::server::signed_in`] answers in a server
/// function and what `<SignedInOnly>` hands the page it protects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInAccount {
    /// The account's id (stable across sign-ins; what another app keys its data by).
    pub account_id: String,
    /// The phone number, E.164 (`+447700900123`).
    pub number: String,
    /// The phone number as shown (`+44 7700 900123`).
    pub shown_number: String,
    /// Unix seconds of this session's sign-in.
    pub since: u64,
}
