use crate::auth::api::{get_login_status, ChangeNumber, FinishLogin, ResendCode};
use crate::auth::{LoginStatus, LoginStep};
use crate::components::{DevBanner, FieldError, PinStep};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_navigate};

/// `/verify`: the PIN step, rendered from the server's state so a refresh or a new tab lands
/// on the same step with the same timers.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let finish = ServerAction::<FinishLogin>::new();
    let resend = ServerAction::<ResendCode>::new();
    let change = ServerAction::<ChangeNumber>::new();
    let status = Resource::new(
        move || (finish.version().get(), resend.version().get()),
        |_| get_login_status(),
    );
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(destination)) = finish.value().get() {
            navigate(&destination, Default::default());
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            navigate("/login", Default::default());
        }
    });
    let action_error = move || finish.value().get().and_then(Result::err);

    view! {
        <Title text="Enter your code" />
        <Suspense fallback=|| view! { <p class="card">"Loading…"</p> }>
            {move || status.get().map(|result| match result {
                Ok(LoginStatus { step: LoginStep::Pending(pending), flash, dev_outbox }) => {
                    let flash = flash.unwrap_or_default();
                    view! {
                        <DevBanner show=dev_outbox />
                        <section class="card">
                            <PinStep pending finish resend change
                                flash_error=flash.error flash_notice=flash.notice />
                        </section>
                    }.into_any()
                }
                Ok(LoginStatus { step: LoginStep::SignedIn { .. }, .. }) => view! { <Redirect path="/" /> }.into_any(),
                Ok(LoginStatus { dev_outbox, .. }) => match action_error() {
                    // The pending login just ended (expired or too many tries): say why here.
                    Some(error) => view! {
                        <DevBanner show=dev_outbox />
                        <section class="card">
                            <h1>"Enter your code"</h1>
                            <FieldError id="code-error" message=Signal::derive(move || Some(error.message())) />
                            <a class="button" href="/login">"Get a new code"</a>
                        </section>
                    }.into_any(),
                    None => view! { <Redirect path="/login" /> }.into_any(),
                },
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
