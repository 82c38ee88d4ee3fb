//! One provider contract suite: the same login journeys ([`journeys`]) run against every
//! Verify adapter, each through two backends: the development emulator ([`emulator_upstream`])
//! and an HTTP fake per vendor answering the vendor's *documented* bodies ([`vonage_v2_fake`],
//! [`vonage_v1_fake`], [`twilio_fake`]). Every journey asserts domain outcomes only
//! (`Started`, `CheckFailure::WrongCode`, …), so a new adapter proves itself by getting a
//! target here and passing every journey; the language journeys also check the locale the
//! vendor received, in its spelling ([`Vendor::sent_locales`]). Test names read
//! `<adapter>_on_<backend>::<journey>`.

mod channels;
mod emulator_upstream;
mod journeys;
mod twilio_fake;
mod vonage_v1_fake;
mod vonage_v2_fake;

use app_core::auth::server::verify_port::VerifyProvider;
use app_core::domain::Pin;
use async_trait::async_trait;
use std::time::Duration;

/// Every contract client's connect and total timeout: loopback answers in milliseconds.
pub(super) const CLIENT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a stalled upstream holds a request: well past [`CLIENT_TIMEOUT`].
pub(super) const STALL: Duration = Duration::from_secs(6);

/// Which vendor API an adapter speaks; it decides the numbers the vendor documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Vendor {
    /// Vonage Verify v2 (`VonageV2Client`).
    VonageV2,
    /// Vonage Verify v1 (`VonageLegacyClient`).
    VonageV1,
    /// Twilio Verify v2 (`TwilioClient`).
    Twilio,
}

impl Vendor {
    /// Resends that succeed before the vendor says nothing is left: Vonage runs the adapters'
    /// two-channel sequence (SMS, then voice), so one move; Twilio allows 5 sends per
    /// verification (the start plus 4 resends), then 60203.
    pub(super) fn resends(self) -> usize {
        match self {
            Self::VonageV2 | Self::VonageV1 => 1,
            Self::Twilio => 4,
        }
    }

    /// The wrong code that uses up the budget: Vonage's 3rd (v1 documents 3 per PIN; v2's is
    /// undocumented and the emulator assumes 3), Twilio's 5th check (60202).
    pub(super) fn wrong_code_budget(self) -> usize {
        match self {
            Self::VonageV2 | Self::VonageV1 => 3,
            Self::Twilio => 5,
        }
    }

    /// Whether a start for a number with a live request says it resumed it: Vonage answers
    /// v2 409 / v1 "10" with the live id; Twilio silently reuses the pending verification.
    pub(super) fn reports_resume(self) -> bool {
        self != Self::Twilio
    }

    /// What the vendor is sent for a start whose language choices are `es-es`, `en-gb`
    /// (Spanish, then the fallback) and for `ar-xa`, `en-gb` (Arabic, then the fallback):
    /// Vonage v2 lacks Arabic so it takes the next choice; v1 has `ar-xa`; Twilio spells
    /// them `es` and `ar`.
    pub(super) fn sent_locales(self) -> (&'static str, &'static str) {
        match self {
            Self::VonageV2 => ("es-es", "en-gb"),
            Self::VonageV1 => ("es-es", "ar-xa"),
            Self::Twilio => ("es", "ar"),
        }
    }

    /// Only Vonage v1 refuses a cancel within 30 s of the start (status 19).
    pub(super) fn refuses_early_cancel(self) -> bool {
        self == Self::VonageV1
    }
}

/// What the upstream will answer next, in vendor-neutral words. The emulator reaches the
/// business states by itself and only needs arranging for faults and time; a fake mounts the
/// vendor's documented answer for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Situation {
    /// A start is accepted: a new request, the code sent by SMS.
    Fresh,
    /// A start meets the number's live request and hands it back.
    Resumes,
    /// The right code is accepted.
    Accepts,
    /// The code is wrong; tries are left.
    WrongCode,
    /// The wrong code that uses up the budget; the request is dead.
    Exhausted,
    /// The request is unknown, used, cancelled or expired.
    Gone,
    /// A move to the next channel (or a resend) is accepted.
    NextChannel,
    /// No channel (no send) is left.
    NothingLeft,
    /// A cancel right after the start is refused as too soon (Vonage v1 only).
    CancelTooSoon,
    /// A cancel is accepted (for Vonage v1: the first 30 s have passed).
    Cancellable,
    /// Every call is throttled.
    Throttled,
    /// Every call fails with a server error.
    Unavailable,
    /// Every call is held past the client's timeout.
    Stalled,
}

