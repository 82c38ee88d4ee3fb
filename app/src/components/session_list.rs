use crate::auth::session_api::{EndOtherSessions, EndSession};
use crate::auth::SessionView;
use crate::components::format::date_time;
use app_core::i18n::{t, td_string, use_i18n};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The account's signed-in sessions: browser and system, coarse network, how and when each
/// signed in and was last seen, "This browser" marked. Each other session has "Sign out";
/// with two or more, "Sign out everywhere else". Every button is a form post to its server
/// function, so it works without JavaScript; with it, the page's actions run instead and the
/// list is read again.
#[component]
pub fn SessionList(
    /// The sessions, oldest sign-in first.
    sessions: Vec<SessionView>,
    /// Signs out one session, owned by the page so it can reload the list.
    end_one: ServerAction<EndSession>,
    /// Signs out every other session, owned by the page.
    end_others: ServerAction<EndOtherSessions>,
) -> impl IntoView {
    let i18n = use_i18n();
    let busy = Signal::derive(move || end_one.pending().get() || end_others.pending().get());
    let others = sessions.iter().filter(|s| !s.current).count();
    let end_all = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !busy.get_untracked() {
            end_others.dispatch(EndOtherSessions {});
        }
    };
    view! {
        <ul class="sessions">
            {sessions.into_iter().map(|session| session_row(session, end_one, busy)).collect_view()}
        </ul>
        {(others > 0).then(|| view! {
            <form method="post" action=EndOtherSessions::url() on:submit=end_all class="end-others">
                <button type="submit" class="secondary" disabled=move || busy.get()>
                    {t!(i18n, sessions.sign_out_others)}
                </button>
            </form>
        })}
    }
}

/// One session's line: what it is, where, when; "Sign out" unless it is this browser.
fn session_row(
    session: SessionView,
    end_one: ServerAction<EndSession>,
    busy: Signal<bool>,
) -> impl IntoView {
    let id = session.id.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !busy.get_untracked() {
            end_one.dispatch(EndSession { id: id.clone() });
        }
    };
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let label = td_string!(
        locale,
        sessions.sign_out_label,
        device = session.device.as_str(),
        network = session.network.as_str()
    );
    let details = td_string!(
        locale,
        sessions.details,
        network = session.network.as_str(),
        when = date_time(locale, session.signed_in_at),
        how = session.signed_in_with.as_str(),
        seen = date_time(locale, session.last_seen_at)
    );
    view! {
        <li class="session" class:current=session.current>
            <span class="session-device">{session.device.clone()}</span>
            {session.current.then(|| view! { <span class="badge">{t!(i18n, sessions.this_browser)}</span> })}
            <span class="hint">{details}</span>
            {(!session.current).then(|| view! {
                <form method="post" action=EndSession::url() on:submit=submit>
                    <input type="hidden" name="id" value=session.id.clone() />
                    <button type="submit" class="link" aria-label=label disabled=move || busy.get()>{t!(i18n, sessions.sign_out)}</button>
                </form>
            })}
        </li>
    }
}
