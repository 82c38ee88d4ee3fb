//! `<SignedInOnly>`: the wrapper for a page only signed-in people may see.

use super::destination::login_for;
use crate::auth::api::get_signed_in;
use crate::auth::{AuthError, SignedInAccount};
use app_core::i18n::{t, use_i18n};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Renders `children` with the signed-in account; signed out, redirects to
/// `/login?next=<this page>` (a `302` from the server without JavaScript, a client-side
/// navigation with it), and sign-in comes back here. Any other failure (the store is
/// down) is said on the page with a "Try again" link.
///
/// ```ignore
/// <SignedInOnly let:me>
///     <p>{me.shown_number}</p>
/// </SignedInOnly>
/// ```
#[component]
pub fn SignedInOnly<C, V>(
    /// The page, given the signed-in account.
    children: C,
) -> impl IntoView
where
    C: Fn(SignedInAccount) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let me = Resource::new(|| (), |_| get_signed_in());
    let location = use_location();
    let here = move || {
        let path = location.pathname.get_untracked();
        // The router's `search` is the query without its `?`.
        match location.search.get_untracked() {
            query if query.is_empty() => path,
            query => format!("{path}?{query}"),
        }
    };
    view! {
        <Suspense fallback=move || view! { <p class="card">{t!(i18n, common.loading)}</p> }>
            {move || me.get().map(|found| match found {
                Ok(account) => children(account).into_any(),
                Err(AuthError::NotSignedIn) => {
                    view! { <Redirect path=login_for(&here()) /> }.into_any()
                }
                Err(error) => view! {
                    <section class="card">
                        <p class="field-error" role="alert">{error.message(locale)}</p>
                        <a class="button" href=here()>{t!(i18n, common.try_again)}</a>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}
