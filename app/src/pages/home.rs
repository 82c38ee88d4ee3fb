use crate::auth::api::{get_login_status, Logout};
use crate::auth::{LoginStatus, LoginStep};
use crate::components::{DevBanner, LogoutButton, PasskeyOffer};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/`: greets the signed-in number with a Log out button, or offers to sign in.
#[component]
pub fn HomePage() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    // Read again after a logout, so the page turns to "Welcome" in place.
    let status = Resource::new(move || logout.version().get(), |_| get_login_status());

    view! {
        <Title text="Home" />
        <Suspense fallback=|| view! { <p class="card">"Loading…"</p> }>
            {move || status.get().map(|result| match result {
                Ok(LoginStatus { step: LoginStep::SignedIn { number, .. }, dev_outbox, passkey_rp_id, .. }) => view! {
                    <DevBanner show=dev_outbox />
                    <section class="card">
                        <h1>"Hello " <span class="number">{number}</span></h1>
                        <p>"You're signed in with your phone number. " <a href="/account">"Your account"</a></p>
                        <PasskeyOffer rp_id=passkey_rp_id />
                        <LogoutButton action=logout />
                    </section>
                }.into_any(),
                Ok(status) => view! {
                    <DevBanner show=status.dev_outbox />
                    <section class="card">
                        <h1>"Welcome"</h1>
                        <p>"Sign in with just your phone number: we'll text you a code. No password needed."</p>
                        <a class="button" href="/login">"Sign in"</a>
                    </section>
                }.into_any(),
                Err(error) => view! {
                    <section class="card">
                        <h1>"Welcome"</h1>
                        <p class="field-error" role="alert">{error.message()}</p>
                        <a class="button" href="/login">"Sign in"</a>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}
