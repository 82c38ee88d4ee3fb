//! What the browser may know about the login: the step to render, never the provider's id.

use super::AuthError;
use serde::{Deserialize, Serialize};

/// How a code reaches the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    /// Text message.
    Sms,
    /// Phone call reading the code.
    Voice,
}

/// The PIN step's facts, with times relative to the server's clock at answer time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingView {
    /// The number the code went to, in readable international form.
    pub number: String,
    /// Wrong codes the user may still type.
    pub attempts_left: u32,
    /// The channel the code went out on last.
    pub channel: Channel,
    /// Seconds until "Send again" may be used (0: now).
    pub resend_in_secs: u64,
    /// Whether a further channel (a call) is left for "Send again".
    pub can_resend: bool,
    /// Seconds until the provider calls by itself if the code has not been typed; `None`
    /// when no such call is coming.
    pub call_in_secs: Option<u64>,
    /// Seconds until the code expires.
    pub expires_in_secs: u64,
}

/// The current step of the login, as reported by [`super::api::get_login_status`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginStep {
    /// No login in progress: show the phone step or a "Sign in" link.
    SignedOut,
    /// A code was sent: show the PIN step.
    Pending(PendingView),
    /// Signed in.
    SignedIn {
        /// The proven number in readable international form (`+44 7400 123123`).
        number: String,
        /// Unix seconds of sign-in.
        since: u64,
    },
}

/// A one-shot note carried to the next page render: the error of a no-JavaScript submit,
/// and/or the number to put back in the phone field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// What went wrong on the previous submit, if anything.
    pub error: Option<AuthError>,
    /// The number to fill in again (what was typed, or the one being changed).
    pub typed_number: Option<String>,
    /// A short confirmation, e.g. "We're calling +44 … now."
    pub notice: Option<String>,
}

/// The server's answer to "where am I?".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginStatus {
    /// Which step to render.
    pub step: LoginStep,
    /// The note of the previous submit, shown once.
    pub flash: Option<Flash>,
    /// `true` when codes go to the development outbox instead of a phone.
    pub dev_outbox: bool,
    /// The relying-party id passkeys are bound to (`localhost`, `login.example.com`); `None`
    /// when this site offers no passkeys. The page offers them only on a host inside it.
    #[serde(default)]
    pub passkey_rp_id: Option<String>,
}
