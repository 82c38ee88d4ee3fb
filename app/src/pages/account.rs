use crate::auth::api::{get_account, get_login_status, Logout};
use crate::auth::{LoginStatus, LoginStep};
use crate::components::format::utc_datetime;
use crate::components::{DevBanner, LogoutButton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;

/// `/account`: signed-in only. Signed out, it sends the visitor to sign in and back here.
#[component]
pub fn AccountPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_login_status());
    let account = Resource::new(|| (), |_| get_account());
    let logout = ServerAction::<Logout>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            navigate("/", Default::default());
        }
    });

    view! {
        <Title text="Your account" />
        <Suspense fallback=|| view! { <p class="card">"Loading…"</p> }>
            {move || status.get().map(|result| match result {
                Ok(LoginStatus { step: LoginStep::SignedIn { number, since }, dev_outbox, .. }) => view! {
                    <DevBanner show=dev_outbox />
                    <section class="card">
                        <h1>"Your account"</h1>
                        <dl class="facts">
                            <dt>"Phone number"</dt>
                            <dd class="number">{number}</dd>
                            <dt>"Signed in since"</dt>
                            <dd>{utc_datetime(since)}</dd>
                            {move || account.get().map(|found| match found {
                                Ok(Some(account)) => view! {
                                    <dt>"Account created"</dt>
                                    <dd>{utc_datetime(account.created_at)}</dd>
                                }.into_any(),
                                Ok(None) => ().into_any(),
                                Err(error) => view! {
                                    <dt>"Account"</dt>
                                    <dd class="field-error">{error.message()}</dd>
                                }.into_any(),
                            })}
                        </dl>
                        <LogoutButton action=logout />
                        <p class="alt"><a href="/">"Home"</a></p>
                    </section>
                }.into_any(),
                Ok(_) => view! { <Redirect path="/login?next=/account" /> }.into_any(),
                Err(error) => view! {
                    <section class="card">
                        <h1>"Your account"</h1>
                        <p class="field-error" role="alert">{error.message()}</p>
                        <a class="button" href="/account">"Try again"</a>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}
