//! The HTML shell and the router.

use crate::components::{CachedStylesheet, CarriedNote, LanguageMenu};
use crate::pages::{AccountPage, HomePage, LoginPage, NotFound, SilentReturnPage, VerifyPage};
use app_core::i18n::{t_string, use_i18n, I18nContextProvider};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The full HTML document the server renders around [`App`]. Only the server renders it;
/// the browser hydrates `<body>`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::security::set_page_csp(&options);
    view! {
        <!DOCTYPE html>
        // `lang` and `dir` come from the visitor's language (`I18nContextProvider`).
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // Content-hashed file names (cargo-leptos `hash-files`), so they can be cached forever.
                <CachedStylesheet options=options.clone() />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app: four routes rendered on the server first, then hydrated and routed in the
/// browser, so moving between steps never loads a new document. Pages render with
/// `SsrMode::Async` so that headers set while rendering (the expiring `flash` cookie, a
/// redirect) are complete before headers are sent. Every text is in the visitor's language,
/// chosen on the server (`app_core::language`) and read back from `<html lang>` when the
/// browser hydrates, so the page never flashes another language.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider enable_cookie=false ssr_lang_header_getter=chosen_language()>
            <Routed />
        </I18nContextProvider>
    }
}

/// What the server renders the page in: the one language `app_core::language` chose, handed
/// to the translations as if it were the only `Accept-Language` range.
fn chosen_language() -> leptos_i18n::context::UseLocalesOptions {
    #[cfg(feature = "ssr")]
    {
        let tag = app_core::language::tag(app_core::language::request_locale());
        leptos_i18n::context::UseLocalesOptions::default()
            .ssr_lang_header_getter(move || Some(tag.to_owned()))
    }
    #[cfg(not(feature = "ssr"))]
    Default::default()
}

/// The router and the page frame, inside the translations' context.
#[component]
fn Routed() -> impl IntoView {
    let i18n = use_i18n();
    provide_context(CarriedNote::default());
    // Lets end-to-end tests wait for hydration instead of sleeping.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Title formatter=|page: String| format!("{page} · Passwordless") />
        <Meta name="description" content=t_string!(i18n, meta.description) />
        <Router>
            <main data-hydrated=move || hydrated.get().to_string()>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/login/silent") view=SilentReturnPage />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer>
                <LanguageMenu />
            </footer>
        </Router>
    }
}
