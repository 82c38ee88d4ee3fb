//! The client the app talks to the in-process emulator with (`EMULATOR_API`), and what that
//! API promises: how long its codes live and how many wrong codes it takes.

use super::{StartupError, TWILIO_CODE_TTL, TWILIO_WRONG_CODE_BUDGET, VONAGE_WRONG_CODE_BUDGET};
use crate::config::{Config, EmulatorApi};
use crate::verify::{
    ProviderHealth, Timed, TwilioClient, TwilioSettings, VonageLegacyClient, VonageSettings,
    VonageV2Client,
};
use app_core::auth::server::verify_port::VerifyProvider;
use secrecy::SecretString;
use std::sync::Arc;
use std::time::Duration;

/// Credentials sent to the emulator, which checks their presence only.
const KEY: &str = "emulator";
/// The Account SID the Twilio client sends to the emulator.
const TWILIO_ACCOUNT_SID: &str = "ACemulator";
/// The Verify service SID the Twilio client names to the emulator (any `VA…` is accepted).
const TWILIO_SERVICE_SID: &str = "VAemulator";

/// The client for `api`, pointed at the emulator listening at `base`, behind [`Timed`].
pub(super) fn client(
    api: EmulatorApi,
    base: &url::Url,
    config: &Config,
    health: &ProviderHealth,
) -> Result<Arc<dyn VerifyProvider>, StartupError> {
    let failed = |e: crate::verify::ClientBuildError| StartupError::Provider(e.to_string());
    let vonage = || {
        VonageSettings::new(KEY, SecretString::from(KEY))
            .with_base_url(base.clone())
            .with_timeouts(config.connect_timeout, config.timeout)
            .with_delivery(config.delivery)
    };
    Ok(match api {
        EmulatorApi::Vonage => Arc::new(Timed::new(
            VonageV2Client::new(vonage()).map_err(failed)?,
            health.clone(),
        )),
        EmulatorApi::VonageLegacy => Arc::new(Timed::new(
            VonageLegacyClient::new(vonage()).map_err(failed)?,
            health.clone(),
        )),
        EmulatorApi::Twilio => {
            let settings = TwilioSettings::new(
                base.clone(),
                TWILIO_ACCOUNT_SID,
                SecretString::from(KEY),
                TWILIO_SERVICE_SID,
            )
            .with_timeouts(config.connect_timeout, config.timeout);
            Arc::new(Timed::new(
                TwilioClient::new(settings).map_err(failed)?,
                health.clone(),
            ))
        }
    })
}

/// How long a code from the emulator lives through `api`: the emulator's `code_ttl`, cut to
/// what the client asks for (Vonage) or to Twilio's fixed 10 minutes.
pub(super) fn code_ttl(api: EmulatorApi, code_ttl: Duration, config: &Config) -> Duration {
    let asked = match api {
        EmulatorApi::Vonage => config.delivery.v2_code_lifetime(),
        EmulatorApi::VonageLegacy => config.delivery.lifetime,
        EmulatorApi::Twilio => TWILIO_CODE_TTL,
    };
    code_ttl.min(asked)
}

/// Wrong codes the emulator accepts per verification through `api`.
pub(super) fn wrong_code_budget(api: EmulatorApi) -> u32 {
    match api {
        EmulatorApi::Vonage | EmulatorApi::VonageLegacy => VONAGE_WRONG_CODE_BUDGET,
        EmulatorApi::Twilio => TWILIO_WRONG_CODE_BUDGET,
    }
}
