//! The delivery sequence both Vonage clients ask for explicitly, so Vonage never runs a
//! default workflow the app does not announce: a message at the start (SMS; with v2 also
//! WhatsApp or RCS), then at most one more channel (a call, or a text after WhatsApp or RCS),
//! moved to by Vonage itself after `next_after` unless the code was checked or the app asked
//! for it earlier ("Call me instead", "Text me instead").

use app_core::auth::server::verify_port::DeliveryPlan;
use app_core::auth::Channel;
use std::time::Duration;

/// Verify v1 preset workflow "SMS → TTS" (one call after the SMS).
const V1_SMS_THEN_CALL: &str = "5";
/// Verify v1 preset workflow "SMS only".
const V1_SMS_ONLY: &str = "6";

/// What a Vonage request delivers and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VonageDelivery {
    /// The first code's channel (`VONAGE_WORKFLOW`'s first), unless the person picks
    /// [`Self::alternative`].
    pub first: Channel,
    /// The other first channel offered (text message beside WhatsApp).
    pub alternative: Option<Channel>,
    /// The channel after the first code: a call (v1 workflow 5), or a text message after
    /// WhatsApp or RCS; `None`: the first code only (v1 workflow 6).
    pub next: Option<Channel>,
    /// When Vonage moves to [`Self::next`] by itself: v1 `next_event_wait`, v2
    /// `channel_timeout`. Setting `AUTO_CALL_AFTER` (default 150 s).
    pub next_after: Duration,
    /// The login's lifetime (`LOGIN_TTL`): v1 `pin_expiry`; v2 with one channel only,
    /// `channel_timeout`.
    pub lifetime: Duration,
    /// `VONAGE_WHATSAPP_FROM`: the WhatsApp Business number (digits) a WhatsApp code comes
    /// from; required when a channel is WhatsApp.
    pub whatsapp_from: Option<String>,
    /// `VONAGE_RCS_FROM`: the RCS agent id, when not the account's default agent.
    pub rcs_from: Option<String>,
    /// Silent authentication first (v2 `silent_auth`), one `next_after` step before the first
    /// code.
    pub silent: bool,
}

impl Default for VonageDelivery {
    /// SMS, then a call after 150 s, for a 300 s login.
    fn default() -> Self {
        Self {
            first: Channel::Sms,
            alternative: None,
            next: Some(Channel::Voice),
            next_after: Duration::from_secs(150),
            lifetime: Duration::from_secs(300),
            whatsapp_from: None,
            rcs_from: None,
            silent: false,
        }
    }
}

impl VonageDelivery {
    /// What the login announces.
    pub fn plan(&self) -> DeliveryPlan {
        DeliveryPlan {
            first: self.first,
            alternative: self.alternative,
            next: self.next,
            auto_next_after: (self.next.is_some() || self.silent).then_some(self.next_after),
            silent_first: self.silent,
        }
    }

    /// The v2 `workflow` for a first code on `first`: that channel, then [`Self::next`].
    /// `from` is the WhatsApp sender or the RCS agent.
    pub(crate) fn v2_workflow(&self, first: Channel) -> Vec<(Channel, Option<&str>)> {
        std::iter::once(first)
            .chain(self.next)
            .map(|channel| {
                let from = match channel {
                    Channel::WhatsApp => self.whatsapp_from.as_deref(),
                    Channel::Rcs => self.rcs_from.as_deref(),
                    Channel::Sms | Channel::Voice => None,
                };
                (channel, from)
            })
            .collect()
    }

    /// The v1 start fields `workflow_id`, `pin_expiry` and (with a call) `next_event_wait`.
    /// `pin_expiry` must be a multiple of `next_event_wait` (configuration checks it), so
    /// one PIN serves the SMS and the call.
    pub(crate) fn v1_fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![("pin_expiry", self.lifetime.as_secs().to_string())];
        if self.next.is_some() {
            fields.push(("workflow_id", V1_SMS_THEN_CALL.to_owned()));
            fields.push(("next_event_wait", self.next_after.as_secs().to_string()));
        } else {
            fields.push(("workflow_id", V1_SMS_ONLY.to_owned()));
        }
        fields
    }

    /// The v2 `channel_timeout`: the wait before the next channel, or the whole lifetime
    /// when the first code is the only one.
    pub(crate) fn v2_channel_timeout(&self) -> u64 {
        if self.next.is_some() || self.silent {
            self.next_after.as_secs()
        } else {
            self.lifetime.as_secs()
        }
    }

    /// How long a v2 request (and its code) lives: every channel's timeout in turn.
    pub fn v2_code_lifetime(&self) -> Duration {
        let channels = 1 + u64::from(self.next.is_some()) + u64::from(self.silent);
        Duration::from_secs(self.v2_channel_timeout() * channels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_one_pin_for_the_sms_and_the_call() {
        let delivery = VonageDelivery::default();
        let fields = delivery.v1_fields();
        assert!(fields.contains(&("workflow_id", "5".to_owned())));
        assert!(fields.contains(&("pin_expiry", "300".to_owned())));
        assert!(fields.contains(&("next_event_wait", "150".to_owned())));
        assert_eq!(delivery.v2_channel_timeout(), 150);
        assert_eq!(delivery.v2_code_lifetime(), Duration::from_secs(300));
        assert_eq!(
            delivery.plan().auto_next_after,
            Some(Duration::from_secs(150))
        );
    }

    #[test]
    fn sms_only_never_calls() {
        let delivery = VonageDelivery {
            next: None,
            ..VonageDelivery::default()
        };
        assert!(delivery
            .v1_fields()
            .contains(&("workflow_id", "6".to_owned())));
        assert!(!delivery
            .v1_fields()
            .iter()
            .any(|(k, _)| *k == "next_event_wait"));
        assert_eq!(delivery.v2_channel_timeout(), 300);
        assert_eq!(delivery.plan().auto_next_after, None);
        assert_eq!(delivery.plan().next, None);
    }
}
