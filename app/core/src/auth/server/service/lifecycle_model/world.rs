//! The world the model checks run in: the real login service on in-memory stores, a manual
//! clock, the scripted provider, and browsers that each keep one session cookie. Every
//! operation loads its session, runs one service call and saves the session the way the
//! session layer does, so operations sent together with one cookie act on one snapshot.

pub use super::ops::{Done, Op};
use super::provider::ScriptedProvider;
use crate::auth::server::clock::{unix_seconds, Clock, ManualClock};
use crate::auth::server::guard::{FraudGuard, GuardSettings};
use crate::auth::server::limit_rule::Rule;
use crate::auth::server::rate_limit::{LimitPolicy, RateLimiter};
use crate::auth::server::service::{self, passkey_sign_in::sign_in_after_passkey};
use crate::auth::server::store::accounts::MemoryAccounts;
use crate::auth::server::store::blocks::MemoryBlocks;
use crate::auth::server::store::counters::MemoryCounters;
use crate::auth::server::store::locks::{number_lock_key, MemoryLocks};
use crate::auth::server::store::session_index::SignInFactor;
use crate::auth::server::{AuthContext, LoginSession, RequestFacts};
use crate::auth::Channel;
use crate::domain::{DefaultCountry, PhoneNumber};
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tower_sessions::session::Id;
use tower_sessions::{MemoryStore, Session};

/// The numbers the browsers use.
pub const NUMBERS: [&str; 2] = ["+447400123901", "+447400123902"];
/// The browsers' addresses: the first two share one.
const IPS: [[u8; 4]; 3] = [[192, 0, 2, 1], [192, 0, 2, 1], [198, 51, 100, 7]];
/// Wrong codes per number before its code path locks (small, so the model reaches it).
pub const FAILED_PER_NUMBER: u32 = 4;

/// The service and its stores.
pub struct World {
    pub ctx: AuthContext,
    pub clock: ManualClock,
    pub provider: Arc<ScriptedProvider>,
    pub counters: Arc<MemoryCounters>,
    pub locks: Arc<MemoryLocks>,
    pub(super) store: Arc<MemoryStore>,
    pub cookies: [Option<Id>; 3],
    answered: AtomicUsize,
}

impl World {
    /// A world whose provider refuses early cancels when `v1_like` and tries silent
    /// authentication first when `silent`, seeded with `seed`.
    pub fn new(v1_like: bool, silent: bool, seed: u64) -> Self {
        let clock = ManualClock::new();
        let provider = Arc::new(ScriptedProvider::new(clock.clone(), v1_like, silent, seed));
        let counters = Arc::new(MemoryCounters::default());
        let locks = Arc::new(MemoryLocks::default());
        let rule = |max, secs| Rule {
            max,
            window: Duration::from_secs(secs),
        };
        let policy = LimitPolicy {
            failed_per_number: vec![rule(FAILED_PER_NUMBER, 86_400)],
            ..LimitPolicy::default()
        };
        let gb: DefaultCountry = "GB".parse().expect("GB");
        let ctx = AuthContext {
            provider: provider.clone(),
            clock: Arc::new(clock.clone()),
            default_country: gb,
            brand: "Model".into(),
            fallback_locale: None,
            pending_ttl: Duration::from_secs(super::provider::REQUEST_TTL),
            resend_after: Duration::from_secs(30),
            max_wrong_codes: 3,
            dev_outbox: false,
            allowed_countries: None,
            limits: RateLimiter::new(counters.clone(), policy),
            locks: locks.clone(),
            guard: FraudGuard::new(
                GuardSettings::default(),
                counters.clone(),
                Arc::new(MemoryBlocks::default()),
            ),
            challenge: None,
            accounts: Arc::new(MemoryAccounts::default()),
            sessions: Arc::new(
                crate::auth::server::store::session_index::MemorySessionIndex::default(),
            ),
            passkeys: None,
            flash_cookies: crate::auth::server::FlashCookies::random(false),
            default_language: crate::i18n::Locale::default(),
            redirect_hosts: Default::default(),
            public_origin: None,
        };
        Self {
            ctx,
            clock,
            provider,
            counters,
            locks,
            store: Arc::new(MemoryStore::default()),
            cookies: [None, None, None],
            answered: AtomicUsize::new(0),
        }
    }

    /// Now, in Unix seconds.
    pub fn now(&self) -> u64 {
        unix_seconds(self.clock.now())
    }

    /// Moves time forward.
    pub fn advance(&self, secs: u64) {
        self.clock.advance(Duration::from_secs(secs));
    }

