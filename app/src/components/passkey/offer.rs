use super::device_memory::{offer_wanted, put_off_offer};
use super::webauthn::passkeys_supported;
use super::AddPasskey;
use app_core::i18n::{t, use_i18n};
use leptos::prelude::*;

/// The home page's offer after a phone sign-in: "Sign in faster next time" with "Add a
/// passkey" and "Not now" (asks again in two weeks). Not shown where WebAuthn does not work,
/// nor in a browser that already added or used a passkey here.
#[component]
pub fn PasskeyOffer(
    /// The site's relying-party id, `None` when it offers no passkeys.
    rp_id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(false);
    // Effects run only in the browser, where `window` exists.
    let site = rp_id.clone();
    Effect::new(move |_| {
        shown.set(site.as_deref().is_some_and(passkeys_supported) && offer_wanted());
    });
    let not_now = move |_| {
        put_off_offer();
        shown.set(false);
    };
    view! {
        <div class="passkey-offer" hidden=move || !shown.get()>
            <p>{t!(i18n, passkey.offer)}</p>
            <AddPasskey rp_id />
            <button type="button" class="link" on:click=not_now>{t!(i18n, passkey.not_now)}</button>
        </div>
    }
}
