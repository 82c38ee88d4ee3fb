//! The human check's part in the login: before a risky send, ask for a CAPTCHA (or check
//! the one sent); after a send, count it in the per-address figures.

use crate::auth::server::challenge::{Challenge, Risk, Verdict, CHALLENGES};
use crate::auth::server::rate_limit::IpBucket;
use crate::auth::server::{metrics_names, AuthContext, RequestFacts, StoreError};
use crate::auth::AuthError;
use crate::domain::PhoneNumber;

/// Longest token accepted (Turnstile's documented maximum is 2048 characters).
const MAX_TOKEN_LEN: usize = 2048;

/// Lets the send go on when it is not risky or `token` passes the provider's check and was
/// solved on this site in our widget. A risky send without a token, with one the provider
/// refuses, or with one solved elsewhere (another `hostname`, another Turnstile `action`) is
/// [`AuthError::ChallengeRequired`] (nothing sent); a provider that cannot answer is
/// [`AuthError::ServiceUnavailable`]. Does nothing unless a CAPTCHA provider is configured.
pub(super) async fn pass_challenge(
    ctx: &AuthContext,
    facts: &RequestFacts,
    number: &PhoneNumber,
    token: Option<&str>,
) -> Result<(), AuthError> {
    let now = facts.now;
    let Some(challenge) = &ctx.challenge else {
        return Ok(());
    };
    let Some(risk) = risk_of(ctx, challenge, facts, number, now).await? else {
        return Ok(());
    };
    let required = |failed| AuthError::ChallengeRequired {
        widget: challenge.widget().clone(),
        failed,
    };
    let token = token.map(str::trim).filter(|t| !t.is_empty());
    let Some(token) = token else {
        tracing::info!(number = %number.masked(), reason = risk.label(), "risky send: human check asked for");
        counted(risk, "asked");
        return Err(required(false));
    };
    if token.len() > MAX_TOKEN_LEN {
        counted(risk, "failed");
        return Err(required(true));
    }
    match challenge
        .verify(token, facts.client_ip, facts.host.as_deref())
        .await
    {
        Ok(Verdict::Passed) => {
            counted(risk, "passed");
            Ok(())
        }
        Ok(Verdict::Refused(codes)) => {
            tracing::warn!(number = %number.masked(), reason = risk.label(), ?codes, "human check refused; nothing sent");
            counted(risk, "failed");
            Err(required(true))
        }
        Ok(Verdict::Elsewhere(mismatch)) => {
            tracing::warn!(number = %number.masked(), reason = risk.label(), %mismatch, "human check solved for another site or widget; refused, nothing sent");
            counted(risk, "failed");
            Err(required(true))
        }
        Err(error) => {
            tracing::error!(%error, "human check could not be verified; nothing sent");
            counted(risk, "unavailable");
            Err(AuthError::ServiceUnavailable)
        }
    }
}

/// Counts a code sent to `number` from this request's address.
pub(super) async fn note_send(
    ctx: &AuthContext,
    facts: &RequestFacts,
    number: &PhoneNumber,
    now: u64,
) {
    let Some(challenge) = &ctx.challenge else {
        return;
    };
    let buckets = ip_buckets(ctx, facts);
    if let Err(error) = challenge.note_send(number, &buckets, now).await {
        tracing::warn!(%error, "a code sent was not counted for the human check");
    }
}

async fn risk_of(
    ctx: &AuthContext,
    challenge: &Challenge,
    facts: &RequestFacts,
    number: &PhoneNumber,
    now: u64,
) -> Result<Option<Risk>, AuthError> {
    let store_failed = |error: StoreError| {
        tracing::error!(%error, "risk figures unreadable; code send refused");
        ::metrics::counter!(metrics_names::STORE_ERRORS).increment(1);
        AuthError::TemporarilyUnavailable
    };
    let straining = match challenge.always() {
        true => false,
        false => ctx
            .guard
            .straining(number, now)
            .await
            .map_err(store_failed)?,
    };
    challenge
        .risk(number, &ip_buckets(ctx, facts), straining, now)
        .await
        .map_err(store_failed)
}

/// Where this request's address is counted: nowhere when unknown; an IPv6 client in its
/// network and each wider one (the limits' buckets, so the burst rule follows them).
fn ip_buckets(ctx: &AuthContext, facts: &RequestFacts) -> Vec<IpBucket> {
    facts
        .client_ip
        .map(|ip| ctx.limits.ip_buckets(ip))
        .unwrap_or_default()
}

fn counted(risk: Risk, outcome: &'static str) {
    ::metrics::counter!(CHALLENGES, "reason" => risk.label(), "outcome" => outcome).increment(1);
}