/// One adapter in front of one backend.
#[async_trait]
pub(super) trait Upstream: Send + Sync {
    /// The adapter under test.
    fn provider(&self) -> &dyn VerifyProvider;
    /// The vendor the adapter speaks.
    fn vendor(&self) -> Vendor;
    /// Makes the upstream answer the next calls as `situation` says.
    async fn arrange(&self, situation: Situation);
    /// The code the user received last.
    async fn code(&self) -> Pin;
    /// Lets the live request run out.
    async fn expire(&self);
    /// The message language the last start asked for, as the upstream received it (v2
    /// `locale`, v1 `lg`, Twilio `Locale`); `None` when it asked for none.
    async fn sent_locale(&self) -> Option<String>;
}

/// Field `name` of the last request a fake received on `route`: a JSON body's string field,
/// else a form field.
pub(super) async fn last_field(
    server: &wiremock::MockServer,
    route: &str,
    name: &str,
) -> Option<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    let last = requests.iter().rev().find(|r| r.url.path() == route)?;
    match serde_json::from_slice::<serde_json::Value>(&last.body) {
        Ok(json) => json.get(name).and_then(|v| v.as_str()).map(str::to_owned),
        Err(_) => url::form_urlencoded::parse(&last.body)
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned()),
    }
}

/// One test per journey for one (adapter, backend) target, in a module named after both.
macro_rules! contract_target {
    ($target:ident, $upstream:expr) => {
        mod $target {
            use super::*;
            contract_target!(@journeys $upstream;
                start_is_fresh,
                second_start_resumes_the_live_request,
                wrong_code_then_right_code,
                right_code_once_then_not_found,
                resend_keeps_the_code_until_nothing_is_left,
                cancel_then_check_is_not_found,
                cancel_right_after_start,
                expired_request_is_not_found,
                last_wrong_code_exhausts_the_request,
                spanish_start_asks_for_spanish,
                arabic_start_asks_for_arabic_or_the_next_choice,
                throttled_everywhere_then_recovers,
                unavailable_everywhere_then_recovers,
                stalled_upstream_times_out_then_recovers);
        }
    };
    (@journeys $upstream:expr; $($journey:ident),+) => {
        $(
            #[tokio::test]
            async fn $journey() {
                let upstream = $upstream.await;
                super::journeys::$journey(&upstream).await;
            }
        )+
    };
}

use emulator_upstream::EmulatorUpstream;

contract_target!(
    vonage_v2_on_emulator,
    EmulatorUpstream::new(Vendor::VonageV2)
);
contract_target!(
    vonage_v1_on_emulator,
    EmulatorUpstream::new(Vendor::VonageV1)
);
contract_target!(twilio_on_emulator, EmulatorUpstream::new(Vendor::Twilio));
contract_target!(vonage_v2_on_fake, vonage_v2_fake::VonageV2Fake::new());
// Vonage v2 authenticating as an application (Bearer JWTs, no key and secret).
contract_target!(
    vonage_v2_jwt_on_emulator,
    EmulatorUpstream::with_application()
);
contract_target!(
    vonage_v2_jwt_on_fake,
    vonage_v2_fake::VonageV2Fake::with_application()
);
contract_target!(vonage_v1_on_fake, vonage_v1_fake::VonageV1Fake::new());
contract_target!(twilio_on_fake, twilio_fake::TwilioFake::new());

/// The emulator writes a start's messages in the language it asked for, whichever API.
mod emulator_writes_the_asked_language {
    use super::*;

    #[tokio::test]
    async fn vonage_v2() {
        let upstream = EmulatorUpstream::new(Vendor::VonageV2).await;
        emulator_upstream::spanish_start_is_written_in_spanish(&upstream).await;
    }

    #[tokio::test]
    async fn vonage_v1() {
        let upstream = EmulatorUpstream::new(Vendor::VonageV1).await;
        emulator_upstream::spanish_start_is_written_in_spanish(&upstream).await;
    }

    #[tokio::test]
    async fn twilio() {
        let upstream = EmulatorUpstream::new(Vendor::Twilio).await;
        emulator_upstream::spanish_start_is_written_in_spanish(&upstream).await;
    }
}
