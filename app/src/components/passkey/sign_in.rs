use super::device_memory::remember_passkey;
use super::webauthn::{
    abort_conditional, abort_controller, conditional_mediation_available, get_passkey,
    passkeys_supported, set_conditional, WebAuthnFailure,
};
use crate::auth::passkey_api::{begin_passkey_sign_in, finish_passkey_sign_in};
use app_core::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// "Sign in with a passkey" on `/login`, and the autofill offer (conditional UI) on the
/// phone field: the browser lists this site's passkeys under the field and a pick signs in
/// at once. Shown only where WebAuthn works on this host; without JavaScript it is absent
/// and the phone path is unchanged.
#[component]
pub fn PasskeySignIn(
    /// The site's relying-party id, `None` when it offers no passkeys.
    rp_id: Option<String>,
    /// Where sign-in leads afterwards (a path, or a URL the server checks against
    /// `AUTH_REDIRECT_HOSTS`).
    next: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let available = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let next = StoredValue::new(next);
    let navigate = use_navigate();
    let finish = move |credential: String| {
        let navigate = navigate.clone();
        async move {
            match finish_passkey_sign_in(credential, next.get_value()).await {
                Ok(destination) => {
                    remember_passkey();
                    crate::components::go_to(&navigate, &destination);
                }
                Err(failure) => error.set(Some(failure.message(locale))),
            }
        }
    };
    let autofill = {
        let finish = finish.clone();
        move || {
            let finish = finish.clone();
            spawn_local(async move {
                if !conditional_mediation_available().await {
                    return;
                }
                let Ok(options) = begin_passkey_sign_in().await else {
                    return;
                };
                let Some(controller) = abort_controller() else {
                    return;
                };
                let signal =
                    leptos::web_sys::js_sys::Reflect::get(&controller, &"signal".into()).ok();
                set_conditional(controller);
                // A closed or aborted autofill says nothing: the person may type a number.
                if let Ok(credential) = get_passkey(&options, true, signal.as_ref()).await {
                    busy.set(true);
                    finish(credential).await;
                    busy.set(false);
                }
            });
        }
    };
    Effect::new({
        let autofill = autofill.clone();
        move |_| {
            if rp_id.as_deref().is_some_and(passkeys_supported) {
                available.set(true);
                autofill();
            }
        }
    });
    on_cleanup(abort_conditional);
    let prompt = move |_| {
        if busy.get_untracked() {
            return;
        }
        abort_conditional();
        busy.set(true);
        error.set(None);
        let finish = finish.clone();
        let autofill = autofill.clone();
        spawn_local(async move {
            let outcome = match begin_passkey_sign_in().await {
                Ok(options) => get_passkey(&options, false, None).await,
                Err(failure) => {
                    error.set(Some(failure.message(locale)));
                    Err(WebAuthnFailure::Cancelled)
                }
            };
            match outcome {
                Ok(credential) => finish(credential).await,
                Err(WebAuthnFailure::Cancelled) => autofill(),
                Err(failure) => error.set(Some(failure.message(locale))),
            }
            busy.set(false);
        });
    };

    view! {
        <div class="passkey-sign-in" hidden=move || !available.get()>
            <p class="or">{t!(i18n, passkey.or)}</p>
            <button type="button" class="secondary" on:click=prompt disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, passkey.waiting) } else { t_string!(i18n, passkey.sign_in) }}
            </button>
            <p class="field-error" role="alert" aria-live="assertive">{move || error.get()}</p>
        </div>
    }
}
