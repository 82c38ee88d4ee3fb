use crate::auth::api::{get_account, get_login_status, Logout};
use crate::auth::passkey_api::RemovePasskey;
use crate::auth::session_api::{EndOtherSessions, EndSession};
use crate::auth::AccountView;
use crate::components::format::date_time;
use crate::components::{
    AddPasskey, DevBanner, LogoutButton, PasskeyList, SessionList, SignedInOnly,
};
use app_core::i18n::{t, t_string, td_string, use_i18n, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

/// `/account`: signed-in only (`<SignedInOnly>`): signed out, it sends the visitor to sign
/// in and back here.
/// Shows the account and its passkeys: add one, remove one (within 10 minutes of signing in);
/// and where it is signed in: sign out any other session, or all of them.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let status = Resource::new(|| (), |_| get_login_status());
    let remove = ServerAction::<RemovePasskey>::new();
    let end_one = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let added = RwSignal::new(0u32);
    // Read again after a passkey is added or removed, or a session signed out.
    let account = Resource::new(
        move || {
            (
                remove.version().get(),
                added.get(),
                end_one.version().get(),
                end_others.version().get(),
            )
        },
        |_| get_account(),
    );
    let logout = ServerAction::<Logout>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let this_browser_out = matches!(end_one.value().get(), Some(Ok(true)));
        if this_browser_out || matches!(logout.value().get(), Some(Ok(()))) {
            navigate("/", Default::default());
        }
    });
    let sessions_error = move || {
        let one = end_one.value().get().and_then(Result::err);
        let others = end_others.value().get().and_then(Result::err);
        one.or(others).map(|failure| failure.message(locale))
    };
    let sessions_notice = move || match end_others.value().get() {
        Some(Ok(0)) => Some(td_string!(locale, account.no_other_sessions).to_owned()),
        Some(Ok(n)) => Some(td_string!(locale, account.signed_out_others, count = n)),
        _ => None,
    };
    let remove_error = move || {
        remove
            .value()
            .get()
            .and_then(Result::err)
            .map(|failure| failure.message(locale))
    };

    view! {
        <Title text=t_string!(i18n, account.title) />
        <SignedInOnly let:me>
            <Suspense fallback=move || view! { <p class="card">{t!(i18n, common.loading)}</p> }>
            {let me = me.clone(); move || status.get().map(|result| {
                let (dev_outbox, passkey_rp_id, flash) = match result {
                    Ok(status) => (status.dev_outbox, status.passkey_rp_id, status.flash),
                    Err(_) => (false, None, None),
                };
                let flash_error = flash.and_then(|f| f.error).map(|e| e.message(locale));
                view! {
                    <DevBanner show=dev_outbox />
                    <section class="card">
                        <h1>{t!(i18n, account.title)}</h1>
                        <dl class="facts">
                            <dt>{t!(i18n, account.phone_number)}</dt>
                            <dd class="number" dir="ltr">{me.shown_number.clone()}</dd>
                            <dt>{t!(i18n, account.signed_in_since)}</dt>
                            <dd>{date_time(locale, me.since)}</dd>
                            {move || account.get().map(|found| account_facts(found, locale))}
                        </dl>
                        <h2>{t!(i18n, account.passkeys)}</h2>
                        <p>{t!(i18n, account.passkeys_intro)}</p>
                        <p class="field-error" role="alert">{flash_error}{remove_error}</p>
                        {move || account.get().map(|found| match found {
                            Ok(Some(account)) => passkeys_section(account, passkey_rp_id.clone(), remove, added).into_any(),
                            _ => ().into_any(),
                        })}
                        <h2>{t!(i18n, account.sessions)}</h2>
                        <p>{t!(i18n, account.sessions_intro)}</p>
                        <p class="field-error" role="alert">{sessions_error}</p>
                        <p class="notice" role="status">{sessions_notice}</p>
                        {move || account.get().map(|found| match found {
                            Ok(Some(account)) => view! {
                                <SessionList sessions=account.sessions end_one end_others />
                            }.into_any(),
                            _ => ().into_any(),
                        })}
                        <LogoutButton action=logout />
                        <p class="alt"><a href="/">{t!(i18n, common.home)}</a></p>
                    </section>
                }
            })}
            </Suspense>
        </SignedInOnly>
    }
}

/// The account's own facts: when it was created, and whether it is a test account.
fn account_facts(
    found: Result<Option<AccountView>, crate::auth::AuthError>,
    locale: Locale,
) -> AnyView {
    match found {
        Ok(Some(account)) => view! {
            <dt>{td_string!(locale, account.created)}</dt>
            <dd>{date_time(locale, account.created_at)}</dd>
            {account.test_account.then(|| view! {
                <dt>{td_string!(locale, account.kind)}</dt>
                <dd class="test-account">{td_string!(locale, account.test_account)}</dd>
            })}
        }
        .into_any(),
        Ok(None) => ().into_any(),
        Err(error) => view! {
            <dt>{td_string!(locale, account.account)}</dt>
            <dd class="field-error">{error.message(locale)}</dd>
        }
        .into_any(),
    }
}

/// The passkey list, and "Add a passkey" while this sign-in may still change them.
fn passkeys_section(
    account: AccountView,
    rp_id: Option<String>,
    remove: ServerAction<RemovePasskey>,
    added: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let can_change = account.passkey_changes_for_secs > 0;
    let on_added = Callback::new(move |_| added.update(|n| *n += 1));
    view! {
        <PasskeyList passkeys=account.passkeys can_change remove />
        {if can_change {
            view! { <AddPasskey rp_id on_added /> }.into_any()
        } else {
            view! { <p class="hint">{t!(i18n, account.passkeys_locked)}</p> }.into_any()
        }}
    }
}
