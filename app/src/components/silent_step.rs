use crate::auth::api::ResendCode;
use crate::auth::SilentView;
use crate::components::browser_storage::Storage;
use crate::components::countdown;
use crate::components::format::minutes_seconds;
use app_core::i18n::{t, td_string, use_i18n};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The `sessionStorage` key remembering the check address this tab has opened.
const OPENED_KEY: &str = "passwordless.silent.opened";

/// Silent authentication under way: the mobile network is asked to confirm `number`. With
/// JavaScript the browser opens the provider's `check_url` at once, once per login in this
/// tab (the way Vonage documents it for browsers) and comes back to `/login/silent`; without,
/// the same address is a plain link. "Send me a code instead" (a post to `resend_code`) moves to the first code now;
/// `on_code` is called when a code is on its way (asked for, or the provider's own wait over)
/// with the note to show.
#[component]
pub fn SilentStep(
    /// The number being confirmed, in international form.
    number: String,
    /// The check address and the provider's wait.
    silent: SilentView,
    /// Called with a note once a code is on its way.
    on_code: Callback<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let skip = ServerAction::<ResendCode>::new();
    let left = countdown(silent.code_in_secs);
    let error = RwSignal::new(None::<String>);
    let check_url = silent.check_url.clone();
    Effect::new(move |_| {
        // Opened once per login in this tab: coming back without a result (a network error
        // page, the back button) leaves the link and "Send me a code instead", not a loop.
        if Storage::Session.item(OPENED_KEY).as_deref() == Some(check_url.as_str()) {
            return;
        }
        Storage::Session.set_item(OPENED_KEY, &check_url);
        if let Err(failure) = window().location().assign(&check_url) {
            leptos::logging::error!("could not open the check address: {failure:?}");
        }
    });
    Effect::new(move |_| {
        if left.get() == 0 {
            on_code.run(None);
        }
    });
    Effect::new(move |_| match skip.value().get() {
        Some(Ok(note)) => on_code.run(Some(note)),
        Some(Err(failure)) => error.set(Some(failure.message(locale))),
        None => {}
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !skip.pending().get_untracked() {
            skip.dispatch(ResendCode {});
        }
    };
    let shown = number.clone();
    let number = move || view! { <strong class="number" dir="ltr">{shown.clone()}</strong> };
    view! {
        <h1>{t!(i18n, silent.title)}</h1>
        <p>{t!(i18n, silent.intro, number)}</p>
        <p><a class="button" href=silent.check_url>{t!(i18n, silent.open)}</a></p>
        <p id="silent-wait" class="hint">
            {move || td_string!(locale, silent.code_in, time = minutes_seconds(left.get()))}
        </p>
        <p class="field-error" role="alert">{move || error.get()}</p>
        <div class="alt">
            <form method="post" action=ResendCode::url() on:submit=submit>
                <button type="submit" class="link" disabled=move || skip.pending().get()>
                    {t!(i18n, silent.send_code)}
                </button>
            </form>
        </div>
    }
}
