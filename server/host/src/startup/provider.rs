//! The Verify provider from configuration: the vendor client (or the in-process emulator and
//! the client `EMULATOR_API` picks to talk to it), behind [`Timed`], and what it promises:
//! how long its codes live and how many wrong codes it takes.

use super::StartupError;
use crate::config::ProviderConfig;
use crate::config::{Config, EmulatorApi, EmulatorSettings};
use crate::emulator::{Emulator, EmulatorConfig};
use crate::verify::{
    ProviderHealth, Timed, TwilioClient, TwilioSettings, VonageApplication, VonageLegacyClient,
    VonageSettings, VonageV2Client,
};
use app_core::auth::server::verify_port::VerifyProvider;
use app_core::clock::Clock;
use secrecy::ExposeSecret;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Wrong codes Vonage accepts per code before terminating: v1 documents 3 per PIN; v2's
/// budget is undocumented, and the emulator assumes the same `max_wrong_codes`.
const VONAGE_WRONG_CODE_BUDGET: u32 = 3;
/// Checks Twilio Verify accepts per verification before answering 60202.
const TWILIO_WRONG_CODE_BUDGET: u32 = 5;
/// How long a Twilio Verify code lives (10 minutes by default).
const TWILIO_CODE_TTL: Duration = Duration::from_secs(600);
/// The Verify service SID the Twilio client names to the emulator (any `VA…` is accepted).
const TWILIO_SERVICE_SID: &str = "VAemulator";

/// The provider the site uses, and what comes with it.
pub(super) struct Chosen {
    /// The client, behind [`Timed`].
    pub provider: Arc<dyn VerifyProvider>,
    /// The in-process emulator, when it is the provider (already serving).
    pub emulator: Option<Emulator>,
    /// The provider's base URL, probed by `/readyz`.
    pub url: url::Url,
    /// Operator faults the client meets, for `/readyz`.
    pub health: ProviderHealth,
}

/// Builds the provider `config` names; with the emulator, first refuses a non-loopback
/// address (unless `EMULATOR_PUBLIC=yes`) and starts it on its own port.
pub(super) async fn choose(
    config: &Config,
    site_addr: SocketAddr,
    clock: Arc<dyn Clock>,
) -> Result<Chosen, StartupError> {
    if let ProviderConfig::Emulator(settings) = &config.provider {
        if !config.emulator_public {
            for addr in [site_addr, settings.addr] {
                if !addr.ip().is_loopback() {
                    return Err(StartupError::EmulatorOnPublicAddress {
                        place: addr.to_string(),
                    });
                }
            }
            if let Some(origin) = config.public_origin.as_deref().filter(|o| !is_local(o)) {
                return Err(StartupError::EmulatorOnPublicAddress {
                    place: origin.to_owned(),
                });
            }
        }
    }
    let health = ProviderHealth::default();
    let (provider, emulator, provider_url): (Arc<dyn VerifyProvider>, Option<Emulator>, url::Url) =
        match &config.provider {
            ProviderConfig::Emulator(settings) => {
                let emulator = Emulator::new(
                    EmulatorConfig {
                        code_ttl: settings.code_ttl,
                        max_wrong_codes: VONAGE_WRONG_CODE_BUDGET,
                        test_numbers: settings.test_numbers.clone(),
                        webotp_host: Some(site_addr.ip().to_string()),
                        api_key: settings.api_key.clone(),
                        api_secret: settings.api_secret.expose_secret().to_owned(),
                        cancel_settle: settings.cancel_settle,
                        application: settings.application.clone(),
                        no_rcs: settings.no_rcs.clone(),
                        no_whatsapp: settings.no_whatsapp.clone(),
                        silent_auth_fails: settings.silent_auth_fail.clone(),
                    },
                    clock.clone(),
                );
                let addr = emulator
                    .serve(settings.addr, crate::emulator::guard_dev)
                    .await
                    .map_err(|source| StartupError::Bind {
                        addr: settings.addr,
                        source,
                    })?;
                tracing::info!(%addr, "Verify emulator listening; codes appear at /dev/outbox");
                let base = url::Url::parse(&format!("http://{addr}"))
                    .map_err(|e| StartupError::Provider(e.to_string()))?;
                let client = emulator_client(settings, &base, config, &health, &clock)?;
                (client, Some(emulator), base)
            }
            ProviderConfig::Vonage(c) => {
                let settings = VonageSettings::new(c.api_key.clone(), c.api_secret.clone())
                    .with_base_url(c.base_url.clone())
                    .with_timeouts(config.connect_timeout, config.timeout)
                    .with_delivery(config.delivery.clone());
                let settings = signed_as(settings, c.application.as_ref(), &clock);
                (
                    timed(VonageV2Client::new(settings), &health)?,
                    None,
                    c.base_url.clone(),
                )
            }
            ProviderConfig::VonageLegacy(c) => {
                let settings = VonageSettings::new(c.api_key.clone(), c.api_secret.clone())
                    .with_base_url(c.base_url.clone())
                    .with_timeouts(config.connect_timeout, config.timeout)
                    .with_delivery(config.delivery.clone());
                (
                    timed(VonageLegacyClient::new(settings), &health)?,
                    None,
                    c.base_url.clone(),
                )
            }
            ProviderConfig::Twilio(c) => {
                let settings = TwilioSettings::new(
                    c.base_url.clone(),
                    c.account_sid.clone(),
                    c.auth_token.clone(),
                    c.service_sid.clone(),
                )
                .with_timeouts(config.connect_timeout, config.timeout)
                .with_channels(
                    config.twilio_channels.first,
                    config.twilio_channels.alternative,
                    config.twilio_channels.next,
                );
                let client = TwilioClient::new(settings)
                    .map_err(|e| StartupError::Provider(e.to_string()))?;
                (
                    Arc::new(Timed::new(client, health.clone())),
                    None,
                    c.base_url.clone(),
                )
            }
        };
    let api = if emulator.is_some() {
        "emulator"
    } else {
        provider.name()
    };
    tracing::info!(
        provider = api,
        client = provider.name(),
        "Verify provider selected"
    );

    Ok(Chosen {
        provider,
        emulator,
        url: provider_url,
        health,
    })
}

