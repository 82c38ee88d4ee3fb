use crate::auth::api::get_login_status;
use crate::auth::{LoginStatus, LoginStep};
use crate::components::{CarriedNote, DevBanner, PinStep, SilentStep};
use app_core::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// `/verify`: the PIN step, rendered from the server's state so a refresh or a new tab lands
/// on the same step with the same timers.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let status = Resource::new(|| (), |_| get_login_status());
    // A note from the step before: silent authentication's outcome, or a code asked for.
    let note = RwSignal::new(CarriedNote::take().and_then(|flash| flash.notice));
    let on_code = Callback::new(move |said: Option<String>| {
        if said.is_some() {
            note.set(said);
        }
        status.refetch();
    });

    view! {
        <Title text=t_string!(i18n, pin.title) />
        <Suspense fallback=move || view! { <p class="card">{t!(i18n, common.loading)}</p> }>
            {move || status.get().map(|result| match result {
                Ok(LoginStatus { step: LoginStep::Pending(mut pending), dev_outbox, .. })
                    if pending.silent.is_some() => {
                    let silent = pending.silent.take();
                    view! {
                        <DevBanner show=dev_outbox />
                        <section class="card">
                            {silent.map(|silent| view! {
                                <SilentStep number=pending.number.clone() silent on_code />
                            })}
                        </section>
                    }.into_any()
                }
                Ok(LoginStatus { step: LoginStep::Pending(pending), flash, dev_outbox, .. }) => {
                    let flash = flash.unwrap_or_default();
                    let flash_notice = flash.notice.or_else(|| note.get_untracked());
                    view! {
                        <DevBanner show=dev_outbox />
                        <section class="card">
                            <PinStep pending flash_error=flash.error flash_notice />
                        </section>
                    }.into_any()
                }
                Ok(LoginStatus { step: LoginStep::SignedIn { .. }, .. }) => view! { <Redirect path="/" /> }.into_any(),
                Ok(_) => view! { <Redirect path="/login" /> }.into_any(),
                Err(error) => view! {
                    <section class="card">
                        <h1>{t!(i18n, pin.title)}</h1>
                        <p class="field-error" role="alert">{error.message(locale)}</p>
                        <a class="button" href="/verify">{t!(i18n, common.try_again)}</a>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}
