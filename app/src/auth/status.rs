//! What the browser may know about the login: the step to render, never the provider's id.

use super::AuthError;
use serde::{Deserialize, Serialize};

/// The current step of the login, as reported by [`super::api::get_login_status`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginStep {
    /// No login in progress: show the phone step or a "Sign in" link.
    SignedOut,
    /// A code was sent: show the PIN step.
    Pending {
        /// The number the code went to, in readable international form.
        number: String,
        /// Wrong codes the user may still type.
        attempts_left: u32,
    },
    /// Signed in.
    SignedIn {
        /// The proven number in E.164 form.
        number: String,
        /// Unix seconds of sign-in.
        since: u64,
    },
}

/// A one-shot message carried across a no-JavaScript redirect (post, redirect, get).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// What went wrong on the previous submit.
    pub error: AuthError,
    /// What the user had typed in the number field, to fill it in again.
    pub typed_number: Option<String>,
}

/// The server's answer to "where am I?".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginStatus {
    /// Which step to render.
    pub step: LoginStep,
    /// The error of the previous no-JS submit, shown once.
    pub flash: Option<Flash>,
    /// `true` when codes go to the development outbox instead of a phone.
    pub dev_outbox: bool,
}