/// How long the provider keeps a code: the login never promises longer.
pub(super) fn code_ttl(config: &Config) -> Duration {
    match &config.provider {
        ProviderConfig::Emulator(settings) => {
            emulator_code_ttl(settings.api, settings.code_ttl, config)
        }
        ProviderConfig::Vonage(_) => config.delivery.v2_code_lifetime(),
        ProviderConfig::VonageLegacy(_) => config.delivery.lifetime,
        ProviderConfig::Twilio(_) => TWILIO_CODE_TTL,
    }
}

/// Wrong codes the provider accepts: the login never offers more.
pub(super) fn wrong_code_budget(config: &Config) -> u32 {
    match &config.provider {
        ProviderConfig::Emulator(settings) => emulator_wrong_code_budget(settings.api),
        ProviderConfig::Twilio(_) => TWILIO_WRONG_CODE_BUDGET,
        ProviderConfig::Vonage(_) | ProviderConfig::VonageLegacy(_) => VONAGE_WRONG_CODE_BUDGET,
    }
}

/// Wraps a freshly built client in [`Timed`], reporting to `health`.
fn timed<P: VerifyProvider>(
    client: Result<P, crate::verify::ClientBuildError>,
    health: &ProviderHealth,
) -> Result<Arc<dyn VerifyProvider>, StartupError> {
    let client = client.map_err(|e| StartupError::Provider(e.to_string()))?;
    Ok(Arc::new(Timed::new(client, health.clone())))
}

/// `settings` authenticating as `application` (`VONAGE_APPLICATION_ID`), if any, with tokens
/// dated by the site's injected clock (the one the in-process emulator checks them with).
fn signed_as(
    settings: VonageSettings,
    application: Option<&VonageApplication>,
    clock: &Arc<dyn Clock>,
) -> VonageSettings {
    match application {
        Some(application) => {
            settings.with_application(application.clone().with_clock(clock.clone()))
        }
        None => settings,
    }
}

/// The client for `emulator.api`, pointed at the emulator listening at `base` with its
/// credentials (`EMULATOR_API_KEY` / `EMULATOR_API_SECRET`, or v2 JWTs of the application
/// `VONAGE_APPLICATION_ID` names; Twilio's Account SID and Auth Token), behind [`Timed`].
fn emulator_client(
    emulator: &EmulatorSettings,
    base: &url::Url,
    config: &Config,
    health: &ProviderHealth,
    clock: &Arc<dyn Clock>,
) -> Result<Arc<dyn VerifyProvider>, StartupError> {
    let failed = |e: crate::verify::ClientBuildError| StartupError::Provider(e.to_string());
    let vonage = || {
        VonageSettings::new(emulator.api_key.clone(), emulator.api_secret.clone())
            .with_base_url(base.clone())
            .with_timeouts(config.connect_timeout, config.timeout)
            .with_delivery(config.delivery.clone())
    };
    Ok(match emulator.api {
        EmulatorApi::Vonage => Arc::new(Timed::new(
            VonageV2Client::new(signed_as(
                vonage(),
                emulator.vonage_application.as_ref(),
                clock,
            ))
            .map_err(failed)?,
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
            .with_timeouts(config.connect_timeout, config.timeout)
            .with_channels(
                config.twilio_channels.first,
                config.twilio_channels.alternative,
                config.twilio_channels.next,
            );
            Arc::new(Timed::new(
                TwilioClient::new(settings).map_err(failed)?,
                health.clone(),
            ))
        }
    })
}

/// How long a code from the emulator lives through `api`: the emulator's `code_ttl`, cut to
/// what the client asks for (Vonage) or to Twilio's fixed 10 minutes.
fn emulator_code_ttl(api: EmulatorApi, code_ttl: Duration, config: &Config) -> Duration {
    let asked = match api {
        EmulatorApi::Vonage => config.delivery.v2_code_lifetime(),
        EmulatorApi::VonageLegacy => config.delivery.lifetime,
        EmulatorApi::Twilio => TWILIO_CODE_TTL,
    };
    code_ttl.min(asked)
}

/// Wrong codes the emulator accepts per verification through `api`.
fn emulator_wrong_code_budget(api: EmulatorApi) -> u32 {
    match api {
        EmulatorApi::Vonage | EmulatorApi::VonageLegacy => VONAGE_WRONG_CODE_BUDGET,
        EmulatorApi::Twilio => TWILIO_WRONG_CODE_BUDGET,
    }
}

/// `true` for an origin on this machine (`http://localhost:3000`, `http://127.0.0.1`).
fn is_local(origin: &str) -> bool {
    url::Url::parse(origin)
        .ok()
        .and_then(|url| match url.host()? {
            url::Host::Domain(name) => Some(name.eq_ignore_ascii_case("localhost")),
            url::Host::Ipv4(ip) => Some(ip.is_loopback()),
            url::Host::Ipv6(ip) => Some(ip.is_loopback()),
        })
        .unwrap_or(false)
}
