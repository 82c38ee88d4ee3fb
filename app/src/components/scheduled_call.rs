use crate::auth::Channel;
use crate::components::countdown;
use app_core::i18n::{td_string, use_i18n};
use leptos::prelude::*;

/// The provider's own move to the next channel, announced: the seconds left while it is
/// still to come (ticking in the browser; the truth at render time without JavaScript).
/// When they run out the step says "we're calling you" or "we've sent a text" (`channel`
/// becomes `next_channel`, "Send again" goes, `notice` tells the number), exactly when the
/// provider moves on.
pub fn scheduled_call(
    call_in_secs: Option<u64>,
    number: String,
    channel: RwSignal<Channel>,
    next_channel: Option<Channel>,
    can_resend: RwSignal<bool>,
    notice: RwSignal<Option<String>>,
) -> Signal<Option<u64>> {
    let locale = use_i18n().get_locale_untracked();
    let scheduled = RwSignal::new(call_in_secs.is_some());
    let left = countdown(call_in_secs.unwrap_or(0));
    Effect::new(move |_| {
        if scheduled.get() && left.get() == 0 {
            scheduled.set(false);
            let Some(next) = next_channel else { return };
            if channel.get_untracked() != next {
                channel.set(next);
                can_resend.set(false);
                let number = number.as_str();
                notice.set(Some(match next {
                    Channel::Voice => td_string!(locale, pin.calling_now, number = number),
                    _ => td_string!(locale, pin.texting_now, number = number),
                }));
            }
        }
    });
    Signal::derive(move || {
        (scheduled.get() && Some(channel.get()) != next_channel).then(|| left.get())
    })
}
