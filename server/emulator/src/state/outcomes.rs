//! What the rules' operations take and answer: a validated start request and the outcome of
//! each operation.

pub(crate) use crate::timeline::CheckUrlOutcome;
use crate::timeline::{Api, Channel, Plan, SilentAuth};

/// A validated start request.
#[derive(Clone, Debug)]
pub(crate) struct NewRequest<'a> {
    /// E.164 digits without `+`.
    pub to: &'a str,
    pub brand: &'a str,
    pub code_length: usize,
    pub plan: Plan,
    pub api: Api,
    /// The locale asked for (v2 `locale`, v1 `lg`), as sent.
    pub locale: Option<&'a str>,
    /// v2: the `check_url` token and `redirect_url` of a first, silent-authentication step.
    pub silent_auth: Option<SilentAuth>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StartOutcome {
    Started {
        request_id: String,
    },
    /// The number has a live request, or one cancelled less than `cancel_settle` ago; its id.
    Concurrent {
        request_id: String,
    },
    /// [`MAX_LIVE_REQUESTS`](super::MAX_LIVE_REQUESTS) reached.
    Busy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CheckOutcome {
    /// Right code; the request is gone.
    Verified,
    /// Wrong (or expired v1) code; the request lives on.
    WrongCode,
    /// Wrong code that used up the budget; the request is gone.
    TooManyAttempts,
    /// The current step is silent authentication waiting for the device: no code yet (v2
    /// 409 no-code); nothing counted.
    NoCode,
    /// Unknown, expired, verified, cancelled or terminated.
    NotFound,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NextOutcome {
    /// Made the next event now, on this channel.
    Sent(Channel),
    /// The request is on the last event of its plan; nothing changed.
    NothingLeft,
    /// Unknown, expired, verified, cancelled or terminated.
    NotFound,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CancelOutcome {
    /// The request is gone (v2: its number settles for `cancel_settle`, v1: free now).
    Cancelled,
    /// v1 only: less than [`LEGACY_CANCEL_GRACE`](super::LEGACY_CANCEL_GRACE) since the start; the request lives on.
    TooSoon,
    /// v1 only: the second event was already made; the request lives on.
    TooLate,
    /// Unknown, expired, verified, cancelled or terminated.
    NotFound,
}
