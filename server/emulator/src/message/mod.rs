//! What a delivery looks like: the SMS, voice, WhatsApp and RCS texts (in the request's
//! language, see [`texts`]), the silent-authentication note, the log line and the outbox
//! entry; plus the random codes and request ids.

pub(crate) mod texts;

use super::outbox::{rfc3339, DeliveryCause, OutboxMessage};
use super::timeline::{Api, Channel, Pending};
use rand::Rng;
use std::time::{Duration, SystemTime};
use texts::Language;

/// "Sends" the code of `pending` on its current channel at `at`: logs it and returns the
/// outbox entry, written in the language of the request's locale ([`texts`]). SMS, WhatsApp
/// and RCS texts say how long the code has left (one wording for the three); SMS texts end
/// with the WebOTP origin-bound line `@host #code` when `webotp_host` is set, so browsers
/// offer the code only on that site. A silent-authentication entry records that the device
/// got the code (nothing is sent); its note is in English.
pub(crate) fn deliver(
    pending: &Pending,
    request_id: &str,
    at: SystemTime,
    cause: DeliveryCause,
    webotp_host: Option<&str>,
) -> OutboxMessage {
    let channel = pending.channel();
    let code = &pending.code;
    let language = Language::of(pending.locale.as_deref());
    let minutes = || {
        let left = pending
            .code_valid_until()
            .duration_since(at)
            .unwrap_or(Duration::ZERO);
        left.as_secs().div_ceil(60).max(1)
    };
    let text = match channel {
        Channel::Sms => {
            let text = texts::vonage_sms(language, &pending.brand, code, minutes());
            with_webotp(text, webotp_host, code)
        }
        Channel::WhatsApp | Channel::Rcs => {
            texts::vonage_sms(language, &pending.brand, code, minutes())
        }
        Channel::Voice => texts::vonage_voice(language, &pending.brand, &spoken(code)),
        Channel::SilentAuth => SILENT_AUTH_NOTE.to_owned(),
    };
    // A development tool: showing the code in the log is the point of it. Never use the
    // emulator with real users.
    tracing::info!(
        target: "emulator",
        to = %pending.number,
        channel = channel.as_str(),
        cause = cause.as_str(),
        %code,
        "{text}"
    );
    OutboxMessage {
        to: pending.number.clone(),
        channel: channel.as_str().to_owned(),
        code: code.clone(),
        text,
        sent_at: rfc3339(at),
        cause,
        request_id: request_id.to_owned(),
        api: pending.api.as_str().to_owned(),
        locale: pending.locale.clone(),
    }
}

/// The outbox text of a completed silent authentication (a note for developers).
pub(crate) const SILENT_AUTH_NOTE: &str =
    "Silent authentication: the network confirmed the number and the device got the code \
     through check_url. Nothing was sent.";

/// An SMS `text` with the WebOTP origin-bound line `@host #code` after a blank line, when a
/// host is set.
pub(crate) fn with_webotp(text: String, webotp_host: Option<&str>, code: &str) -> String {
    match webotp_host {
        Some(host) => format!("{text}\n\n@{host} #{code}"),
        None => text,
    }
}

/// The code as a voice call reads it: `123456` → `1 2 3 4 5 6`.
pub(crate) fn spoken(code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    for (i, c) in code.chars().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// `length` random digits from the thread-local CSPRNG.
pub(crate) fn random_code(length: usize) -> String {
    let mut rng = rand::rng();
    (0..length)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// A fresh request id in the shape `api` uses: v2 a UUID v4, v1 32 lowercase hex characters.
pub(crate) fn new_id(api: Api) -> String {
    let uuid = uuid::Uuid::new_v4();
    match api {
        Api::V2 => uuid.to_string(),
        Api::V1 => uuid.simple().to_string(),
    }
}
