//! What a Twilio delivery looks like: the SMS, WhatsApp (the SMS wording, no WebOTP line)
//! and call texts, the log line and the outbox entry; plus the random codes.

use super::state::{Live, TwilioChannel};
use crate::message::texts::{self, Language};
use crate::message::{spoken, with_webotp};
use crate::outbox::{rfc3339, DeliveryCause, OutboxMessage};
use rand::Rng;
use std::time::SystemTime;

/// Digits in a code (a Verify service's default `CodeLength`).
const CODE_LENGTH: usize = 6;

/// "Sends" `live`'s code on `channel` in the language of `locale` (this call's `Locale`, as
/// sent): logs it and returns the outbox entry.
pub(super) fn deliver(
    live: &Live,
    channel: TwilioChannel,
    locale: Option<&str>,
    now: SystemTime,
    webotp_host: Option<&str>,
) -> OutboxMessage {
    let code = &live.code;
    let name = &live.friendly_name;
    let language = Language::of(locale);
    let (outbox_channel, text) = match channel {
        TwilioChannel::Sms => {
            let text = texts::twilio_sms(language, name, code);
            ("sms", with_webotp(text, webotp_host, code))
        }
        TwilioChannel::WhatsApp => ("whatsapp", texts::twilio_sms(language, name, code)),
        TwilioChannel::Call => ("voice", texts::twilio_voice(language, name, &spoken(code))),
    };
    // A development tool: showing the code in the log is the point of it.
    tracing::info!(target: "emulator", api = "twilio", to = %live.view.to, channel = outbox_channel, %code, "{text}");
    OutboxMessage {
        to: live.view.to.clone(),
        channel: outbox_channel.to_owned(),
        code: code.clone(),
        text,
        sent_at: rfc3339(now),
        // The first delivery of a verification is its start; a new Verifications call for
        // the same number (the same code again, e.g. by call) is an explicit next delivery.
        cause: if live.view.attempts.len() <= 1 {
            DeliveryCause::Start
        } else {
            DeliveryCause::Next
        },
        request_id: live.view.sid.clone(),
        api: "twilio".to_owned(),
        locale: locale.map(str::to_owned),
    }
}

/// [`CODE_LENGTH`] random digits from the thread-local CSPRNG.
pub(super) fn random_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LENGTH)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}
