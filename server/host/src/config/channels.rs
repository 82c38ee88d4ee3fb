//! The channel sequence of `VONAGE_WORKFLOW` and `TWILIO_CHANNELS`: the first code's channel
//! (or a choice of text message and WhatsApp), then at most one more channel.

use app_core::auth::Channel;

/// A parsed channel sequence: what [`DeliveryPlan`](app_core::auth::server::verify_port::DeliveryPlan)
/// announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelSequence {
    /// The first code's channel, unless the person picks [`Self::alternative`].
    pub first: Channel,
    /// The other first channel offered (text message and WhatsApp side by side).
    pub alternative: Option<Channel>,
    /// The channel after the first code, if any.
    pub next: Option<Channel>,
    /// Silent authentication comes before the first code (`silent_auth` named first).
    pub silent: bool,
}

impl ChannelSequence {
    /// Every channel this sequence can use.
    pub fn channels(&self) -> impl Iterator<Item = Channel> {
        [Some(self.first), self.alternative, self.next]
            .into_iter()
            .flatten()
    }

    /// `true` when any step uses `channel`.
    pub fn uses(&self, channel: Channel) -> bool {
        self.channels().any(|c| c == channel)
    }
}

/// Reads a comma-separated sequence such as `sms,voice`, `whatsapp,sms,voice` or `rcs,sms`,
/// where `voice_word` is the vendor's name for a call (`voice` for Vonage, `call` for
/// Twilio) and `allowed` the channels the vendor's API offers. Rules, each refused with a
/// sentence saying why: names known and allowed, none twice; the first code goes by a
/// message, never a call; `sms` and `whatsapp` together are a choice the person makes, so
/// they come first, side by side (the first named is preselected); after the first code
/// (or the choice) at most one more channel: a call, or a text message after WhatsApp or
/// RCS. `silent_auth` may come first where `silent_allowed` (Vonage v2), followed by the
/// code channels for when the mobile network cannot confirm the number.
pub fn parse_sequence(
    raw: &str,
    voice_word: &str,
    allowed: &[Channel],
    silent_allowed: bool,
) -> Result<ChannelSequence, String> {
    let mut channels = Vec::new();
    let mut silent = false;
    let words = raw.split(',').map(|w| w.trim().to_ascii_lowercase());
    for (index, word) in words.enumerate() {
        let channel = match word.as_str() {
            w if w == voice_word => Channel::Voice,
            "silent_auth" if !silent_allowed => {
                return Err(
                    "silent_auth (silent authentication) needs Vonage Verify v2 (VERIFY_PROVIDER=vonage)"
                        .into(),
                )
            }
            "silent_auth" if index > 0 => {
                return Err("silent_auth may only come first (Vonage's rule)".into())
            }
            "silent_auth" => {
                silent = true;
                continue;
            }
            w => Channel::parse(w)
                .filter(|c| *c != Channel::Voice)
                .ok_or_else(|| format!("`{w}` is not a channel (use {})", names(allowed, voice_word)))?,
        };
        if !allowed.contains(&channel) {
            return Err(format!(
                "`{word}` is not offered by this provider (use {})",
                names(allowed, voice_word)
            ));
        }
        if channels.contains(&channel) {
            return Err(format!("`{word}` is named twice"));
        }
        channels.push(channel);
    }
    let mut rest = channels.into_iter();
    let first = rest.next().ok_or_else(|| match silent {
        true => "silent_auth needs a code channel after it, for when the mobile network cannot confirm the number (e.g. silent_auth,sms,voice)".to_owned(),
        false => "names no channel".to_owned(),
    })?;
    if first == Channel::Voice {
        return Err(format!(
            "the first code must go by a message, not `{voice_word}` (e.g. sms,{voice_word})"
        ));
    }
    let mut rest = rest.peekable();
    let pair = |a, b| {
        matches!(
            (a, b),
            (Channel::Sms, Channel::WhatsApp) | (Channel::WhatsApp, Channel::Sms)
        )
    };
    let alternative = rest.next_if(|next| pair(first, *next));
    let next = rest.next();
    if let Some(stray) = rest.next() {
        let named = match stray {
            Channel::Voice => voice_word,
            other => other.as_str(),
        };
        return Err(format!(
            "at most one channel may follow the first code (or the choice of sms and whatsapp); `{named}` is one too many"
        ));
    }
    match next {
        Some(Channel::Sms | Channel::WhatsApp) if alternative.is_none() && first != Channel::Sms => {}
        Some(Channel::WhatsApp | Channel::Sms) => {
            return Err(
                "sms and whatsapp together are a choice the person makes: name them first, side by side (e.g. whatsapp,sms)".into(),
            )
        }
        Some(Channel::Rcs) => return Err("rcs may only come first".into()),
        Some(Channel::Voice) | None => {}
    }
    if next == Some(Channel::WhatsApp) {
        return Err("whatsapp may only come first (beside sms, as a choice)".into());
    }
    Ok(ChannelSequence {
        first,
        alternative,
        next,
        silent,
    })
}

