//! The HTML shell and the router.

use crate::components::{CachedStylesheet, CarriedNote};
use crate::pages::{AccountPage, HomePage, LoginPage, NotFound, VerifyPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
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
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name="description" content="Sign in with your phone number: no password." />
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
/// redirect) are complete before headers are sent.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(CarriedNote::default());
    // Lets end-to-end tests wait for hydration instead of sleeping.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Title formatter=|page: String| format!("{page} · Passwordless") />
        <Router>
            <main data-hydrated=move || hydrated.get().to_string()>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
