use crate::auth::passkey_api::RemovePasskey;
use crate::auth::PasskeyView;
use crate::components::format::utc_datetime;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The account's passkeys with when each was added and last used, each with "Remove" (a
/// form post to the `passkey_remove` server function, so it works without JavaScript too;
/// with it, the page's action runs instead and the list is read again).
#[component]
pub fn PasskeyList(
    /// The passkeys, oldest first.
    passkeys: Vec<PasskeyView>,
    /// Whether "Remove" is offered (the sign-in is recent enough to change passkeys).
    can_change: bool,
    /// The remove action, owned by the page so it can reload the list.
    remove: ServerAction<RemovePasskey>,
) -> impl IntoView {
    if passkeys.is_empty() {
        return view! { <p class="hint">"No passkeys yet."</p> }.into_any();
    }
    let busy = remove.pending();
    view! {
        <ul class="passkeys">
            {passkeys.into_iter().map(|passkey| {
                let used = passkey
                    .last_used_at
                    .map_or_else(|| "never".to_owned(), utc_datetime);
                let label = format!("Remove {}", passkey.name);
                let id = passkey.id.clone();
                let submit = move |ev: SubmitEvent| {
                    ev.prevent_default();
                    if !busy.get_untracked() {
                        remove.dispatch(RemovePasskey { id: id.clone() });
                    }
                };
                view! {
                    <li class="passkey">
                        <span class="passkey-name">{passkey.name.clone()}</span>
                        <span class="hint">"Added " {utc_datetime(passkey.created_at)} " · Last used " {used}</span>
                        {can_change.then(|| view! {
                            <form method="post" action=RemovePasskey::url() on:submit=submit>
                                <input type="hidden" name="id" value=passkey.id.clone() />
                                <button type="submit" class="link" aria-label=label disabled=move || busy.get()>"Remove"</button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
