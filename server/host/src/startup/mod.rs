//! Builds the application from configuration: provider, emulator, session store, router,
//! listener. Tests call [`Application::build`] with their own clock and port 0.

use crate::config::Config;
use crate::emulator::Emulator;
use crate::guard_ops::{self, GuardOps};
use crate::operations::{self, metrics_handle, Readiness};
use crate::router::{router, AppState, SiteRoutes};
use crate::security::{ClientIpSource, DevExposure, HostPolicy, OpsExposure, OriginPolicy};
use crate::store::AnyStore;
use app_core::auth::server::guard::FraudGuard;
use app_core::auth::server::passkeys::RelyingParty;
use app_core::auth::server::rate_limit::RateLimiter;
use app_core::auth::server::test_numbers::TestNumberProvider;
use app_core::auth::server::{AuthContext, RedirectHosts};
use app_core::clock::Clock;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

mod cookies;
mod provider;
use cookies::{cookies_secure, flash_cookies};

/// Our own cap on wrong codes per pending login (NIST SP 800-63B / OWASP ASVS).
pub const MAX_WRONG_CODES: u32 = 5;

/// A server ready to run: bound to its address, with its emulator (if any) already serving.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    emulator: Option<Emulator>,
    /// `OPS_ADDR`'s listener and the operator endpoints served there.
    ops: Option<(TcpListener, axum::Router)>,
}

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The emulator or the site could not bind its address.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The session store could not be opened.
    #[error("session store: {0}")]
    Store(String),
    /// A provider client could not be built.
    #[error("verify provider: {0}")]
    Provider(String),
    /// The account store could not be opened or migrated.
    #[error("ACCOUNT_STORE: {0}")]
    Accounts(String),
    /// The CAPTCHA siteverify client could not be built.
    #[error("CAPTCHA_VERIFY_URL: {0}")]
    Captcha(String),
    /// `COOKIE_SECRET` cannot sign the one-shot message cookie (too short).
    #[error("COOKIE_SECRET: {0}")]
    CookieSecret(String),
    /// The emulator (which shows every code) would face the public.
    #[error(
        "refusing to serve the Verify emulator on the non-loopback address {place}: it shows every code it sends. \
         Set VONAGE_API_KEY and VONAGE_API_SECRET to send real codes, or listen on 127.0.0.1, \
         or for a public demo set VERIFY_PROVIDER=emulator and EMULATOR_PUBLIC=yes"
    )]
    EmulatorOnPublicAddress {
        /// The address that is not loopback (the site's, the emulator's or `PUBLIC_URL`).
        place: String,
    },
}