fn names(allowed: &[Channel], voice_word: &str) -> String {
    allowed
        .iter()
        .map(|c| match c {
            Channel::Voice => voice_word,
            other => other.as_str(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Channel::{Rcs, Sms, Voice, WhatsApp};

    const VONAGE: &[Channel] = &[Sms, WhatsApp, Rcs, Voice];

    fn vonage(raw: &str) -> Result<ChannelSequence, String> {
        parse_sequence(raw, "voice", VONAGE, true)
    }

    fn seq(first: Channel, alternative: Option<Channel>, next: Option<Channel>) -> ChannelSequence {
        ChannelSequence {
            first,
            alternative,
            next,
            silent: false,
        }
    }

    #[test]
    fn reads_the_sequences_a_login_can_announce() {
        assert_eq!(vonage("sms,voice"), Ok(seq(Sms, None, Some(Voice))));
        assert_eq!(vonage("sms"), Ok(seq(Sms, None, None)));
        assert_eq!(
            vonage(" WhatsApp , voice"),
            Ok(seq(WhatsApp, None, Some(Voice)))
        );
        assert_eq!(
            vonage("whatsapp,sms,voice"),
            Ok(seq(WhatsApp, Some(Sms), Some(Voice)))
        );
        assert_eq!(vonage("sms,whatsapp"), Ok(seq(Sms, Some(WhatsApp), None)));
        assert_eq!(vonage("rcs,sms"), Ok(seq(Rcs, None, Some(Sms))));
        assert_eq!(vonage("rcs,voice"), Ok(seq(Rcs, None, Some(Voice))));
        assert_eq!(
            parse_sequence("whatsapp,sms,call", "call", &[Sms, WhatsApp, Voice], false),
            Ok(seq(WhatsApp, Some(Sms), Some(Voice)))
        );
    }

    #[test]
    fn refuses_sequences_it_could_not_announce_with_a_reason() {
        let refused = |raw: &str, says: &str| {
            let problem = vonage(raw).expect_err(raw);
            assert!(problem.contains(says), "{raw}: {problem}");
        };
        refused("voice", "first code must go by a message");
        refused("voice,sms", "first code must go by a message");
        refused("sms,sms", "named twice");
        refused("sms,voice,whatsapp", "one too many");
        refused("rcs,sms,voice", "one too many");
        refused("sms,rcs", "rcs may only come first");
        refused("rcs,whatsapp", "whatsapp may only come first");
        refused("pigeon", "not a channel");
        refused("", "not a channel");
        refused("sms,silent_auth", "may only come first");
        refused("silent_auth", "needs a code channel after it");
        let silent = vonage("silent_auth,sms,voice").expect("silent first");
        assert_eq!(
            (silent.first, silent.next, silent.silent),
            (Sms, Some(Voice), true)
        );
        let twilio =
            parse_sequence("silent_auth,sms", "call", &[Sms, Voice], false).expect_err("v2 only");
        assert!(twilio.contains("needs Vonage Verify v2"), "{twilio}");
        let twilio =
            parse_sequence("rcs", "call", &[Sms, WhatsApp, Voice], false).expect_err("no rcs");
        assert!(twilio.contains("not offered by this provider"), "{twilio}");
        let twilio =
            parse_sequence("sms,voice", "call", &[Sms, WhatsApp, Voice], false).expect_err("call");
        assert!(
            twilio.contains("not a channel (use sms, whatsapp, call)"),
            "{twilio}"
        );
    }
}
