use crate::auth::api::{get_login_status, FinishLogin};
use crate::auth::{LoginStatus, LoginStep};
use crate::components::{DevBanner, FieldError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_navigate};

/// `/verify`: the PIN step. Shows where the code went and how many tries are left; a right
/// code signs in and moves to `/`.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let finish = ServerAction::<FinishLogin>::new();
    let status = Resource::new(move || finish.version().get(), |_| get_login_status());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = finish.value().get() {
            navigate("/", Default::default());
        }
    });
    let action_error = move || finish.value().get().and_then(Result::err);

    view! {
        <Title text="Enter your code" />
        <Suspense fallback=|| view! { <p class="card">"Loading…"</p> }>
            {move || status.get().map(|result| match result {
                Ok(LoginStatus { step: LoginStep::Pending { number, attempts_left }, flash, dev_outbox }) => {
                    let flash_error = flash.map(|f| f.error);
                    let error = Signal::derive(move || {
                        action_error().or_else(|| flash_error.clone()).map(|e| e.message())
                    });
                    view! {
                        <DevBanner show=dev_outbox />
                        <section class="card">
                            <h1>"Enter your code"</h1>
                            <p>"We sent a text message with a 6-digit code to "
                                <strong class="number">{number}</strong> "."</p>
                            <ActionForm action=finish attr:class="stack" attr:novalidate=true>
                                <label for="code">"Code"</label>
                                <input id="code" name="code" type="text" autocomplete="one-time-code"
                                    inputmode="numeric" pattern="[0-9 -]*" maxlength="12" required autofocus
                                    aria-describedby="code-hint code-error"
                                    aria-invalid=move || error.get().is_some().to_string() />
                                <p id="code-hint" class="hint">
                                    // The error already counts attempts; don't say it twice.
                                    {move || if error.get().is_some() { BASE_HINT.to_owned() } else { attempts_hint(attempts_left) }}
                                </p>
                                <FieldError id="code-error" message=error />
                                <button type="submit" disabled=move || finish.pending().get()>
                                    {move || if finish.pending().get() { "Checking…" } else { "Sign in" }}
                                </button>
                            </ActionForm>
                            <p class="alt"><a href="/login">"Use a different number"</a></p>
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

const BASE_HINT: &str = "Type the digits from the text message. Codes expire after a few minutes.";

fn attempts_hint(attempts_left: u32) -> String {
    match attempts_left {
        1 => "Last attempt: a wrong code cancels this one.".to_owned(),
        n => format!("{BASE_HINT} {n} attempts."),
    }
}
