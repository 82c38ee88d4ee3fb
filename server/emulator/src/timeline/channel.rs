//! What a request's steps are made of: the vendor API it was started on and each step's
//! channel.

/// Which vendor API a request was started on; decides its id shape and its rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Api {
    /// Verify v2: UUID ids, one code for the whole request, cancel at any time.
    V2,
    /// Verify v1: 32-hex ids, a PIN that can expire and be replaced, the v1 cancel rules.
    V1,
}

impl Api {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::V2 => "v2",
            Self::V1 => "v1",
        }
    }
}

/// A workflow step's channel. SMS and voice reach every number; WhatsApp, RCS and silent
/// authentication reach a number unless the reachability settings say otherwise
/// ([`crate::reachability`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Channel {
    Sms,
    Voice,
    WhatsApp,
    Rcs,
    /// v2 only, first step only: nothing is sent; the device opens the start's `check_url`.
    SilentAuth,
}

impl Channel {
    /// The v2 `workflow[].channel` name, also the outbox's `channel`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Voice => "voice",
            Self::WhatsApp => "whatsapp",
            Self::Rcs => "rcs",
            Self::SilentAuth => "silent_auth",
        }
    }
}
