use crate::auth::api::get_login_status;
use crate::auth::{AuthError, LoginStatus, LoginStep};
use crate::components::{CarriedNote, DevBanner, PasskeySignIn, PhoneStep};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login`: the phone step, with a link back to a code already on its way.
#[component]
pub fn LoginPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_login_status());
    let next = move || {
        use_query_map()
            .read_untracked()
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
                        let signed_out = LoginStatus { step: LoginStep::SignedOut, flash: None, dev_outbox: false, passkey_rp_id: None };
                        (signed_out, Some(error.message()))
                    }
                };
                // A note from the step before (client-side) wins over the server's flash.
                let note = CarriedNote::take().or(status.flash).unwrap_or_default();
                let challenge = match &note.error {
                    Some(AuthError::ChallengeRequired { widget, .. }) => Some(widget.clone()),
                    _ => None,
                };
                let error = note.error.map(|e| e.message()).or(load_error);
                let typed = note.typed_number.unwrap_or_default();
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
                        <PhoneStep typed initial_error=error next=next() initial_challenge=challenge />
                        <PasskeySignIn rp_id=status.passkey_rp_id next=next() />
                    </section>
                }
            })}
        </Suspense>
    }
}
