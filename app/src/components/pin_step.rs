use crate::auth::{AuthError, Channel, PendingView};
use crate::components::format::minutes_seconds;
use crate::components::{countdown, FieldError};
use leptos::prelude::*;

/// The PIN step: the code form with attempts and expiry, "Call me instead" behind its
/// countdown, and "Use a different number". Server HTML with plain forms (each works without
/// JavaScript; with it, the islands router posts them in place); only the two countdowns are
/// islands. Errors and notices arrive in the page the server answers with, so they are never
/// stale (the islands router keeps islands as they are across a same-page transition).
#[component]
pub fn PinStep(
    /// What the server says about the pending login.
    pending: PendingView,
    /// The error from the last post (a flash in the session).
    flash_error: Option<AuthError>,
    /// A confirmation from the last post, e.g. "We're calling … now".
    flash_notice: Option<String>,
) -> impl IntoView {
    let PendingView {
        number,
        attempts_left,
        channel,
        resend_in_secs,
        can_resend,
        expires_in_secs,
    } = pending;
    let (resend_flash, code_flash) = match flash_error {
        Some(e @ (AuthError::ResendTooSoon { .. } | AuthError::NoChannelLeft)) => {
            (Some(e.message()), None)
        }
        other => (None, other),
    };
    let failed = code_flash.is_some();
    let error = code_flash.map(|e| e.message());
    let notice = flash_notice.or(resend_flash);
    let intro = match channel {
        Channel::Sms => "We sent a text message with a 6-digit code to ",
        Channel::Voice => "We're calling you to read out your 6-digit code. Number: ",
    };
    let attempts = match (attempts_left, failed) {
        (_, true) => String::new(),
        (1, false) => " Last attempt: a wrong code cancels it.".to_owned(),
        (n, false) => format!(" {n} attempts."),
    };
    view! {
        <h1>"Enter your code"</h1>
        <p>{intro} <strong class="number">{number}</strong> "."</p>
        <form method="post" action="/api/finish_login" class="stack" novalidate>
            <label for="code">"Code"</label>
            <input id="code" name="code" type="text" autocomplete="one-time-code"
                inputmode="numeric" pattern="[0-9 -]*" maxlength="12" required autofocus
                aria-describedby="code-hint code-error" aria-invalid=failed.to_string() />
            <p id="code-hint" class="hint"><ExpiresIn secs=expires_in_secs />{attempts}</p>
            <FieldError id="code-error" message=Signal::derive(move || error.clone()) />
            <button type="submit">"Sign in"</button>
        </form>
        <p id="resend-status" class="notice" role="status" aria-live="polite">{notice}</p>
        <div class="alt">
            {if can_resend {
                view! {
                    <form method="post" action="/api/resend_code">
                        <ResendButton secs=resend_in_secs />
                    </form>
                }.into_any()
            } else {
                view! { <p class="hint">"Code sent by text and by phone call. Didn't get it? Start again with your number."</p> }.into_any()
            }}
            <form method="post" action="/api/change_number">
                <button type="submit" class="link">"Use a different number"</button>
            </form>
        </div>
    }
}

/// "The code expires in m:ss.", ticking in the browser; at zero it also puts the expiry
/// message in the code field's live region, so it is announced.
#[island]
fn ExpiresIn(secs: u64) -> impl IntoView {
    let left = countdown(secs);
    Effect::new(move |_| {
        if left.get() == 0 {
            // The error live region is server HTML; say it there so it is announced.
            if let Some(region) = document().get_element_by_id("code-error") {
                region.set_text_content(Some(&AuthError::CodeExpired.message()));
            }
        }
    });
    view! {
        {move || match left.get() {
            0 => "The code has expired.".to_owned(),
            left => format!("The code expires in {}.", minutes_seconds(left)),
        }}
    }
}

/// "Call me instead", disabled with its countdown until it may be used.
#[island]
fn ResendButton(secs: u64) -> impl IntoView {
    let left = countdown(secs);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <button type="submit" class="link" disabled=move || hydrated.get() && left.get() != 0>
            {move || match left.get() {
                0 => "Call me instead".to_owned(),
                wait => format!("Call me instead (in {})", minutes_seconds(wait)),
            }}
        </button>
    }
}