    /// Runs `op` as one request with the browser's current cookie.
    pub async fn run(&self, op: &Op) -> Done {
        let browser = op.browser();
        let cookie_before = self.cookies[browser];
        let raw = Session::new(cookie_before, self.store.clone(), None);
        let session = LoginSession::new(raw.clone());
        let facts = RequestFacts {
            client_ip: Some(IpAddr::from(IPS[browser])),
            now: self.now(),
            ..RequestFacts::default()
        };
        let ctx = &self.ctx;
        let (signed_in, by_code) = match op {
            Op::Start {
                number, whatsapp, ..
            } => {
                let channel = match whatsapp {
                    true => Channel::WhatsApp,
                    false => Channel::Sms,
                };
                let number = NUMBERS[*number];
                let _ =
                    service::start_login(ctx, &session, &facts, number, None, None, channel).await;
                (None, false)
            }
            Op::RightCode { number, .. } => {
                let code = self.provider.newest_code(NUMBERS[*number]);
                let code = code.unwrap_or_else(|| "123456".into());
                let result = service::finish_login(ctx, &session, &facts, &code).await;
                let who = match result {
                    Ok(_) => self.signed_in_number(&session, facts.now).await,
                    Err(_) => None,
                };
                (who, true)
            }
            Op::WrongCode { .. } => {
                let _ = service::finish_login(ctx, &session, &facts, "000000").await;
                (None, false)
            }
            Op::Silent { number, fails, .. } => {
                let opened = self.provider.open_check_url(NUMBERS[*number], *fails);
                let brought = match opened {
                    Some((id, code)) => service::SilentReturn {
                        request_id: Some(id),
                        code: Some(code),
                        error: None,
                    },
                    None => service::SilentReturn {
                        error: Some("silent_auth_failed".into()),
                        ..Default::default()
                    },
                };
                let result = service::silent_result(ctx, &session, &facts, &brought).await;
                let who = match result {
                    Ok(crate::auth::SilentOutcome::SignedIn(_)) => {
                        self.signed_in_number(&session, facts.now).await
                    }
                    _ => None,
                };
                (who, true)
            }
            Op::CallMe { .. } => {
                let _ = service::resend_code(ctx, &session, &facts).await;
                (None, false)
            }
            Op::ChangeNumber { .. } => {
                let _ = service::change_number(ctx, &session, &facts).await;
                (None, false)
            }
            Op::Logout { .. } => {
                let _ = service::logout(ctx, &session, &facts).await;
                (None, false)
            }
            Op::Passkey { number, .. } => {
                let phone = parse(NUMBERS[*number]);
                let factor = SignInFactor::Passkey {
                    credential_id: format!("model-{number}"),
                    name: "Model passkey".into(),
                };
                let account = ctx.accounts.record_sign_in(NUMBERS[*number], facts.now);
                let account = account.await.expect("memory accounts").id;
                let result =
                    sign_in_after_passkey(ctx, &session, &facts, &account, phone, factor).await;
                (result.ok().map(|()| *number), false)
            }
            Op::EndSession { target, .. } => {
                if let Some(user) = self.stored_user(*target).await {
                    let _ = service::end_session(ctx, &session, &facts, &user.handle).await;
                }
                (None, false)
            }
            Op::EndOthers { .. } => {
                let _ = service::end_other_sessions(ctx, &session, &facts).await;
                (None, false)
            }
        };
        let cookie_after = save_like_the_session_layer(&raw).await;
        Done {
            browser,
            cookie_before,
            cookie_after,
            signed_in,
            by_code,
            seq: self.answered.fetch_add(1, Ordering::Relaxed),
        }
    }

    async fn signed_in_number(&self, session: &LoginSession, now: u64) -> Option<usize> {
        let user = session.signed_in(now).await.ok().flatten()?;
        NUMBERS.iter().position(|n| *n == user.number.e164())
    }

    /// Applies the answers' cookies in the order the answers arrived, as a browser does.
    pub fn keep_cookies(&mut self, done: &mut [Done]) {
        done.sort_by_key(|d| d.seq);
        for d in done.iter() {
            if let Some(cookie) = d.cookie_after {
                self.cookies[d.browser] = cookie;
            }
        }
    }

    /// The pending login's number and request id in `browser`'s current session.
    pub async fn pending_of(&self, browser: usize) -> Option<(String, String, u64)> {
        let cookie = self.cookies[browser]?;
        let session = LoginSession::new(Session::new(Some(cookie), self.store.clone(), None));
        let pending = session.pending().await.ok().flatten()?;
        Some((
            pending.number.e164().to_owned(),
            pending.request_id.expose().to_owned(),
            pending.started_at,
        ))
    }

    /// Wrong codes still counting for `NUMBERS[number]`.
    pub async fn failures(&self, number: usize) -> u32 {
        let failures = self.ctx.limits.failures(NUMBERS[number], self.now());
        failures.await.map(|f| f.count).unwrap_or(0)
    }

    /// Who holds `NUMBERS[number]`'s lock now.
    pub fn lock_holder(&self, number: usize) -> Option<String> {
        self.locks
            .holder(&number_lock_key(NUMBERS[number]), self.now())
    }
}

fn parse(number: &str) -> PhoneNumber {
    let gb: DefaultCountry = "GB".parse().expect("GB");
    PhoneNumber::parse(number, gb).expect("a valid number")
}

/// Saves (or forgets) the session as `tower_sessions`' layer does after a response; answers
/// the cookie the response sets: `Some(Some(id))`, `Some(None)` (removed) or `None`.
async fn save_like_the_session_layer(session: &Session) -> Option<Option<Id>> {
    if !session.is_modified() {
        return None;
    }
    if session.is_empty().await {
        return Some(None);
    }
    let saved = session.save().await;
    saved.expect("memory session store");
    Some(session.id())
}
