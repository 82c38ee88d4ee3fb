use crate::auth::passkey_api::RemovePasskey;
use crate::auth::PasskeyView;
use crate::components::format::date_time;
use app_core::i18n::{t, td_string, use_i18n, Locale};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The offer beside "Remove" when the passkey signed in other sessions.
fn sessions_it_opened(locale: Locale, count: u32) -> String {
    td_string!(locale, passkey.end_sessions, count = count)
}

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
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if passkeys.is_empty() {
        return view! { <p class="hint">{t!(i18n, passkey.none)}</p> }.into_any();
    }
    let busy = remove.pending();
    view! {
        <ul class="passkeys">
            {passkeys.into_iter().map(|passkey| {
                let used = passkey
                    .last_used_at
                    .map_or_else(|| td_string!(locale, passkey.never).to_owned(), |at| date_time(locale, at));
                let label = td_string!(locale, passkey.remove_label, name = passkey.name.as_str());
                let details = td_string!(
                    locale,
                    passkey.details,
                    when = date_time(locale, passkey.created_at),
                    used = used
                );
                let id = passkey.id.clone();
                let open = passkey.open_sessions;
                // Ending what the passkey opened is offered, and on unless unticked.
                let end_sessions = RwSignal::new(open > 0);
                let submit = move |ev: SubmitEvent| {
                    ev.prevent_default();
                    if !busy.get_untracked() {
                        let end_sessions = end_sessions.get_untracked().then(|| "on".to_owned());
                        remove.dispatch(RemovePasskey { id: id.clone(), end_sessions });
                    }
                };
                view! {
                    <li class="passkey">
                        <span class="passkey-name">{passkey.name.clone()}</span>
                        <span class="hint">{details}</span>
                        {can_change.then(|| view! {
                            <form method="post" action=RemovePasskey::url() on:submit=submit>
                                <input type="hidden" name="id" value=passkey.id.clone() />
                                {(open > 0).then(|| view! {
                                    <label class="end-with-passkey">
                                        <input type="checkbox" name="end_sessions" value="on"
                                            prop:checked=move || end_sessions.get()
                                            on:change=move |ev| end_sessions.set(event_target_checked(&ev)) />
                                        {sessions_it_opened(locale, open)}
                                    </label>
                                })}
                                <button type="submit" class="link" aria-label=label disabled=move || busy.get()>{t!(i18n, passkey.remove)}</button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
