//! The human check (CAPTCHA) asked for before a risky code send, and only then: when the
//! destination's range is near the fraud guard's threshold, when one address (or IPv6
//! network, /64, /56 or /48, each with its own multiple of the burst rule) sends in a burst,
//! or when an address that sent codes today turns to a new
//! country. Verified on the server through the provider's siteverify API (the
//! [`ChallengeVerifier`] port), and bound to this site and widget (see [`Binding`]); never
//! asked on code checks.

mod binding;
mod risk;
#[cfg(test)]
mod tests;

pub use binding::{normalized_host, Binding, Mismatch, Solved};
pub use risk::Risk;

use super::rate_limit::{IpBucket, Rule};
use super::store::counters::CounterStore;
use super::StoreError;
use crate::auth::ChallengeWidget;
use crate::domain::PhoneNumber;
use std::net::IpAddr;
use std::sync::Arc;

/// Metric: human checks by `reason` (see [`Risk::label`]) and `outcome` (`asked`,
/// `passed`, `failed`, `unavailable`).
pub const CHALLENGES: &str = "passwordless_challenges_total";

/// `CAPTCHA_WHEN`: which sends are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChallengeWhen {
    /// Only risky sends (the default).
    Risky,
    /// Every send (for a site under attack).
    Always,
}

/// The `CAPTCHA_*` settings.
#[derive(Clone, Debug)]
pub struct ChallengeSettings {
    /// What the browser shows (provider, site key, script).
    pub widget: ChallengeWidget,
    /// `CAPTCHA_WHEN` (default risky).
    pub when: ChallengeWhen,
    /// `CAPTCHA_IP_BURST`: sends from one address (IPv6: its network; each wider network
    /// it is counted in allows its factor times as many) per window; the one after them is
    /// risky (default `3/10m`).
    pub ip_burst: Rule,
    /// Origins the page's Content-Security-Policy admits for the widget (its script,
    /// frames, styles and calls); empty for a same-site script.
    pub csp_origins: Vec<String>,
    /// Where a solved token must have been solved (host, and action for Turnstile).
    pub binding: Binding,
}

/// The provider's answer to one token (siteverify's `success`, and what it vouches for).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SiteAnswer {
    /// The token is genuine and unused; where and for which action it was solved.
    Solved(Solved),
    /// The token was refused, with the provider's error codes (for the log).
    Refused(Vec<String>),
}

/// The verdict on one token: the provider's answer held against the [`Binding`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The token is genuine, unused and was solved on this site in our widget.
    Passed,
    /// The token was refused, with the provider's error codes (for the log).
    Refused(Vec<String>),
    /// The token is genuine but was solved for another site or widget: refused like a
    /// failed check.
    Elsewhere(Mismatch),
}

/// The siteverify call: `Err` when the provider could not answer (timeout, 5xx, garbage),
/// which refuses the send as an outage, never passes it.
#[async_trait::async_trait]
pub trait ChallengeVerifier: Send + Sync + 'static {
    /// Checks `token` (from the widget) for a visitor at `remote_ip`.
    async fn verify(&self, token: &str, remote_ip: Option<IpAddr>) -> Result<SiteAnswer, String>;
}

/// The challenge service, shared by every request; present only when `CAPTCHA_PROVIDER`
/// is set.
#[derive(Clone)]
pub struct Challenge {
    settings: ChallengeSettings,
    verifier: Arc<dyn ChallengeVerifier>,
    counters: Arc<dyn CounterStore>,
}

impl Challenge {
    /// A challenge asking through `verifier` and keeping its per-address figures in
    /// `counters` (the store the limits share).
    pub fn new(
        settings: ChallengeSettings,
        verifier: Arc<dyn ChallengeVerifier>,
        counters: Arc<dyn CounterStore>,
    ) -> Self {
        Self {
            settings,
            verifier,
            counters,
        }
    }

    /// The widget the browser is asked to show.
    pub fn widget(&self) -> &ChallengeWidget {
        &self.settings.widget
    }

    /// Origins the page CSP must admit for the widget.
    pub fn csp_origins(&self) -> &[String] {
        &self.settings.csp_origins
    }

    /// `true` when every send is checked, risky or not.
    pub fn always(&self) -> bool {
        self.settings.when == ChallengeWhen::Always
    }

    /// Checks `token` with the provider, for a request from `remote_ip` served as
    /// `served_host` (its `Host` without port; the site's host unless `PUBLIC_URL` says
    /// otherwise).
    pub async fn verify(
        &self,
        token: &str,
        remote_ip: Option<IpAddr>,
        served_host: Option<&str>,
    ) -> Result<Verdict, String> {
        Ok(match self.verifier.verify(token, remote_ip).await? {
            SiteAnswer::Refused(codes) => Verdict::Refused(codes),
            SiteAnswer::Solved(solved) => match self.settings.binding.check(&solved, served_host) {
                Ok(()) => Verdict::Passed,
                Err(mismatch) => Verdict::Elsewhere(mismatch),
            },
        })
    }

    /// Why a send to `number` from the address counted in `ip_buckets` (narrowest first, as
    /// `RateLimiter::ip_buckets` answers them; empty when the address is unknown) needs a
    /// check, if it does; `straining` is the fraud guard's "a range of this number is near
    /// its threshold". The attempt is counted in every bucket's burst figure first (one
    /// write, one read), so a burst sent in parallel, or spread over an IPv6 network, is
    /// judged as one.
    pub async fn risk(
        &self,
        number: &PhoneNumber,
        ip_buckets: &[IpBucket],
        straining: bool,
        now: u64,
    ) -> Result<Option<Risk>, StoreError> {
        if self.always() {
            return Ok(Some(Risk::Always));
        }
        if straining {
            return Ok(Some(Risk::RangeNearThreshold));
        }
        if ip_buckets.is_empty() {
            return Ok(None);
        }
        let windows = risk::windows(ip_buckets, number.country(), self.settings.ip_burst, now);
        let attempts = self.counters.add_many(&windows.attempt()).await?;
        let counts = self.counters.get_many(&windows.reads()).await?;
        Ok(windows.judge(&attempts, &counts))
    }

    /// Counts a code sent to `number` from the address counted in `ip_buckets` in its
    /// countries (those of its narrowest bucket).
    pub async fn note_send(
        &self,
        number: &PhoneNumber,
        ip_buckets: &[IpBucket],
        now: u64,
    ) -> Result<(), StoreError> {
        if ip_buckets.is_empty() {
            return Ok(());
        }
        let windows = risk::windows(ip_buckets, number.country(), self.settings.ip_burst, now);
        self.counters.add_many(&windows.sent()).await.map(|_| ())
    }
}
