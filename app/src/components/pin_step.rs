use crate::auth::api::{ChangeNumber, FinishLogin, ResendCode};
use crate::auth::{AuthError, Channel, Flash, PendingView};
use crate::components::format::minutes_seconds;
use crate::components::{countdown, focus_field, scheduled_call, CarriedNote, FieldError};
use crate::domain::Pin;
use app_core::i18n::{t, t_string, td_string, use_i18n};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_navigate;

/// The PIN step: the code form with attempts left and the expiry countdown, "Call me
/// instead" behind its countdown, and "Use a different number". A reactive component that
/// owns its state in signals and calls the `finish_login`, `resend_code` and `change_number`
/// server functions: a wrong code updates the error and attempts left in place from the typed
/// error, busy states block double submits, and both countdowns stop when the step leaves
/// the page. Each control is also a plain form post, so all of it works without JavaScript.
#[component]
pub fn PinStep(
    /// What the server says about the pending login.
    pending: PendingView,
    /// The error of the last no-JS post (carried by the signed `flash` cookie).
    flash_error: Option<AuthError>,
    /// A confirmation of the last no-JS post, e.g. "We're calling … now".
    flash_notice: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let finish = ServerAction::<FinishLogin>::new();
    let resend = ServerAction::<ResendCode>::new();
    let change = ServerAction::<ChangeNumber>::new();
    let PendingView {
        number,
        attempts_left,
        channel,
        first_channel,
        resend_in_secs,
        can_resend,
        next_channel,
        call_in_secs,
        expires_in_secs,
        ..
    } = pending;
    let expires_in = countdown(expires_in_secs);
    let resend_in = countdown(resend_in_secs);
    let channel = RwSignal::new(channel);
    let attempts_left = RwSignal::new(attempts_left);
    let can_resend = RwSignal::new(can_resend);
    // A refused resend belongs next to the resend control, not the code field.
    let (resend_flash, code_flash) = match flash_error {
        Some(e @ (AuthError::ResendTooSoon { .. } | AuthError::NoChannelLeft)) => {
            (Some(e.message(locale)), None)
        }
        other => (None, other),
    };
    let code_error = RwSignal::new(code_flash.map(|e| e.message(locale)));
    let notice = RwSignal::new(flash_notice.or(resend_flash));
    let call_in = scheduled_call(
        call_in_secs,
        number.clone(),
        channel,
        next_channel,
        can_resend,
        notice,
    );
    // Only a hydrated page can re-enable "Call me instead" when its countdown ends; without
    // JavaScript it stays usable and the server says how long to wait if pressed early.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    let navigate = use_navigate();
    let typed_number = number.clone();
    Effect::new(move |_| match finish.value().get() {
        Some(Ok(destination)) => super::go_to(&navigate, &destination),
        // The pending login is over: back to the phone step, saying why, number filled in.
        Some(Err(failure)) if failure.restarts_login() => {
            CarriedNote::leave(Flash {
                error: Some(failure),
                typed_number: Some(typed_number.clone()),
                notice: None,
            });
            navigate("/login", Default::default());
        }
        Some(Err(failure)) => {
            if let AuthError::WrongCode {
                attempts_left: left,
            } = failure
            {
                attempts_left.set(left);
            }
            code_error.set(Some(failure.message(locale)));
        }
        None => {}
    });
    Effect::new(move |_| match resend.value().get() {
        Some(Ok(confirmation)) => {
            notice.set(Some(confirmation));
            if let Some(next) = next_channel {
                channel.set(next);
            }
            can_resend.set(false);
        }
        Some(Err(failure)) if failure.restarts_login() => {
            code_error.set(Some(failure.message(locale)))
        }
        Some(Err(failure)) => notice.set(Some(failure.message(locale))),
        None => {}
    });
    let navigate = use_navigate();
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => navigate("/login", Default::default()),
        Some(Err(failure)) => notice.set(Some(failure.message(locale))),
        None => {}
    });

    let code_input = NodeRef::<leptos::html::Input>::new();
    let error = Signal::derive(move || {
        // Once the code has expired, that is the one thing worth saying.
        (expires_in.get() == 0)
            .then(|| AuthError::CodeExpired.message(locale))
            .or_else(|| code_error.get())
    });
    Effect::new(move |_| focus_field(code_input, code_error.with(Option::is_some)));

    let check = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(field) = code_input.get_untracked() else {
            return;
        };
        if finish.pending().get_untracked() {
            return;
        }
        let code = field.value();
        match Pin::parse(&code) {
            Err(problem) => code_error.set(Some(problem.message(locale))),
            Ok(_) => {
                code_error.set(None);
                finish.dispatch(FinishLogin { code });
            }
        }
    };
    let call_me = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !resend.pending().get_untracked() {
            resend.dispatch(ResendCode {});
        }
    };
    let change_number = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !change.pending().get_untracked() {
            change.dispatch(ChangeNumber {});
        }
    };

    let checking = finish.pending();
    let shown_number = number.clone();
    let intro = move || {
        let number = shown_number.clone();
        let number = move || view! { <strong class="number" dir="ltr">{number.clone()}</strong> };
        match channel.get() {
            Channel::Sms => t!(i18n, pin.intro_sms, number).into_any(),
            Channel::Voice => t!(i18n, pin.intro_voice, number).into_any(),
            Channel::WhatsApp => t!(i18n, pin.intro_whatsapp, number).into_any(),
            Channel::Rcs => t!(i18n, pin.intro_rcs, number).into_any(),
        }
    };
    let hint = move || {
        let expiry = match expires_in.get() {
            0 => td_string!(locale, pin.expired).to_owned(),
            left => td_string!(locale, pin.expires_in, time = minutes_seconds(left)),
        };
        // After a failure the error already counts the attempts left.
        match (attempts_left.get(), error.with(Option::is_some)) {
            (_, true) => expiry,
            (1, false) => format!("{expiry} {}", td_string!(locale, pin.last_attempt)),
            (n, false) => format!("{expiry} {}", td_string!(locale, pin.attempts, count = n)),
        }
    };
    let text_next = next_channel != Some(Channel::Voice);
    let resend_label = move || match (text_next, resend.pending().get(), resend_in.get()) {
        (false, true, _) => td_string!(locale, pin.calling).to_owned(),
        (false, false, 0) => td_string!(locale, pin.call_me).to_owned(),
        (false, false, wait) => {
            td_string!(locale, pin.call_me_in, time = minutes_seconds(wait))
        }
        (true, true, _) => td_string!(locale, pin.texting).to_owned(),
        (true, false, 0) => td_string!(locale, pin.text_me).to_owned(),
        (true, false, wait) => {
            td_string!(locale, pin.text_me_in, time = minutes_seconds(wait))
        }
    };
    let scheduled_note = move |left: u64| {
        let time = minutes_seconds(left);
        match (next_channel, first_channel) {
            (Some(Channel::Voice), Channel::Sms) => {
                td_string!(locale, pin.call_scheduled, time = time)
            }
            (Some(Channel::Voice), _) => {
                td_string!(locale, pin.call_scheduled_message, time = time)
            }
            _ => td_string!(locale, pin.text_scheduled, time = time),
        }
    };
    let nothing_left = move || {
        let first = channel_name(locale, first_channel);
        match (channel.get(), first_channel, next_channel) {
            (Channel::Voice, Channel::Sms, _) => t_string!(i18n, pin.sent_both).to_owned(),
            (now, _, Some(next)) if now == next => {
                let second = channel_name(locale, next);
                td_string!(locale, pin.sent_two_ways, first = first, second = second)
            }
            (Channel::Sms, _, _) => t_string!(i18n, pin.no_text).to_owned(),
            _ => t_string!(i18n, pin.no_message).to_owned(),
        }
    };

    view! {
        <h1>{t!(i18n, pin.title)}</h1>
        <p>{intro}</p>
        <form method="post" action=FinishLogin::url() class="stack" novalidate
            on:submit=check aria-busy=move || checking.get().to_string()>
            <label for="code">{t!(i18n, pin.label)}</label>
            <input node_ref=code_input id="code" name="code" type="text" autocomplete="one-time-code"
                inputmode="numeric" pattern="[0-9 -]*" maxlength="12" required autofocus dir="ltr"
                aria-describedby="code-hint code-error"
                aria-invalid=move || error.with(Option::is_some).to_string() />
            <p id="code-hint" class="hint">{hint}</p>
            <FieldError id="code-error" message=error />
            <button type="submit" disabled=move || checking.get()>
                {move || if checking.get() { t_string!(i18n, pin.checking) } else { t_string!(i18n, pin.sign_in) }}
            </button>
        </form>
        <p id="resend-status" class="notice" role="status" aria-live="polite">{move || notice.get()}</p>
        <div class="alt">
            {move || call_in.get().map(|left| view! {
                <p id="scheduled-call" class="hint">{scheduled_note(left)}</p>
            })}
            <Show when=move || can_resend.get() fallback=move || view! {
                <p class="hint">{nothing_left}</p>
            }>
                <form method="post" action=ResendCode::url() on:submit=call_me
                    aria-busy=move || resend.pending().get().to_string()>
                    <button type="submit" class="link"
                        disabled=move || resend.pending().get() || (hydrated.get() && resend_in.get() != 0)>
                        {resend_label}
                    </button>
                </form>
            </Show>
            <form method="post" action=ChangeNumber::url() on:submit=change_number>
                <button type="submit" class="link" disabled=move || change.pending().get()>{t!(i18n, pin.different_number)}</button>
            </form>
        </div>
    }
}

/// A channel's name inside a sentence ("by WhatsApp and by phone call").
fn channel_name(locale: app_core::i18n::Locale, channel: Channel) -> String {
    match channel {
        Channel::Sms => td_string!(locale, channel.sms).to_owned(),
        Channel::Voice => td_string!(locale, channel.voice).to_owned(),
        Channel::WhatsApp => td_string!(locale, channel.whatsapp).to_owned(),
        Channel::Rcs => td_string!(locale, channel.rcs).to_owned(),
    }
}
