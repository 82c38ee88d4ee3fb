use crate::auth::api::{get_account, get_login_status, Logout};
use crate::auth::passkey_api::RemovePasskey;
use crate::auth::{AccountView, LoginStatus, LoginStep};
use crate::components::format::utc_datetime;
use crate::components::{AddPasskey, DevBanner, LogoutButton, PasskeyList};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;

/// `/account`: signed-in only. Signed out, it sends the visitor to sign in and back here.
/// Shows the account and its passkeys: add one, remove one (within 10 minutes of signing in).
#[component]
pub fn AccountPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_login_status());
    let remove = ServerAction::<RemovePasskey>::new();
    let added = RwSignal::new(0u32);
    // Read again after a passkey is added or removed.
    let account = Resource::new(
        move || (remove.version().get(), added.get()),
        |_| get_account(),
    );
    let logout = ServerAction::<Logout>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            navigate("/", Default::default());
        }
    });
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
