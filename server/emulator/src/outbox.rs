//! The emulator's outbox: every message it "sent", as JSON (`GET /dev/messages`, for tests)
//! and as a small self-refreshing HTML page (`GET /dev/outbox`, for people).

use super::state::EmulatorState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::SystemTime;

/// Messages kept; older ones are dropped so the outbox cannot grow without bound.
pub(crate) const OUTBOX_CAPACITY: usize = 200;

/// One message the emulator "sent" (nothing leaves the machine).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    /// Destination in E.164 with `+`, e.g. `+447400123123`.
    pub to: String,
    /// `sms`, `voice`, `whatsapp`, `rcs` or `silent_auth` (an entry, nothing sent: the
    /// device got the code through `check_url`).
    pub channel: String,
    /// The code, in clear: this is a development tool.
    pub code: String,
    /// The message text, in the language of [`locale`](Self::locale) (English, Spanish,
    /// French, German, Portuguese or Arabic; English for any other): in English, SMS `Your
    /// {brand} code is {code}. It expires in {N} minutes.`, voice `This is {brand}. Your code
    /// is 1 2 3 4 5 6.` (digits read one by one); Twilio's `Your {name} verification code is:
    /// {code}`. WhatsApp and RCS use the SMS wording. An SMS ends with the WebOTP line
    /// `@host #code` when a host is configured. A `silent_auth` entry has an English note.
    pub text: String,
    /// When it was sent, RFC 3339 UTC, e.g. `2020-01-01T14:00:00.000Z`: for a delivery the
    /// emulator noticed late (see [`DeliveryCause::Auto`]), the time it was due.
    pub sent_at: String,
    /// What made it: the start, an explicit next-channel call, a channel timeout, the failure
    /// of the step before, or the device opening a silent-authentication `check_url`.
    #[serde(default)]
    pub cause: DeliveryCause,
    /// The request it belongs to (v2 UUID or v1 32-hex id).
    #[serde(default)]
    pub request_id: String,
    /// The API the request was started on: `v2`, `v1` or `twilio`.
    #[serde(default)]
    pub api: String,
    /// The locale the request asked for, as sent (v2 `locale`, v1 `lg`, Twilio `Locale`, e.g.
    /// `es-es` or `pt-BR`); `null` when it asked for none.
    #[serde(default)]
    pub locale: Option<String>,
}

/// What made a delivery. JSON: `"start"`, `"next"`, `"auto"`, `"fallback"` or `"check_url"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryCause {
    /// The request's first event, made by the start call.
    #[default]
    Start,
    /// An explicit move on: v2 `next_workflow`, v1 `trigger_next_event`.
    Next,
    /// The emulator moved on by itself when the previous channel's wait elapsed.
    Auto,
    /// The previous step failed at once (its channel could not reach the number, or silent
    /// authentication failed), so this one was made at the same moment.
    Fallback,
    /// The device opened the silent-authentication `check_url` and got the code.
    CheckUrl,
}

impl DeliveryCause {
    /// The JSON name: `start`, `next`, `auto`, `fallback` or `check_url`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Next => "next",
            Self::Auto => "auto",
            Self::Fallback => "fallback",
            Self::CheckUrl => "check_url",
        }
    }
}

/// A bounded list of messages, newest at the front.
#[derive(Default)]
pub(crate) struct Outbox(VecDeque<OutboxMessage>);

impl Outbox {
    pub(crate) fn push(&mut self, message: OutboxMessage) {
        self.0.push_front(message);
        self.0.truncate(OUTBOX_CAPACITY);
    }

    pub(crate) fn newest_first(&self) -> Vec<OutboxMessage> {
        self.0.iter().cloned().collect()
    }
}

/// `GET /dev/messages` and `GET /dev/outbox`.
pub(crate) fn routes() -> Router<Arc<EmulatorState>> {
    Router::new()
        .route("/dev/messages", get(messages_json))
        .route("/dev/outbox", get(outbox_page))
}

async fn messages_json(State(state): State<Arc<EmulatorState>>) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(state.messages()),
    )
        .into_response()
}

