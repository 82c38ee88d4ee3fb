//! The one error type of the login's server-function boundary.

use super::ChallengeWidget;
use crate::domain::{PhoneNumberProblem, PinProblem};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Everything a login step can answer besides success. Each variant carries only what the
/// user may see; details go to the server log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthError {
    /// The typed phone number was rejected; nothing was sent.
    InvalidNumber(PhoneNumberProblem),
    /// The typed code was malformed; nothing was checked.
    InvalidCode(PinProblem),
    /// The provider cannot send to this destination.
    DestinationNotSupported,
    /// The code was wrong; `attempts_left` more tries are allowed.
    WrongCode {
        /// Tries left before the pending login is cancelled.
        attempts_left: u32,
    },
    /// Too many wrong codes: the pending login is over.
    TooManyAttempts,
    /// The code expired or the pending login is gone; start again.
    CodeExpired,
    /// A code step was used without a pending login (e.g. a stale tab).
    NoPendingLogin,
    /// The provider throttled us; try again shortly.
    Throttled {
        /// Seconds until a retry can succeed: the provider's `Retry-After`, else 60.
        retry_after_secs: u64,
    },
    /// One of our send or check limits is reached.
    TooManyRequests {
        /// Seconds until a retry can succeed (sent as `Retry-After`).
        retry_after_secs: u64,
    },
    /// "Send again" was used before its countdown ended.
    ResendTooSoon {
        /// Seconds until it may be used.
        retry_after_secs: u64,
    },
    /// Every channel was used; the code already sent is still valid until it expires.
    NoChannelLeft,
    /// The Verify provider failed; safe to retry.
    ServiceUnavailable,
    /// Our session or counter store failed; safe to retry shortly.
    TemporarilyUnavailable,
    /// The request itself was malformed (missing field, bad encoding).
    BadRequest,
    /// Another browser holds a live code for this number; nothing was sent. Only the session
    /// that asked for the code can use, resend or cancel it.
    NumberBusy {
        /// Seconds until that code expires and the number is free.
        retry_after_secs: u64,
    },
    /// The provider still counts a just-ended request for this number (Vonage v2 answers 409
    /// for a few seconds after a cancel); nothing was sent and nothing was resumed.
    NumberSettling,
    /// Too many wrong codes for this number, across codes and browsers; nothing was sent or
    /// checked.
    TooManyWrongCodes {
        /// Seconds until one more try is allowed.
        retry_after_secs: u64,
    },
    /// The fraud guard paused sends to this number's range or country (too few codes sent
    /// there were ever typed); nothing was sent. Neither the rule nor its end is named.
    SendingPaused,
    /// This send looks risky (a range near its fraud threshold, a burst from one network, a
    /// new country for this address): nothing was sent until the user passes the human check
    /// shown by `widget`. `failed` when a check was sent and did not pass.
    ChallengeRequired {
        /// The widget to show.
        widget: ChallengeWidget,
        /// Whether the check just submitted was refused.
        failed: bool,
    },
    /// The step needs a signed-in session and this one is not.
    NotSignedIn,
    /// Adding or removing a passkey needs a sign-in within the last 10 minutes.
    RecentSignInRequired,
    /// The passkey's answer did not verify (wrong site, wrong challenge, bad signature, a
    /// cloned authenticator's counter, user verification missing); nothing changed.
    PasskeyRefused,
    /// The passkey is not (or no longer) registered to any account here.
    PasskeyUnknown,
    /// The passkey request is missing, over five minutes old or already used; start again.
    PasskeyExpired,
    /// This passkey is already on the account.
    PasskeyAlreadyAdded,
    /// No passkey with that id on this account.
    PasskeyNotFound,
    /// No signed-in session with that id on this account (already ended, or expired).
    SessionNotFound,
    /// Passkeys are off on this site (its address has no domain name).
    PasskeysUnavailable,
    /// This passkey was refused too often lately (a cloned or tampered authenticator); it is
    /// paused. The phone-code path is not affected.
    PasskeyLocked {
        /// Seconds until it may be tried again.
        retry_after_secs: u64,
    },
}

impl AuthError {
    /// The HTTP status an API (fetch) client sees with this error in the JSON body.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::NotSignedIn | Self::PasskeyRefused | Self::PasskeyUnknown => 401,
            Self::RecentSignInRequired => 403,
            Self::PasskeyNotFound | Self::SessionNotFound | Self::PasskeysUnavailable => 404,
            Self::PasskeyExpired | Self::PasskeyAlreadyAdded => 409,
            Self::SendingPaused | Self::ChallengeRequired { .. } => 403,
            Self::WrongCode { .. } => 401,
            Self::NoPendingLogin
            | Self::NoChannelLeft
            | Self::NumberBusy { .. }
            | Self::NumberSettling => 409,
            Self::TooManyAttempts | Self::CodeExpired => 410,
            Self::InvalidNumber(_) | Self::InvalidCode(_) | Self::DestinationNotSupported => 422,
            Self::Throttled { .. }
            | Self::TooManyRequests { .. }
            | Self::ResendTooSoon { .. }
            | Self::TooManyWrongCodes { .. }
            | Self::PasskeyLocked { .. } => 429,
            Self::ServiceUnavailable | Self::TemporarilyUnavailable => 503,
        }
    }

    /// Seconds an API client should wait before retrying (sent as `Retry-After`), for the
    /// errors that end with "try again later".
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::TooManyRequests { retry_after_secs }
            | Self::Throttled { retry_after_secs }
            | Self::ResendTooSoon { retry_after_secs }
            | Self::NumberBusy { retry_after_secs }
            | Self::TooManyWrongCodes { retry_after_secs }
            | Self::PasskeyLocked { retry_after_secs } => Some((*retry_after_secs).max(1)),
            Self::NumberSettling => Some(SETTLING_RETRY_SECS),
            _ => None,
        }
    }

    /// `true` when the pending login is over and the user must go back to the phone step.
    pub fn restarts_login(&self) -> bool {
        matches!(
            self,
            Self::TooManyAttempts
                | Self::CodeExpired
                | Self::NoPendingLogin
                | Self::TooManyWrongCodes { .. }
        )
    }
}

/// `Retry-After` for [`AuthError::NumberSettling`]: Vonage frees a cancelled number within
/// a few seconds.
pub const SETTLING_RETRY_SECS: u64 = 5;

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Logs and API clients read English; pages use `message` in the visitor's language.
        f.write_str(&self.message(crate::i18n::Locale::en))
    }
}

impl std::error::Error for AuthError {}

impl FromServerFnError for AuthError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_) => Self::BadRequest,
            // Network failures between browser and server, and anything unexpected.
            _ => Self::ServiceUnavailable,
        }
    }
}

mod text;

#[cfg(test)]
mod tests;
