use crate::auth::api::{get_account, get_login_status, Logout};
use crate::auth::passkey_api::RemovePasskey;
use crate::auth::session_api::{EndOtherSessions, EndSession};
use crate::auth::{AccountView, LoginStatus, LoginStep};
use crate::components::format::utc_datetime;
use crate::components::{AddPasskey, DevBanner, LogoutButton, PasskeyList, SessionList};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;

/// `/account`: signed-in only. Signed out, it sends the visitor to sign in and back here.
/// Shows the account and its passkeys: add one, remove one (within 10 minutes of signing in);
/// and where it is signed in: sign out any other session, or all of them.
#[component]
pub fn AccountPage() -> impl IntoView {
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
        one.or(others).map(|failure| failure.message())
    };
    let sessions_notice = move || match end_others.value().get() {
        Some(Ok(0)) => Some("No other sessions were signed in.".to_owned()),
        Some(Ok(1)) => Some("Signed out 1 other session.".to_owned()),
        Some(Ok(n)) => Some(format!("Signed out {n} other sessions.")),
        _ => None,
    };
    let remove_error = move || {
        remove
            .value()
            .get()
            .and_then(Result::err)
            .map(|failure| failure.message())
    };

    view! {
        <Title text="Your account" />
        <Suspense fallback=|| view! { <p class="card">"Loading…"</p> }>
            {move || status.get().map(|result| match result {
                Ok(LoginStatus { step: LoginStep::SignedIn { number, since }, dev_outbox, passkey_rp_id, flash }) => {
                    let flash_error = flash.and_then(|f| f.error).map(|e| e.message());
                    view! {
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
                                    {account.test_account.then(|| view! {
                                        <dt>"Kind"</dt>
                                        <dd class="test-account">"Test account: signs in with its fixed code; nothing is sent to it"</dd>
                                    })}
                                }.into_any(),
                                Ok(None) => ().into_any(),
                                Err(error) => view! {
                                    <dt>"Account"</dt>
                                    <dd class="field-error">{error.message()}</dd>
                                }.into_any(),
                            })}
                        </dl>
                        <h2>"Passkeys"</h2>
                        <p>"Sign in with your fingerprint, face or screen lock instead of a code: a passkey can't be phished or intercepted, and no message is sent."</p>
                        <p class="field-error" role="alert">{flash_error}{remove_error}</p>
                        {move || account.get().map(|found| match found {
                            Ok(Some(account)) => passkeys_section(account, passkey_rp_id.clone(), remove, added).into_any(),
                            _ => ().into_any(),
                        })}
                        <h2>"Where you're signed in"</h2>
                        <p>"Sign out anywhere you don't recognise. A signed-out browser has to get a new code, or use a passkey, to come back."</p>
                        <p class="field-error" role="alert">{sessions_error}</p>
                        <p class="notice" role="status">{sessions_notice}</p>
                        {move || account.get().map(|found| match found {
                            Ok(Some(account)) => view! {
                                <SessionList sessions=account.sessions end_one end_others />
                            }.into_any(),
                            _ => ().into_any(),
                        })}
                        <LogoutButton action=logout />
                        <p class="alt"><a href="/">"Home"</a></p>
                    </section>
                }.into_any()},
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

/// The passkey list, and "Add a passkey" while this sign-in may still change them.
fn passkeys_section(
    account: AccountView,
    rp_id: Option<String>,
    remove: ServerAction<RemovePasskey>,
    added: RwSignal<u32>,
) -> impl IntoView {
    let can_change = account.passkey_changes_for_secs > 0;
    let on_added = Callback::new(move |_| added.update(|n| *n += 1));
    view! {
        <PasskeyList passkeys=account.passkeys can_change remove />
        {if can_change {
            view! { <AddPasskey rp_id on_added /> }.into_any()
        } else {
            view! {
                <p class="hint">"For your safety, passkeys can be added or removed only within 10 minutes of signing in. Sign out and sign in again to change them."</p>
            }.into_any()
        }}
    }
}
