//! Twilio Verify v2 over HTTP (form-encoded bodies, HTTP Basic `AccountSid:AuthToken`):
//!
//! - `POST /v2/Services/{VA}/Verifications` (`To` E.164 with `+`, `Channel`
//!   `sms`|`call`|`whatsapp` (other channels: 400 `60200` naming `Channel`),
//!   optional `Locale` (the message's language), `CustomFriendlyName`) → 201 with the verification (`sid` `VE…`,
//!   `status: "pending"`, `valid: false`, `send_code_attempts`). A pending verification to the
//!   same `To` is reused for 10 minutes: the same sid, the same code delivered again on the
//!   asked channel; its 6th delivery answers 429 `60203`;
//! - `POST /v2/Services/{VA}/VerificationCheck` (`Code` and `VerificationSid` or `To`) → 200
//!   `approved`/`valid: true` (then the verification is gone), or 200 `pending`/`valid: false`
//!   for a wrong code; the 5th wrong code answers `max_attempts_reached` and later checks 429
//!   `60202`;
//! - `POST /v2/Services/{VA}/Verifications/{VE}` with `Status=canceled` → 200, then gone;
//!   `GET` of the same path → 200 with the verification;
//! - unknown, expired, approved or cancelled verifications → 404 `20404`; a bad `To`,
//!   `Channel`, `Locale`, `Code` or `Status` → 400 `60200` naming it; missing or empty Basic
//!   credentials → 401 `20003`; a service sid not starting with `VA` → 404 `20404`.
//!
//! Every delivery goes to the shared outbox (a call as channel `voice`, reading the digits;
//! WhatsApp as channel `whatsapp` with the SMS wording). Every number is on WhatsApp here:
//! the reachability settings are for Vonage v2 workflows only.
//! The fault switch does not apply to these routes.

mod message;
mod reply;
pub(crate) mod state;

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use reply::{account_sid, invalid, refused, unauthorised, verification, Shape};
use state::{Refusal, Target, TwilioChannel, TwilioState, Verification};
use std::sync::Arc;

/// The Twilio routes over `state`.
pub(crate) fn routes(state: Arc<TwilioState>) -> Router {
    Router::new()
        .route("/v2/Services/{service}/Verifications", post(start))
        .route("/v2/Services/{service}/VerificationCheck", post(check))
        .route(
            "/v2/Services/{service}/Verifications/{sid}",
            post(update).get(fetch),
        )
        .with_state(state)
}

/// Why a call is turned away before its parameters are read.
enum Denied {
    /// 401 20003.
    Credentials,
    /// 404 20404: the service sid does not start with `VA`.
    Service,
}

impl Denied {
    fn reply(self, uri: &OriginalUri) -> Response {
        match self {
            Self::Credentials => unauthorised(),
            Self::Service => refused(Refusal::NotFound, uri.path()),
        }
    }
}

/// The account sid of an authorised call to a `VA…` service.
fn admit(headers: &HeaderMap, service: &str) -> Result<String, Denied> {
    let account = account_sid(headers).ok_or(Denied::Credentials)?;
    if !service.starts_with("VA") || service.len() < 3 {
        return Err(Denied::Service);
    }
    Ok(account)
}

async fn start(
    State(state): State<Arc<TwilioState>>,
    Path(service): Path<String>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let account = match admit(&headers, &service) {
        Ok(account) => account,
        Err(denied) => return denied.reply(&uri),
    };
    let fields = reply::form(&body);
    let field = |name: &str| fields.get(name).map(String::as_str);
    let Some(to) = field("To").filter(|to| reply::valid_e164(to)) else {
        return invalid("To");
    };
    let channel = match field("Channel") {
        Some("sms") => TwilioChannel::Sms,
        Some("call") => TwilioChannel::Call,
        Some("whatsapp") => TwilioChannel::WhatsApp,
        _ => return invalid("Channel"),
    };
    let locale = field("Locale");
    if locale.is_some_and(|l| !reply::valid_locale(l)) {
        return invalid("Locale");
    }
    let name = field("CustomFriendlyName");
    if name.is_some_and(|n| n.is_empty() || n.chars().count() > 30) {
        return invalid("CustomFriendlyName");
    }
    match state.start(to, channel, name, locale) {
        Ok(v) => {
            let base = reply::base(&headers);
            let shape = Shape::Verification { base: &base };
            let body = verification(&v, &service, &account, shape);
            (StatusCode::CREATED, axum::Json(body)).into_response()
        }
        Err(refusal) => refused(refusal, uri.path()),
    }
}

async fn check(
    State(state): State<Arc<TwilioState>>,
    Path(service): Path<String>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let account = match admit(&headers, &service) {
        Ok(account) => account,
        Err(denied) => return denied.reply(&uri),
    };
    let fields = reply::form(&body);
    let field = |name: &str| fields.get(name).map(String::as_str);
    let code = field("Code")
        .filter(|c| (4..=10).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_alphanumeric()));
    let Some(code) = code else {
        return invalid("Code");
    };
    let target = match (field("VerificationSid"), field("To")) {
        (Some(sid), _) if !sid.is_empty() => Target::Sid(sid),
        (_, Some(to)) if reply::valid_e164(to) => Target::To(to),
        (_, Some(_)) => return invalid("To"),
        _ => return invalid("VerificationSid"),
    };
    match state.check(target, code) {
        Ok(v) => {
            let body = verification(&v, &service, &account, Shape::Check);
            (StatusCode::OK, axum::Json(body)).into_response()
        }
        Err(refusal) => refused(refusal, uri.path()),
    }
}

async fn update(
    State(state): State<Arc<TwilioState>>,
    Path((service, sid)): Path<(String, String)>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let account = match admit(&headers, &service) {
        Ok(account) => account,
        Err(denied) => return denied.reply(&uri),
    };
    if reply::form(&body).get("Status").map(String::as_str) != Some("canceled") {
        return invalid("Status");
    }
    let answer = state.cancel(&sid);
    resource_reply(answer, &service, &account, &headers, &uri)
}

async fn fetch(
    State(state): State<Arc<TwilioState>>,
    Path((service, sid)): Path<(String, String)>,
    uri: OriginalUri,
    headers: HeaderMap,
) -> Response {
    let account = match admit(&headers, &service) {
        Ok(account) => account,
        Err(denied) => return denied.reply(&uri),
    };
    let answer = state.fetch(&sid);
    resource_reply(answer, &service, &account, &headers, &uri)
}

/// 200 with the verification resource, or the refusal's error body.
fn resource_reply(
    answer: Result<Verification, Refusal>,
    service: &str,
    account: &str,
    headers: &HeaderMap,
    uri: &OriginalUri,
) -> Response {
    let base = reply::base(headers);
    match answer {
        Ok(v) => {
            let body = verification(&v, service, account, Shape::Verification { base: &base });
            (StatusCode::OK, axum::Json(body)).into_response()
        }
        Err(refusal) => refused(refusal, uri.path()),
    }
}

#[cfg(test)]
mod tests;
