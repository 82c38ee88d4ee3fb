use crate::auth::api::get_login_status;
use crate::auth::{LoginStatus, LoginStep};
use crate::components::{DevBanner, FieldError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login`: the phone step. With JavaScript the form posts in the background and moves to
/// `/verify` on success; without, the server answers 303.
#[component]
pub fn LoginPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_login_status());
    let next = move || {
        use_query_map()
            .read()
            .get("next")
            .and_then(|n| crate::auth::safe_next(&n))
    };

    view! {
        <Title text="Sign in" />
        <Suspense fallback=|| view! { <p class="card">"Loading…"</p> }>
            {move || status.get().map(|result| {
                // If the status cannot be read, still offer the form and say why.
                let (status, load_error) = match result {
                    Ok(status) => (status, None),
                    Err(error) => {
                        let signed_out = LoginStatus { step: LoginStep::SignedOut, flash: None, dev_outbox: false };
                        (signed_out, Some(error.message()))
                    }
                };
                let flash_error = status.flash.as_ref().and_then(|f| f.error.as_ref()).map(|e| e.message()).or(load_error);
                let typed = status.flash.and_then(|f| f.typed_number).unwrap_or_default();
                let error = Signal::derive(move || flash_error.clone());
                let pending_hint = match &status.step {
                    LoginStep::Pending(pending) => Some(view! {
                        <p class="notice">"A code was already sent to " {pending.number.clone()} ". "
                            <a href="/verify">"Enter it"</a></p>
                    }),
                    _ => None,
                };
                view! {
                    <DevBanner show=status.dev_outbox />
                    <section class="card">
                        <h1>"Sign in"</h1>
                        <p>"Enter your phone number. We'll send you a 6-digit code by text message."</p>
                        {pending_hint}
                        <form method="post" action="/api/start_login" class="stack" novalidate>
                            <label for="number">"Phone number"</label>
                            <input id="number" name="number" type="tel" autocomplete="tel" inputmode="tel"
                                required maxlength="40" autofocus value=typed
                                aria-describedby="number-hint number-error"
                                aria-invalid=move || error.get().is_some().to_string() />
                            <p id="number-hint" class="hint">"Include the country code for numbers outside your country, e.g. +44 7400 123123."</p>
                            <FieldError id="number-error" message=error />
                            {next().map(|path| view! { <input type="hidden" name="next" value=path /> })}
                            <button type="submit">"Send code"</button>
                        </form>
                    </section>
                }
            })}
        </Suspense>
    }
}
