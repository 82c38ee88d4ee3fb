//! Reading a `POST /v2/verify` body: brand, code length, timing, locale and the workflow.

use crate::timeline::Channel;
use crate::valid_number;
use serde_json::{Map, Value};
use std::time::Duration;

const BRAND_MAX_CHARS: usize = 16;
/// `channel_timeout` range, seconds.
const CHANNEL_TIMEOUT_SECS: std::ops::RangeInclusive<u64> = 15..=900;
const DEFAULT_CODE_LENGTH: u64 = 4;
/// Longest RCS `from` (agent id) and `redirect_url` accepted, in characters.
const MAX_FIELD_CHARS: usize = 2_000;

/// `(parameter, reason)` pairs for a 422's `invalid_parameters`.
pub(super) type Invalid = Vec<(String, &'static str)>;

pub(super) struct ParsedStart {
    pub(super) to: String,
    pub(super) brand: String,
    pub(super) code_length: usize,
    /// Every step's channel, in order (the first step's `to` is the request's number).
    pub(super) workflow: Vec<Channel>,
    /// How long each channel waits before the next starts (or the request ends).
    pub(super) channel_timeout: Duration,
    /// `locale`, as sent.
    pub(super) locale: Option<String>,
    /// `Some` when the first step is `silent_auth`: its `redirect_url`, if any.
    pub(super) silent_auth: Option<Option<String>>,
}

/// Validates a start body; a missing `channel_timeout` is `default_timeout`.
pub(super) fn parse_start(body: &[u8], default_timeout: Duration) -> Result<ParsedStart, Invalid> {
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(body) else {
        return Err(vec![("body".into(), "must be a JSON object")]);
    };
    let mut invalid: Invalid = Vec::new();
    let mut bad = |name: &str, reason| invalid.push((name.to_owned(), reason));
    let brand = match body.get("brand").and_then(Value::as_str) {
        Some(b) if !b.is_empty() && b.chars().count() <= BRAND_MAX_CHARS => b.to_owned(),
        _ => {
            bad("brand", "must be 1 to 16 characters");
            String::new()
        }
    };
    let code_length = match body.get("code_length") {
        None => DEFAULT_CODE_LENGTH,
        Some(v) => match v.as_u64() {
            Some(n) if (4..=10).contains(&n) => n,
            _ => {
                bad("code_length", "must be an integer from 4 to 10");
                DEFAULT_CODE_LENGTH
            }
        },
    };
    let channel_timeout = match body.get("channel_timeout") {
        None => default_timeout,
        Some(v) => match v.as_u64() {
            Some(secs) if CHANNEL_TIMEOUT_SECS.contains(&secs) => Duration::from_secs(secs),
            _ => {
                bad("channel_timeout", "must be an integer from 15 to 900");
                default_timeout
            }
        },
    };
    let locale = match body.get("locale") {
        None => None,
        Some(Value::String(locale)) => Some(locale.clone()),
        Some(_) => {
            bad("locale", "must be a string");
            None
        }
    };
    let steps = body
        .get("workflow")
        .and_then(Value::as_array)
        .filter(|w| !w.is_empty());
    let Some(steps) = steps else {
        bad("workflow", "must be a non-empty array");
        return Err(invalid);
    };
    let mut first = None;
    let mut silent_auth = None;
    let mut workflow = Vec::with_capacity(steps.len());
    for (i, step) in steps.iter().enumerate() {
        let empty = Map::new();
        let step = step.as_object().unwrap_or(&empty);
        let Some(channel) = step_channel(i, step, &mut invalid) else {
            continue;
        };
        if channel == Channel::SilentAuth {
            silent_auth = Some(redirect_url(i, step, &mut invalid));
        }
        match step.get("to").and_then(Value::as_str) {
            Some(to) if valid_number(to) => {
                first.get_or_insert_with(|| to.to_owned());
                workflow.push(channel);
            }
            _ => invalid.push((field(i, "to"), "must be an E.164 number without +")),
        }
    }
    match first {
        Some(to) if invalid.is_empty() => Ok(ParsedStart {
            to,
            brand,
            // Bounded to 4..=10 above.
            code_length: usize::try_from(code_length).unwrap_or(4),
            workflow,
            channel_timeout,
            locale,
            silent_auth,
        }),
        _ => Err(invalid),
    }
}

/// `workflow[i].name`.
fn field(i: usize, name: &str) -> String {
    format!("workflow[{i}].{name}")
}

/// Step `i`'s channel with its channel-specific fields checked; `None` (and `invalid`
/// entries) when the channel is unknown, misplaced or its fields are wrong.
fn step_channel(i: usize, step: &Map<String, Value>, invalid: &mut Invalid) -> Option<Channel> {
    let from = step.get("from");
    let channel = match step.get("channel").and_then(Value::as_str) {
        Some("sms") => Channel::Sms,
        Some("voice") => Channel::Voice,
        Some("whatsapp") => {
            if !from.and_then(Value::as_str).is_some_and(valid_number) {
                let reason = "is required: the WhatsApp Business number, E.164 without +";
                invalid.push((field(i, "from"), reason));
                return None;
            }
            Channel::WhatsApp
        }
        Some("rcs") => {
            let ok = from.is_none_or(|f| {
                f.as_str()
                    .is_some_and(|f| !f.is_empty() && f.chars().count() <= MAX_FIELD_CHARS)
            });
            if !ok {
                invalid.push((field(i, "from"), "must be the RCS agent id (a string)"));
                return None;
            }
            Channel::Rcs
        }
        Some("silent_auth") if i == 0 => {
            if step.get("sandbox").is_some_and(|s| !s.is_boolean()) {
                invalid.push((field(i, "sandbox"), "must be true or false"));
                return None;
            }
            Channel::SilentAuth
        }
        Some("silent_auth") => {
            let reason = "silent_auth is only allowed as the first channel";
            invalid.push((field(i, "channel"), reason));
            return None;
        }
        _ => {
            let reason = "the emulator supports sms, voice, whatsapp, rcs and silent_auth";
            invalid.push((field(i, "channel"), reason));
            return None;
        }
    };
    Some(channel)
}

/// A silent-authentication step's `redirect_url`: absent, or an absolute http(s) URL.
fn redirect_url(i: usize, step: &Map<String, Value>, invalid: &mut Invalid) -> Option<String> {
    let raw = step.get("redirect_url")?;
    let url = raw
        .as_str()
        .filter(|u| u.chars().count() <= MAX_FIELD_CHARS)
        .and_then(|u| url::Url::parse(u).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    if url.is_none() {
        invalid.push((field(i, "redirect_url"), "must be an absolute http(s) URL"));
    }
    url.map(String::from)
}
