use crate::auth::api::SilentResult;
use crate::auth::{Flash, SilentOutcome};
use crate::components::{go_to, CarriedNote};
use app_core::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

/// `/login/silent`: where the mobile network sends the browser back after silent
/// authentication, with the result in the address fragment, which only the page's script
/// can read. It hands the fragment as it is to the `silent_result` server function (which
/// reads it) and goes on: signed in, or to the code step saying a code is on its way.
/// Without JavaScript the fragment never leaves the browser: the page offers "Send me a
/// code instead" (a plain post), hidden once the script runs.
#[component]
pub fn SilentReturnPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let report = ServerAction::<SilentResult>::new();
    let error = RwSignal::new(None::<String>);
    // Until the script runs, the page is what a browser without JavaScript keeps.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| {
        hydrated.set(true);
        let fragment = window().location().hash().ok();
        report.dispatch(SilentResult { fragment });
    });
    let navigate = use_navigate();
    Effect::new(move |_| match report.value().get() {
        Some(Ok(SilentOutcome::SignedIn(destination))) => go_to(&navigate, &destination),
        Some(Ok(SilentOutcome::CodeSent(note))) => {
            CarriedNote::leave(Flash {
                notice: Some(note),
                ..Flash::default()
            });
            navigate("/verify", Default::default());
        }
        Some(Err(failure)) if failure.restarts_login() => {
            CarriedNote::leave(Flash {
                error: Some(failure),
                ..Flash::default()
            });
            navigate("/login", Default::default());
        }
        Some(Err(failure)) => error.set(Some(failure.message(locale))),
        None => {}
    });
    view! {
        <Title text=t_string!(i18n, silent.title) />
        <section class="card">
            <h1>{t!(i18n, silent.title)}</h1>
            <p role="status">{t!(i18n, silent.returning)}</p>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <div hidden=move || hydrated.get()>
                <p>{t!(i18n, silent.no_result)}</p>
                <form method="post" action=SilentResult::url()>
                    <button type="submit">{t!(i18n, silent.send_code)}</button>
                </form>
            </div>
            <Show when=move || error.with(Option::is_some)>
                <a class="button" href="/verify">{t!(i18n, common.try_again)}</a>
            </Show>
        </section>
    }
}
