use crate::auth::passkey_api::RemovePasskey;
use crate::auth::PasskeyView;
use crate::components::format::utc_datetime;
use leptos::prelude::*;

/// The account's passkeys with when each was added and last used, each with "Remove" (a
/// form post to the `passkey_remove` server function, so it works without JavaScript too).
/// `can_change` is false once the sign-in is too old to change passkeys.
#[component]
pub fn PasskeyList(
    /// The passkeys, oldest first.
    passkeys: Vec<PasskeyView>,
    /// Whether "Remove" is offered.
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
                view! {
                    <li class="passkey">
                        <span class="passkey-name">{passkey.name.clone()}</span>
                        <span class="hint">"Added " {utc_datetime(passkey.created_at)} " · Last used " {used}</span>
                        {can_change.then(|| view! {
                            <ActionForm action=remove>
                                <input type="hidden" name="id" value=passkey.id.clone() />
                                <button type="submit" class="link" aria-label=label disabled=move || busy.get()>"Remove"</button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
