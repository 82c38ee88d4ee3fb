//! Where and how the Twilio client reaches a Twilio-compatible Verify API.

use super::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
use app_core::auth::server::verify_port::{Channel, DeliveryPlan};
use secrecy::SecretString;
use std::time::Duration;
use url::Url;

/// How to reach a Twilio-compatible Verify API.
///
/// `Debug` prints `auth_token` as `[REDACTED]`.
#[derive(Clone, Debug)]
pub struct TwilioSettings {
    /// Scheme, host and optional path prefix (`https://verify.twilio.com` for the real API);
    /// `/v2/Services/…` is appended to it.
    pub base_url: Url,
    /// The account's `AC…` sid (the Basic auth user name; not secret).
    pub account_sid: String,
    /// The account's Auth Token (the Basic auth password).
    pub auth_token: SecretString,
    /// The Verify service's `VA…` sid.
    pub service_sid: String,
    /// Limit for establishing the connection. Default 2 s.
    pub connect_timeout: Duration,
    /// Limit for a whole request. Default 10 s.
    pub timeout: Duration,
    /// What the login sends (`TWILIO_CHANNELS`): a text (or WhatsApp, or the choice of
    /// both), then a call or a text on request. Default: a text, then a call on request.
    pub plan: DeliveryPlan,
}

impl TwilioSettings {
    /// Settings for `base_url` with the default timeouts.
    pub fn new(
        base_url: Url,
        account_sid: impl Into<String>,
        auth_token: SecretString,
        service_sid: impl Into<String>,
    ) -> Self {
        Self {
            base_url,
            account_sid: account_sid.into(),
            auth_token,
            service_sid: service_sid.into(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            plan: DeliveryPlan::SMS_THEN_CALL_ON_REQUEST,
        }
    }

    /// The same settings sending `first` (or the person's choice of `alternative`) and then
    /// `next` on request: Twilio never moves to another channel by itself.
    pub fn with_channels(
        mut self,
        first: Channel,
        alternative: Option<Channel>,
        next: Option<Channel>,
    ) -> Self {
        self.plan = DeliveryPlan {
            first,
            alternative,
            next,
            auto_next_after: None,
            silent_first: false,
        };
        self
    }

    /// The same settings with other connect and total timeouts.
    pub fn with_timeouts(mut self, connect_timeout: Duration, timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self.timeout = timeout;
        self
    }
}
