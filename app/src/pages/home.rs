use crate::auth::api::{get_login_status, Logout};
use crate::auth::{LoginStatus, LoginStep};
use crate::components::{DevBanner, LogoutButton, PasskeyOffer};
use app_core::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/`: greets the signed-in number with a Log out button, or offers to sign in.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let logout = ServerAction::<Logout>::new();
    // Read again after a logout, so the page turns to "Welcome" in place.
    let status = Resource::new(move || logout.version().get(), |_| get_login_status());

    view! {
        <Title text=t_string!(i18n, home.title) />
        <Suspense fallback=move || view! { <p class="card">{t!(i18n, common.loading)}</p> }>
            {move || status.get().map(|result| match result {
                Ok(LoginStatus { step: LoginStep::SignedIn { number, .. }, dev_outbox, passkey_rp_id, .. }) => view! {
                    <DevBanner show=dev_outbox />
                    <section class="card">
                        <h1>{t!(i18n, home.hello, number = move || view! {
                            <span class="number" dir="ltr">{number.clone()}</span>
                        })}</h1>
                        <p>{t!(i18n, home.signed_in)} " " <a href="/account">{t!(i18n, home.your_account)}</a></p>
                        <PasskeyOffer rp_id=passkey_rp_id />
                        <LogoutButton action=logout />
                    </section>
                }.into_any(),
                Ok(status) => view! {
                    <DevBanner show=status.dev_outbox />
                    <section class="card">
                        <h1>{t!(i18n, home.welcome)}</h1>
                        <p>{t!(i18n, home.welcome_text)}</p>
                        <a class="button" href="/login">{t!(i18n, common.sign_in)}</a>
                    </section>
                }.into_any(),
                Err(error) => view! {
                    <section class="card">
                        <h1>{t!(i18n, home.welcome)}</h1>
                        <p class="field-error" role="alert">{error.message(locale)}</p>
                        <a class="button" href="/login">{t!(i18n, common.sign_in)}</a>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}
