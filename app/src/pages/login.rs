use crate::auth::api::get_login_status;
use crate::auth::{AuthError, LoginStatus, LoginStep};
use crate::components::{CarriedNote, DevBanner, PasskeySignIn, PhoneStep};
use app_core::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login`: the phone step, with a link back to a code already on its way.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let status = Resource::new(|| (), |_| get_login_status());
    let next = move || {
        use_query_map()
            .read_untracked()
            .get("next")
            .and_then(|n| crate::auth::next_candidate(&n))
    };

    view! {
        <Title text=t_string!(i18n, login.title) />
        <Suspense fallback=move || view! { <p class="card">{t!(i18n, common.loading)}</p> }>
            {move || status.get().map(|result| {
                // If the status cannot be read, still offer the form and say why.
                let (status, load_error) = match result {
                    Ok(status) => (status, None),
                    Err(error) => {
                        let signed_out = LoginStatus { step: LoginStep::SignedOut, flash: None, dev_outbox: false, passkey_rp_id: None, channel_choice: None };
                        (signed_out, Some(error.message(locale)))
                    }
                };
                // A note from the step before (client-side) wins over the server's flash.
                let note = CarriedNote::take().or(status.flash).unwrap_or_default();
                let challenge = match &note.error {
                    Some(AuthError::ChallengeRequired { widget, .. }) => Some(widget.clone()),
                    _ => None,
                };
                let error = note.error.map(|e| e.message(locale)).or(load_error);
                let typed = note.typed_number.unwrap_or_default();
                let pending_hint = match &status.step {
                    LoginStep::Pending(pending) => {
                        let number = pending.number.clone();
                        Some(view! {
                            <p class="notice">
                                {t!(i18n, login.pending, number = move || view! {
                                    <span class="number" dir="ltr">{number.clone()}</span>
                                })}
                                " " <a href="/verify">{t!(i18n, login.enter_it)}</a>
                            </p>
                        })
                    }
                    _ => None,
                };
                view! {
                    <DevBanner show=status.dev_outbox />
                    <section class="card">
                        <h1>{t!(i18n, login.title)}</h1>
                        <p>{match status.channel_choice.is_some() {
                            true => t!(i18n, login.intro_choice).into_any(),
                            false => t!(i18n, login.intro).into_any(),
                        }}</p>
                        {pending_hint}
                        <PhoneStep typed initial_error=error next=next() initial_challenge=challenge
                            channel_choice=status.channel_choice.clone() />
                        <PasskeySignIn rp_id=status.passkey_rp_id next=next() />
                    </section>
                }
            })}
        </Suspense>
    }
}
