use super::device_memory::remember_passkey;
use super::webauthn::{create_passkey, passkeys_supported};
use crate::auth::passkey_api::{begin_passkey_registration, finish_passkey_registration};
use crate::auth::PasskeyView;
use app_core::i18n::{t_string, td_string, use_i18n};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// "Add a passkey": creates a passkey for the signed-in account on this device (a
/// fingerprint, face or screen lock), so the next sign-in needs no code. Shown only where
/// WebAuthn works on this host.
#[component]
pub fn AddPasskey(
    /// The site's relying-party id, `None` when it offers no passkeys.
    rp_id: Option<String>,
    /// Told about each passkey added.
    #[prop(optional)]
    on_added: Option<Callback<PasskeyView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let available = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    Effect::new(move |_| available.set(rp_id.as_deref().is_some_and(passkeys_supported)));
    let add = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        notice.set(None);
        spawn_local(async move {
            let outcome = match begin_passkey_registration().await {
                Ok(options) => match create_passkey(&options).await {
                    Ok(credential) => finish_passkey_registration(credential)
                        .await
                        .map_err(|failure| failure.message(locale)),
                    Err(failure) => Err(failure.message(locale)),
                },
                Err(failure) => Err(failure.message(locale)),
            };
            match outcome {
                Ok(added) => {
                    remember_passkey();
                    let name = added.name.as_str();
                    notice.set(Some(td_string!(locale, passkey.added, name = name)));
                    if let Some(on_added) = on_added {
                        on_added.run(added);
                    }
                }
                Err(message) => error.set(Some(message)),
            }
            busy.set(false);
        });
    };

    view! {
        <div class="add-passkey" hidden=move || !available.get()>
            <button type="button" on:click=add disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, passkey.waiting) } else { t_string!(i18n, passkey.add) }}
            </button>
            <p class="notice" role="status" hidden=move || notice.with(Option::is_none)>{move || notice.get()}</p>
            <p class="field-error" role="alert" aria-live="assertive">{move || error.get()}</p>
        </div>
    }
}