async fn outbox_page(State(state): State<Arc<EmulatorState>>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        render_page(&state.messages()),
    )
        .into_response()
}

/// The whole page: no scripts, no external assets; every value escaped.
pub(crate) fn render_page(messages: &[OutboxMessage]) -> String {
    let mut rows = String::new();
    for m in messages {
        // Writing to a String cannot fail.
        let _ = writeln!(
            rows,
            "<tr><td class=\"code\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td dir=\"auto\">{}</td></tr>",
            escape(&m.code),
            escape(&m.to),
            escape(&m.channel),
            m.cause.as_str(),
            escape(&m.sent_at),
            escape(m.locale.as_deref().unwrap_or("-")),
            escape(&m.text),
        );
    }
    let body = if messages.is_empty() {
        "<p>No messages yet. Start a login and the code appears here.</p>".to_owned()
    } else {
        format!(
            "<div class=\"scroll\"><table>\n<thead><tr><th>Code</th><th>To</th><th>Channel</th>\
             <th>Cause</th><th>Sent (UTC)</th><th>Locale</th><th>Message</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table></div>"
        )
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"refresh\" content=\"3\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Verify emulator outbox</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Verify emulator outbox</h1>\n\
         <p>Messages the development Verify emulator would have sent, newest first. \
         Nothing leaves this machine. Refreshes every 3 seconds.</p>\n{body}\n</body>\n</html>\n"
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1rem;color:#222;background:#fff}\
@media(prefers-color-scheme:dark){body{color:#eee;background:#15171a}th,td{border-color:#444!important}}\
.scroll{overflow-x:auto}td{white-space:nowrap}\
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.4rem .6rem;text-align:left}\
.code{font-family:monospace;font-size:1.2rem;font-weight:bold}";

/// RFC 3339 UTC with milliseconds, e.g. `2020-01-01T14:00:00.000Z`.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let t = time::OffsetDateTime::from(time);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(n: usize, text: &str) -> OutboxMessage {
        OutboxMessage {
            to: format!("+4474001231{n:02}"),
            channel: "sms".into(),
            code: "123456".into(),
            text: text.into(),
            sent_at: "2020-01-01T14:00:00.000Z".into(),
            cause: DeliveryCause::Auto,
            request_id: "abcdef0123456789abcdef0123456789".into(),
            api: "v1".into(),
            locale: Some("es-es".into()),
        }
    }

    #[test]
    fn keeps_newest_first_and_drops_the_oldest_beyond_capacity() {
        let mut outbox = Outbox::default();
        for n in 0..OUTBOX_CAPACITY + 5 {
            outbox.push(message(n % 100, &format!("message {n}")));
        }
        let messages = outbox.newest_first();
        assert_eq!(messages.len(), OUTBOX_CAPACITY);
        assert_eq!(messages[0].text, format!("message {}", OUTBOX_CAPACITY + 4));
        assert_eq!(messages[OUTBOX_CAPACITY - 1].text, "message 5");
    }

    #[test]
    fn page_escapes_values_and_refreshes_without_scripts() {
        let page = render_page(&[message(1, "Your <script>alert(\"x\")</script> & 'co' code")]);
        assert!(
            page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;")
        );
        assert!(!page.contains("<script"));
        assert!(page.contains("<meta http-equiv=\"refresh\" content=\"3\">"));
        assert!(!page.contains("src="), "no external assets");
        assert!(page.contains("<td class=\"code\">123456</td>"));
        assert!(page.contains("<th>Cause</th>") && page.contains("<td>auto</td>"));
        assert!(page.contains("<th>Locale</th>") && page.contains("<td>es-es</td>"));
    }

    #[test]
    fn formats_rfc3339_utc_with_milliseconds() {
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(1_577_887_200_123);
        assert_eq!(rfc3339(time), "2020-01-01T14:00:00.123Z");
    }

    #[test]
    fn empty_page_says_so() {
        assert!(render_page(&[]).contains("No messages yet"));
    }
}
