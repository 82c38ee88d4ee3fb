use app_core::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// The page for unknown paths (status 404 on the server).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, not_found.title) />
        <section class="card">
            <h1>{t!(i18n, not_found.heading)}</h1>
            <p><a href="/">{t!(i18n, not_found.start_page)}</a></p>
        </section>
    }
}