impl Application {
    /// Wires everything from `config`. The site listens on `leptos_options.site_addr`
    /// (port 0 picks a free one).
    pub async fn build(
        config: Config,
        leptos_options: LeptosOptions,
        clock: Arc<dyn Clock>,
        site_routes: SiteRoutes,
    ) -> Result<Self, StartupError> {
        let chosen = provider::choose(&config, leptos_options.site_addr, clock.clone()).await?;
        let (provider, emulator, provider_url, health) =
            (chosen.provider, chosen.emulator, chosen.url, chosen.health);
        // With the emulator, the login's time follows its `/dev/clock` too.
        let clock: Arc<dyn Clock> = match &emulator {
            Some(emulator) => Arc::new(crate::emulator::EmulatorTime::new(clock, emulator.clone())),
            None => clock,
        };
        // Test numbers are answered in front of whichever provider was chosen.
        let provider: Arc<dyn app_core::auth::server::verify_port::VerifyProvider> =
            match config.test_numbers.clone() {
                None => provider,
                Some(numbers) => {
                    tracing::warn!(
                        numbers = numbers.len(),
                        until = numbers.stops_at(),
                        "TEST_NUMBERS on: these numbers sign in with a fixed code and send nothing"
                    );
                    Arc::new(TestNumberProvider::new(provider, numbers, clock.clone()))
                }
            };
        let provider_code_ttl = provider::code_ttl(&config);
        let provider_wrong_codes = provider::wrong_code_budget(&config);
        // Install the metrics recorder before anything records.
        let _ = metrics_handle();
        let stores = AnyStore::open(&config.session_store)
            .await
            .map_err(StartupError::Store)?;
        let addr = leptos_options.site_addr;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartupError::Bind { addr, source })?;
        let secure_cookies =
            cookies_secure(config.cookie_secure, addr, config.public_origin.as_deref());
        let flash_cookies = flash_cookies(config.cookie_secret.as_ref(), secure_cookies)?;
        if config.public_origin.is_none() && !addr.ip().is_loopback() {
            tracing::warn!(
                %addr,
                "PUBLIC_URL is unset: state-changing requests are answered only when their Host \
                 is a loopback name or this server's address (421 otherwise); set PUBLIC_URL to \
                 the address browsers use"
            );
        }
        let accounts = crate::store::open_accounts(&config.account_store)
            .await
            .map_err(StartupError::Accounts)?;
        let emulator_url = emulator.is_some().then_some(&provider_url);
        let challenge = config
            .captcha
            .as_ref()
            .map(|captcha| {
                crate::captcha::challenge(captcha, emulator_url, stores.counters.clone())
            })
            .transpose()
            .map_err(StartupError::Captcha)?;
        let passkeys = match RelyingParty::new(config.public_origin.as_deref(), &config.brand) {
            Ok(rp) => {
                tracing::info!(relying_party = rp.id(), "passkeys on");
                Some(Arc::new(rp))
            }
            Err(reason) => {
                tracing::warn!(%reason, "passkeys off: PUBLIC_URL has no domain name");
                None
            }
        };
        let auth = AuthContext {
            provider,
            clock,
            default_country: config.default_country,
            default_language: config.default_language,
            brand: config.brand,
            fallback_locale: config.fallback_locale,
            pending_ttl: config.pending_ttl.min(provider_code_ttl),
            resend_after: config.resend_after,
            max_wrong_codes: MAX_WRONG_CODES.min(provider_wrong_codes),
            dev_outbox: emulator.is_some(),
            allowed_countries: config.allowed_countries,
            limits: RateLimiter::new(stores.counters.clone(), config.limits),
            locks: stores.locks,
            guard: FraudGuard::new(config.guard, stores.counters, stores.blocks),
            challenge,
            accounts,
            sessions: stores.index,
            passkeys,
            flash_cookies,
            redirect_hosts: RedirectHosts::new(config.shared_sign_in.redirect_hosts.clone()),
            public_origin: config.public_origin.clone(),
        };
        let readiness = Readiness::new(stores.sessions.clone(), provider_url, health)
            .map_err(|e| StartupError::Provider(e.to_string()))?;
        let (readiness, ops) = match config.ops_addr {
            None => (Some(readiness), None),
            Some(addr) => {
                let listener = TcpListener::bind(addr)
                    .await
                    .map_err(|source| StartupError::Bind { addr, source })?;
                let guard = GuardOps {
                    guard: auth.guard.clone(),
                    clock: auth.clock.clone(),
                };
                let routes = operations::routes(readiness).merge(guard_ops::routes(guard));
                (None, Some((listener, routes)))
            }
        };
        let state = AppState {
            leptos_options,
            auth,
            readiness,
            ops_exposure: OpsExposure {
                public: config.ops_public,
                client_ip_header: config.client_ip_header.clone(),
            },
            store: stores.sessions,
            client_ip: ClientIpSource {
                trusted_header: config.client_ip_header,
                trusted_proxies: config.trusted_proxies,
            },
            dev_routes: emulator.as_ref().map(Emulator::dev_router),
            dev_exposure: DevExposure {
                public: config.emulator_public,
            },
            host_policy: HostPolicy::for_site(addr, config.public_origin.as_deref()),
            origin_policy: OriginPolicy {
                public_origin: config.public_origin,
            },
            secure_cookies,
            cookie_domain: config.shared_sign_in.cookie_domain.clone(),
        };
        Ok(Self {
            listener,
            router: router(state, site_routes),
            emulator,
            ops,
        })
    }

    /// The address the site actually listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The whole router, for tests that serve it themselves (e.g. with a chosen peer address).
    pub fn router(&self) -> axum::Router {
        self.router.clone()
    }

    /// The address of the operator endpoints when `OPS_ADDR` gave them their own listener.
    pub fn ops_addr(&self) -> Option<SocketAddr> {
        self.ops.as_ref().and_then(|(l, _)| l.local_addr().ok())
    }

    /// The in-process emulator, when it is the provider.
    pub fn emulator(&self) -> Option<&Emulator> {
        self.emulator.as_ref()
    }

    /// Serves until Ctrl-C or SIGTERM, then stops accepting and lets in-flight requests
    /// finish for at most [`SHUTDOWN_GRACE`].
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
        let mut grace_rx = stop_tx.subscribe();
        let ops_stop = stop_tx.subscribe();
        tokio::spawn(async move {
            crate::shutdown_signal().await;
            let _ = stop_tx.send(true);
        });
        if let Some((listener, ops)) = self.ops {
            let mut ops_stop = ops_stop;
            tokio::spawn(async move {
                let stopped = async move {
                    let _ = ops_stop.wait_for(|stop| *stop).await;
                };
                if let Err(error) = axum::serve(listener, ops)
                    .with_graceful_shutdown(stopped)
                    .await
                {
                    tracing::error!(%error, "operator endpoints stopped");
                }
            });
        }
        let serve = axum::serve(self.listener, service).with_graceful_shutdown(async move {
            let _ = stop_rx.wait_for(|stop| *stop).await;
        });
        tokio::select! {
            result = serve => result,
            () = async {
                let _ = grace_rx.wait_for(|stop| *stop).await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => {
                tracing::warn!("in-flight requests still running after {SHUTDOWN_GRACE:?}; exiting");
                Ok(())
            }
        }
    }
}

/// How long in-flight requests may run after a stop signal.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);
