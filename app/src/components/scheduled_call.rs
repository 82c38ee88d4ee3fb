use crate::auth::Channel;
use crate::components::countdown;
use app_core::i18n::{td_string, use_i18n};
use leptos::prelude::*;

/// The call the provider makes by itself, announced: the seconds left while it is still to
/// come (ticking in the browser; the truth at render time without JavaScript). When they run
/// out the step says "we're calling you" (`channel` becomes voice, "Call me instead" goes,
/// `notice` tells the number), exactly when the provider dials.
pub fn scheduled_call(
    call_in_secs: Option<u64>,
    number: String,
    channel: RwSignal<Channel>,
    can_resend: RwSignal<bool>,
    notice: RwSignal<Option<String>>,
) -> Signal<Option<u64>> {
    let locale = use_i18n().get_locale_untracked();
    let scheduled = RwSignal::new(call_in_secs.is_some());
    let left = countdown(call_in_secs.unwrap_or(0));
    Effect::new(move |_| {
        if scheduled.get() && left.get() == 0 {
            scheduled.set(false);
            if channel.get_untracked() == Channel::Sms {
                channel.set(Channel::Voice);
                can_resend.set(false);
                let number = number.as_str();
                notice.set(Some(td_string!(locale, pin.calling_now, number = number)));
            }
        }
    });
    Signal::derive(move || (scheduled.get() && channel.get() == Channel::Sms).then(|| left.get()))
}
