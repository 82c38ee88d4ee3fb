use crate::auth::api::Logout;
use app_core::i18n::{t_string, use_i18n};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// "Log out": calls the `logout` server function (the form posts to it without JavaScript)
/// and shows "Logging out…" while it runs. The owner passes `action` to refresh or leave
/// when it succeeds.
#[component]
pub fn LogoutButton(
    /// The logout action, owned by the page so it can react to its result.
    action: ServerAction<Logout>,
) -> impl IntoView {
    let i18n = use_i18n();
    let busy = action.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !busy.get_untracked() {
            action.dispatch(Logout {});
        }
    };
    view! {
        <form method="post" action=Logout::url() on:submit=submit aria-busy=move || busy.get().to_string()>
            <button type="submit" class="secondary" disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, logout.busy) } else { t_string!(i18n, logout.button) }}
            </button>
        </form>
    }
}
