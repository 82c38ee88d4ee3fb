//! What the browser may know about the login: the step to render, never the provider's id.

use super::AuthError;
use serde::{Deserialize, Serialize};

/// How a code reaches the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    /// Text message.
    Sms,
    /// Phone call reading the code.
    Voice,
    /// WhatsApp message.
    WhatsApp,
    /// RCS message (the provider falls back to the next channel where the phone cannot
    /// receive RCS).
    Rcs,
}

impl Channel {
    /// The lower-case name used in settings, forms, cookies, logs and metrics: `sms`,
    /// `voice`, `whatsapp`, `rcs`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Voice => "voice",
            Self::WhatsApp => "whatsapp",
            Self::Rcs => "rcs",
        }
    }

    /// Reads [`Self::as_str`]'s names back; anything else is `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Sms, Self::Voice, Self::WhatsApp, Self::Rcs]
            .into_iter()
            .find(|channel| channel.as_str() == raw)
    }
}

/// The first channels a person may choose between on the phone step (text message or
/// WhatsApp, when the deployment sends both), and the one preselected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelChoice {
    /// The channels offered, in the order shown.
    pub options: Vec<Channel>,
    /// The one preselected: this browser's last choice, else the deployment's first.
    pub chosen: Channel,
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
    /// The channel the first code went out on.
    #[serde(default = "sms")]
    pub first_channel: Channel,
    /// Seconds until "Send again" may be used (0: now).
    pub resend_in_secs: u64,
    /// Whether a further channel is left for "Send again".
    pub can_resend: bool,
    /// The channel "Send again" moves to (a call, or a text message after WhatsApp or RCS);
    /// `None` when there is none.
    #[serde(default)]
    pub next_channel: Option<Channel>,
    /// Seconds until the provider moves to [`Self::next_channel`] by itself if the code has
    /// not been typed; `None` when it will not.
    pub call_in_secs: Option<u64>,
    /// Seconds until the code expires.
    pub expires_in_secs: u64,
    /// Silent authentication under way: no code sent yet.
    #[serde(default)]
    pub silent: Option<SilentView>,
}

/// How a silent authentication result ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SilentOutcome {
    /// Signed in: where to go next.
    SignedIn(String),
    /// The login goes on with a code: the note to show on the code step.
    CodeSent(String),
}

/// Silent authentication under way: the mobile network is asked to confirm the number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SilentView {
    /// The address the browser opens (over the phone's mobile data) to be confirmed.
    pub check_url: String,
    /// Seconds until the provider gives up and sends the first code by itself.
    pub code_in_secs: u64,
}

fn sms() -> Channel {
    Channel::Sms
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
    /// The first channels the phone step offers, when there is a choice.
    #[serde(default)]
    pub channel_choice: Option<ChannelChoice>,
}
