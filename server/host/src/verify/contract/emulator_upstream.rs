//! The contract's emulator backend: a real [`Emulator`] on an ephemeral loopback port with a
//! [`ManualClock`], and the adapter built against it with the emulator's own credentials.
//! Business states (wrong codes, budgets, resends, cancels) are the emulator's own rules, so
//! arranging them changes nothing; faults come from [`Emulator::set_fault`] and expiry from
//! the clock. Passing here proves the adapter and the emulator agree.

use super::{journeys, Situation, Upstream, Vendor, CLIENT_TIMEOUT, STALL};
use crate::emulator::{
    ApplicationAuth, Emulator, EmulatorConfig, Fault, FaultSetting, OutboxMessage, PublicKey,
};
use crate::verify::test_support::{application, number, APP_ID, APP_PUBLIC_PEM};
use crate::verify::{
    TwilioClient, TwilioSettings, VonageLegacyClient, VonageSettings, VonageV2Client,
};
use app_core::auth::server::verify_port::VerifyProvider;
use app_core::clock::ManualClock;
use app_core::domain::Pin;
use async_trait::async_trait;
use secrecy::SecretString;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Any `VA…` sid: the emulator serves every service.
const SERVICE: &str = "VAcontract00000000000000000000000";
/// Past every vendor's lifetime (Vonage 300 s with the adapters' sequence, Twilio 10 min).
const PAST_EXPIRY: Duration = Duration::from_secs(3600);
/// Vonage v1 refuses cancels within 30 s of the start.
const V1_CANCEL_WINDOW: Duration = Duration::from_secs(30);

/// One adapter in front of its own emulator.
pub(super) struct EmulatorUpstream {
    emulator: Emulator,
    clock: ManualClock,
    vendor: Vendor,
    provider: Box<dyn VerifyProvider>,
}

impl EmulatorUpstream {
    /// Serves a fresh emulator and builds `vendor`'s adapter against it.
    pub(super) async fn new(vendor: Vendor) -> Self {
        Self::serve(vendor, EmulatorConfig::default(), |settings, _| settings).await
    }

    /// Vonage v2 authenticating as the test application: the emulator accepts its JWTs
    /// (`EMULATOR_APPLICATION_ID` and its public key), and the client knows no key and
    /// secret the emulator accepts, so Basic would fail.
    pub(super) async fn with_application() -> Self {
        let config = EmulatorConfig {
            application: Some(ApplicationAuth {
                application_id: APP_ID.to_owned(),
                public_key: Some(
                    PublicKey::from_pem(APP_PUBLIC_PEM.as_bytes()).expect("test public key"),
                ),
            }),
            api_secret: "not-the-clients-secret".to_owned(),
            ..EmulatorConfig::default()
        };
        // Tokens dated by the emulator's clock, which the journeys move past expiry.
        Self::serve(Vendor::VonageV2, config, |settings, clock| {
            settings.with_application(application().with_clock(Arc::new(clock.clone())))
        })
        .await
    }

    /// Serves an emulator with `config` and builds `vendor`'s adapter against it, its Vonage
    /// settings passed through `vonage_settings`.
    async fn serve(
        vendor: Vendor,
        config: EmulatorConfig,
        vonage_settings: impl Fn(VonageSettings, &ManualClock) -> VonageSettings,
    ) -> Self {
        let clock = ManualClock::new();
        let (key, secret) = (
            EmulatorConfig::default().api_key,
            EmulatorConfig::default().api_secret,
        );
        let emulator = Emulator::new(config, Arc::new(clock.clone()));
        let addr = emulator
            .serve(([127, 0, 0, 1], 0).into(), |dev| dev)
            .await
            .expect("bind the emulator");
        let base = Url::parse(&format!("http://{addr}")).expect("emulator URL");
        let vonage = || {
            let settings = VonageSettings::new(key.clone(), SecretString::from(secret.clone()))
                .with_base_url(base.clone())
                .with_timeouts(CLIENT_TIMEOUT, CLIENT_TIMEOUT);
            vonage_settings(settings, &clock)
        };
        let provider: Box<dyn VerifyProvider> = match vendor {
            Vendor::VonageV2 => Box::new(VonageV2Client::new(vonage()).expect("v2 client")),
            Vendor::VonageV1 => Box::new(VonageLegacyClient::new(vonage()).expect("v1 client")),
            Vendor::Twilio => {
                // The emulator takes its key and secret as AccountSid and AuthToken.
                let settings = TwilioSettings::new(base, key, SecretString::from(secret), SERVICE)
                    .with_timeouts(CLIENT_TIMEOUT, CLIENT_TIMEOUT);
                Box::new(TwilioClient::new(settings).expect("Twilio client"))
            }
        };
        Self {
            emulator,
            clock,
            vendor,
            provider,
        }
    }

    /// The newest message to the contract's number.
    pub(super) fn last_message(&self) -> OutboxMessage {
        let to = number().e164().to_owned();
        self.emulator
            .messages()
            .into_iter()
            .find(|m| m.to == to)
            .expect("a message to the number")
    }

    fn fault(&self, fault: Fault) {
        let setting = FaultSetting::always(fault);
        self.emulator.set_fault(setting).expect("a valid fault");
    }
}

#[async_trait]
impl Upstream for EmulatorUpstream {
    fn provider(&self) -> &dyn VerifyProvider {
        self.provider.as_ref()
    }

    fn vendor(&self) -> Vendor {
        self.vendor
    }

    async fn arrange(&self, situation: Situation) {
        self.fault(Fault::None);
        match situation {
            Situation::Throttled => self.fault(match self.vendor {
                Vendor::VonageV2 => Fault::V2Problem {
                    status: 429,
                    parameter: None,
                },
                Vendor::VonageV1 => Fault::V1Status {
                    status: 1,
                    parameter: None,
                },
                // The emulator has no Twilio-specific faults; a bare 429 is the closest.
                Vendor::Twilio => Fault::Status { status: 429 },
            }),
            Situation::Unavailable => self.fault(Fault::Status { status: 503 }),
            Situation::Stalled => self.fault(Fault::Timeout {
                ms: STALL.as_millis() as u64,
            }),
            Situation::Cancellable if self.vendor.refuses_early_cancel() => {
                self.clock.advance(V1_CANCEL_WINDOW);
            }
            // The emulator's own rules produce every other situation.
            _ => {}
        }
    }

    async fn code(&self) -> Pin {
        Pin::parse(&self.last_message().code).expect("a well-formed code")
    }

    /// The outbox shows the locale each start asked for, as received.
    async fn sent_locale(&self) -> Option<String> {
        self.last_message().locale
    }

    async fn expire(&self) {
        self.fault(Fault::None);
        self.clock.advance(PAST_EXPIRY);
    }
}

/// The emulator's outbox shows a Spanish start's SMS in Spanish (emulator backends only).
pub(super) async fn spanish_start_is_written_in_spanish(upstream: &EmulatorUpstream) {
    upstream.arrange(Situation::Fresh).await;
    let started = upstream
        .provider()
        .start(&journeys::request_in("es-es"))
        .await;
    assert!(started.is_ok(), "{started:?}");
    let sms = upstream.last_message();
    assert_eq!(sms.channel, "sms");
    assert!(sms.text.starts_with("Tu código de "), "{}", sms.text);
    assert!(sms.text.contains(&sms.code), "{}", sms.text);
}
