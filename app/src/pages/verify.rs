use crate::auth::api::get_login_status;
use crate::auth::{LoginStatus, LoginStep};
use crate::components::{DevBanner, PinStep};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// `/verify`: the PIN step, rendered from the server's state so a refresh or a new tab lands
/// on the same step with the same timers.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_login_status());

    view! {
        <Title text="Enter your code" />
        <Suspense fallback=|| view! { <p class="card">"Loading…"</p> }>
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
                        <h1>"Enter your code"</h1>
                        <p class="field-error" role="alert">{error.message()}</p>
                        <a class="button" href="/verify">"Try again"</a>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}
