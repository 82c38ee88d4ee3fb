use crate::auth::api::StartLogin;
use crate::auth::{AuthError, ChallengeWidget, Channel, ChannelChoice};
use crate::components::{focus_field, FieldError, HumanCheck};
use crate::domain::PhoneNumberProblem;
use app_core::i18n::{t, t_string, td_string, use_i18n};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_navigate;

/// The phone step: the number field and "Send code". A reactive component: it checks what
/// is free to check (empty, letters, too few digits) before calling the `start_login` server
/// function, shows "Sending code…" while the call is in flight (no double submit), puts the
/// server's typed error next to the field, and moves to `/verify` on success. When the
/// server asks for a human check (a risky send), the provider's widget appears in the form
/// and its token sends the code. The form is also a plain post to the same server function,
/// so it works before the wasm has loaded and without JavaScript (the server answers 303).
#[component]
pub fn PhoneStep(
    /// The number to show in the field (what was typed before, or the number being changed).
    typed: String,
    /// An error to show on arrival (from a no-JS post or the step before).
    initial_error: Option<String>,
    /// Where sign-in leads afterwards; a same-site path, checked again on the server.
    next: Option<String>,
    /// The human check a no-JS post was asked for, shown again on arrival.
    initial_challenge: Option<ChallengeWidget>,
    /// Text message or WhatsApp, when the site sends both: shown as a choice.
    channel_choice: Option<ChannelChoice>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let start = ServerAction::<StartLogin>::new();
    let busy = start.pending();
    let error = RwSignal::new(initial_error);
    let challenge = RwSignal::new(initial_challenge);
    let token = RwSignal::new(None::<String>);
    let resets = RwSignal::new(0u32);
    let input = NodeRef::<leptos::html::Input>::new();
    let chosen = RwSignal::new(channel_choice.as_ref().map(|choice| choice.chosen));
    let navigate = use_navigate();
    Effect::new(move |_| match start.value().get() {
        Some(Ok(())) => navigate("/verify", Default::default()),
        Some(Err(failure)) => {
            // A token is good for one try: whatever the answer, the next send needs another.
            if token.get_untracked().is_some() {
                token.set(None);
                resets.update(|n| *n += 1);
            }
            // The widget on the page stays (reset above); only a first ask renders one.
            if let AuthError::ChallengeRequired { widget, .. } = &failure {
                if challenge.with_untracked(|shown| shown.as_ref() != Some(widget)) {
                    challenge.set(Some(widget.clone()));
                }
            }
            error.set(Some(failure.message(locale)));
        }
        None => {}
    });
    // On arrival and after each error: focus the field, digits selected after an error.
    Effect::new(move |_| focus_field(input, error.with(Option::is_some)));

    let next_field = next.clone();
    let next = StoredValue::new(next);
    let send = move || {
        let Some(field) = input.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let number = field.value();
        match PhoneNumberProblem::precheck(&number) {
            Err(problem) => error.set(Some(problem.message(locale))),
            Ok(()) => {
                error.set(None);
                start.dispatch(StartLogin {
                    number,
                    next: next.get_value(),
                    captcha_token: token.get_untracked(),
                    channel: chosen.get_untracked().map(|c| c.as_str().to_owned()),
                });
            }
        }
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send();
    };
    // The user pressed "Send code" already: a token sends it.
    let on_token = Callback::new(move |value: String| {
        token.set(Some(value));
        send();
    });
    let on_unavailable = Callback::new(move |()| {
        error.set(Some(td_string!(locale, phone.check_unavailable).to_owned()));
    });

    view! {
        <form method="post" action=StartLogin::url() class="stack" novalidate
            on:submit=submit aria-busy=move || busy.get().to_string()>
            <label for="number">{t!(i18n, phone.label)}</label>
            <input node_ref=input id="number" name="number" type="tel" autocomplete="tel webauthn" inputmode="tel"
                required maxlength="40" autofocus value=typed dir="ltr"
                aria-describedby="number-hint number-error"
                aria-invalid=move || error.with(Option::is_some).to_string() />
            <p id="number-hint" class="hint">{t!(i18n, phone.hint)}</p>
            <FieldError id="number-error" message=error />
            {channel_choice.map(|choice| channel_fieldset(locale, choice, chosen))}
            {move || challenge.get().map(|widget| view! {
                <HumanCheck widget on_token resets=resets.into() on_unavailable />
            })}
            {next_field.map(|path| view! { <input type="hidden" name="next" value=path /> })}
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, phone.sending) } else { t_string!(i18n, phone.send) }}
            </button>
        </form>
    }
}

/// "Send my code by: ( ) Text message ( ) WhatsApp": radio buttons named `channel`, so a
/// no-JS post carries the choice too.
fn channel_fieldset(
    locale: app_core::i18n::Locale,
    choice: ChannelChoice,
    chosen: RwSignal<Option<Channel>>,
) -> impl IntoView {
    let options = choice
        .options
        .into_iter()
        .map(|channel| {
            let id = format!("channel-{}", channel.as_str());
            let label = match channel {
                Channel::WhatsApp => td_string!(locale, phone.channel_whatsapp),
                _ => td_string!(locale, phone.channel_sms),
            };
            view! {
                <label class="choice" for=id.clone()>
                    <input type="radio" name="channel" id=id.clone() value=channel.as_str()
                        checked=channel == choice.chosen
                        on:change=move |_| chosen.set(Some(channel)) />
                    {label}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="channels">
            <legend>{td_string!(locale, phone.channel_legend)}</legend>
            {options}
        </fieldset>
    }
}
