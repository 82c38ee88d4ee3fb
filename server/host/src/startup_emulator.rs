//! The client the app talks to the in-process emulator with (`EMULATOR_API`), and what that
//! API promises: how long its codes live and how many wrong codes it takes.

use super::{StartupError, TWILIO_CODE_TTL, TWILIO_WRONG_CODE_BUDGET, VONAGE_WRONG_CODE_BUDGET};
use crate::config::{Config, EmulatorApi, EmulatorSettings};
use crate::verify::{
    ProviderHealth, Timed, TwilioClient, TwilioSettings, VonageLegacyClient, VonageSettings,
    VonageV2Client,
};
use app_core::auth::server::verify_port::VerifyProvider;
use std::sync::Arc;
use std::time::Duration;

/// The Verify service SID the Twilio client names to the emulator (any `VA…` is accepted).
const TWILIO_SERVICE_SID: &str = "VAemulator";

/// The client for `emulator.api`, pointed at the emulator listening at `base` with its
/// credentials (`EMULATOR_API_KEY` / `EMULATOR_API_SECRET`; Twilio's Account SID and Auth
/// Token), behind [`Timed`].
pub(super) fn client(
    emulator: &EmulatorSettings,
    base: &url::Url,
    config: &Config,
    health: &ProviderHealth,
) -> Result<Arc<dyn VerifyProvider>, StartupError> {
    let failed = |e: crate::verify::ClientBuildError| StartupError::Provider(e.to_string());
    let vonage = || {
        VonageSettings::new(emulator.api_key.clone(), emulator.api_secret.clone())
            .with_base_url(base.clone())
            .with_timeouts(config.connect_timeout, config.timeout)
            .with_delivery(config.delivery)
    };
    Ok(match emulator.api {
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
                emulator.api_key.clone(),
                emulator.api_secret.clone(),
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
