//! The delivery sequence both Vonage clients ask for explicitly, so Vonage never runs a
//! default workflow the app does not announce: an SMS at the start, then (when calls are on)
//! one voice call, made by Vonage itself after `call_after` unless the code was checked or
//! the app asked for the call earlier ("Call me instead").

use app_core::auth::server::verify_port::DeliveryPlan;
use std::time::Duration;

/// Verify v1 preset workflow "SMS → TTS" (one call after the SMS).
const V1_SMS_THEN_CALL: &str = "5";
/// Verify v1 preset workflow "SMS only".
const V1_SMS_ONLY: &str = "6";

/// What a Vonage request delivers and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VonageDelivery {
    /// A voice call follows the SMS (v2 workflow `[sms, voice]`, v1 workflow 5); else SMS
    /// only (v2 `[sms]`, v1 workflow 6). Setting `VONAGE_WORKFLOW` (`sms,voice` or `sms`).
    pub call: bool,
    /// When Vonage moves to the call by itself: v1 `next_event_wait`, v2 `channel_timeout`.
    /// Setting `AUTO_CALL_AFTER` (default 150 s).
    pub call_after: Duration,
    /// The login's lifetime (`LOGIN_TTL`): v1 `pin_expiry`; v2 with SMS only,
    /// `channel_timeout`.
    pub lifetime: Duration,
}

impl Default for VonageDelivery {
    /// SMS, then a call after 150 s, for a 300 s login.
    fn default() -> Self {
        Self {
            call: true,
            call_after: Duration::from_secs(150),
            lifetime: Duration::from_secs(300),
        }
    }
}

impl VonageDelivery {
    /// What the login announces.
    pub fn plan(&self) -> DeliveryPlan {
        DeliveryPlan {
            call_available: self.call,
            auto_call_after: self.call.then_some(self.call_after),
        }
    }

    /// The v1 start fields `workflow_id`, `pin_expiry` and (with a call) `next_event_wait`.
    /// `pin_expiry` must be a multiple of `next_event_wait` (configuration checks it), so
    /// one PIN serves the SMS and the call.
    pub(crate) fn v1_fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![("pin_expiry", self.lifetime.as_secs().to_string())];
        if self.call {
            fields.push(("workflow_id", V1_SMS_THEN_CALL.to_owned()));
            fields.push(("next_event_wait", self.call_after.as_secs().to_string()));
        } else {
            fields.push(("workflow_id", V1_SMS_ONLY.to_owned()));
        }
        fields
    }

    /// The v2 `channel_timeout`: the wait before the call, or the whole lifetime when the
    /// SMS is the only channel.
    pub(crate) fn v2_channel_timeout(&self) -> u64 {
        if self.call {
            self.call_after.as_secs()
        } else {
            self.lifetime.as_secs()
        }
    }

    /// How long a v2 request (and its code) lives: every channel's timeout in turn.
    pub fn v2_code_lifetime(&self) -> Duration {
        let channels = if self.call { 2 } else { 1 };
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
            delivery.plan().auto_call_after,
            Some(Duration::from_secs(150))
        );
    }

    #[test]
    fn sms_only_never_calls() {
        let delivery = VonageDelivery {
            call: false,
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
        assert_eq!(delivery.plan().auto_call_after, None);
        assert!(!delivery.plan().call_available);
    }
}
