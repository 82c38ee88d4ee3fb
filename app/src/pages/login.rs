use crate::auth::api::{get_login_status, StartLogin};
use crate::auth::{LoginStatus, LoginStep};
use crate::components::{DevBanner, FieldError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

/// `/login`: the phone step. With JavaScript the form posts in the background and moves to
/// `/verify` on success; without, the server answers 303.
#[component]
pub fn LoginPage() -> impl IntoView {
    let start = ServerAction::<StartLogin>::new();
    let status = Resource::new(|| (), |_| get_login_status());
    // Where to go after sign-in; checked again on the server (`safe_next`).
    let next = move || {
        use_query_map()
            .read()
            .get("next")
            .and_then(|n| crate::auth::safe_next(&n))
    };
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = start.value().get() {
            navigate("/verify", Default::default());
        }
    });

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
                let error = Signal::derive(move || match start.value().get() {
                    Some(Err(e)) => Some(e.message()),
                    Some(Ok(())) => None,
                    None => flash_error.clone(),
                });
                // Focus the field on arrival (also after client-side navigation, where
                // `autofocus` does nothing) and after each failure.
                let number_input = NodeRef::<leptos::html::Input>::new();
                Effect::new(move |_| {
                    let failed = error.get().is_some();
                    if let Some(input) = number_input.get() {
                        let _ = input.focus();
                        if failed {
                            input.select();
                        }
                    }
                });
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
                        <ActionForm action=start attr:class="stack" attr:novalidate=true>
                            <label for="number">"Phone number"</label>
                            <input id="number" name="number" type="tel" node_ref=number_input autocomplete="tel" inputmode="tel"
                                required maxlength="40" autofocus value=typed
                                aria-describedby="number-hint number-error"
                                aria-invalid=move || error.get().is_some().to_string() />
                            <p id="number-hint" class="hint">"Include the country code for numbers outside your country, e.g. +44 7400 123123."</p>
                            <FieldError id="number-error" message=error />
                            {next().map(|path| view! { <input type="hidden" name="next" value=path /> })}
                            <button type="submit" disabled=move || start.pending().get()>
                                {move || if start.pending().get() { "Sending code…" } else { "Send code" }}
                            </button>
                        </ActionForm>
                    </section>
                }
            })}
        </Suspense>
    }
}
