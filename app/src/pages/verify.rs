use crate::auth::api::get_login_status;
use crate::auth::{LoginStatus, LoginStep};
use crate::components::{DevBanner, PinStep};
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

    view! {
        <Title text=t_string!(i18n, pin.title) />
        <Suspense fallback=move || view! { <p class="card">{t!(i18n, common.loading)}</p> }>
            {move || status.get().map(|result| match result {
                Ok(LoginStatus { step: LoginStep::Pending(pending), flash, dev_outbox, .. }) => {
                    let flash = flash.unwrap_or_default();
                    view! {
                        <DevBanner show=dev_outbox />
                        <section class="card">
                            <PinStep pending flash_error=flash.error flash_notice=flash.notice />
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
