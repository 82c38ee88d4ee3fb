use app_core::i18n::{t, td_string, use_i18n};
use app_core::language::{all, tag, SetLanguage};
use leptos::html::Form;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_location;

/// The language menu on every page: each language named in itself, the current one
/// selected. A plain form post to `set_language`, which remembers the choice in a cookie and
/// answers 303 back to this page, rendered by the server in the new language; so it works
/// without JavaScript (the "Change" button), and with it choosing is enough.
#[component]
pub fn LanguageMenu() -> impl IntoView {
    let i18n = use_i18n();
    let current = i18n.get_locale_untracked();
    let location = use_location();
    // The router's `search` has no leading `?`.
    let back = move || {
        let search = location.search.get();
        let mark = if search.is_empty() { "" } else { "?" };
        format!("{}{mark}{search}", location.pathname.get())
    };
    let form = NodeRef::<Form>::new();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let choose = move |_| {
        if let Some(form) = form.get_untracked() {
            let _ = form.submit();
        }
    };
    view! {
        <form node_ref=form class="language-menu" method="post" action=SetLanguage::url()>
            <label for="language">{t!(i18n, language.label)}</label>
            <select id="language" name="lang" on:change=choose>
                {all().iter().map(|&locale| view! {
                    <option value=tag(locale) lang=tag(locale) selected=locale == current>
                        {td_string!(locale, language.name)}
                    </option>
                }).collect_view()}
            </select>
            <input type="hidden" name="back" value=back />
            <button type="submit" class="secondary" hidden=move || hydrated.get()>
                {t!(i18n, language.apply)}
            </button>
        </form>
    }
}
