use crate::auth::api::{ChangeNumber, FinishLogin, ResendCode};
use crate::auth::{AuthError, Channel, PendingView};
use crate::components::format::minutes_seconds;
use crate::components::{countdown, FieldError};
use leptos::prelude::*;

/// The PIN step: the code form with attempts and expiry, "Call me instead" behind its
/// countdown, and "Use a different number". Each control is its own form, so all of it
/// also works without JavaScript.
#[component]
pub fn PinStep(
    /// What the server says about the pending login.
    pending: PendingView,
    /// The code action (owned by the page, which navigates on success).
    finish: ServerAction<FinishLogin>,
    /// The resend action (owned by the page, which refreshes the status after it).
    resend: ServerAction<ResendCode>,
    /// The change-number action.
    change: ServerAction<ChangeNumber>,
    /// An error carried over a no-JS redirect.
    flash_error: Option<AuthError>,
    /// A confirmation carried over a no-JS redirect.
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
    let expires_in = countdown(expires_in_secs);
    let resend_in = countdown(resend_in_secs);
    // Only a hydrated page can re-enable the button when the countdown ends; without
    // JavaScript it stays usable and the server says how long to wait if pressed early.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    // A no-JS resend refusal belongs next to the resend control, not the code field.
    let (resend_flash, code_flash) = match flash_error {
        Some(e @ (AuthError::ResendTooSoon { .. } | AuthError::NoChannelLeft)) => {
            (Some(e.message()), None)
        }
        other => (None, other),
    };
    let error = Signal::derive(move || {
        let live = finish.value().get().and_then(Result::err);
        let expired = (expires_in.get() == 0).then_some(AuthError::CodeExpired);
        live.or(expired)
            .or_else(|| code_flash.clone())
            .map(|e| e.message())
    });
    let resend_status = Signal::derive(move || match resend.value().get() {
        Some(Ok(notice)) => Some(notice),
        Some(Err(e)) => Some(e.message()),
        None => flash_notice.clone().or_else(|| resend_flash.clone()),
    });
    // Focus the code field when the step appears and again after each failure (with the
    // digits selected so typing replaces them); the error is read out through the live region.
    let code_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        let failed = error.get().is_some();
        if let Some(input) = code_input.get() {
            let _ = input.focus();
            if failed {
                input.select();
            }
        }
    });
    let intro = match channel {
        Channel::Sms => "We sent a text message with a 6-digit code to ",
        Channel::Voice => "We're calling you to read out your 6-digit code. Number: ",
    };
    let hint = move || {
        let expiry = format!("The code expires in {}.", minutes_seconds(expires_in.get()));
        // After a failure the error already counts the attempts left.
        match (attempts_left, error.get().is_some()) {
            (_, true) => expiry,
            (1, false) => format!("{expiry} Last attempt: a wrong code cancels it."),
            (n, false) => format!("{expiry} {n} attempts."),
        }
    };
    let resend_label = move || {
        let wait = resend_in.get();
        if resend.pending().get() {
            "Calling…".to_owned()
        } else if wait > 0 {
            format!("Call me instead (in {})", minutes_seconds(wait))
        } else {
            "Call me instead".to_owned()
        }
    };

    view! {
        <h1>"Enter your code"</h1>
        <p>{intro} <strong class="number">{number}</strong> "."</p>
        <ActionForm action=finish attr:class="stack" attr:novalidate=true>
            <label for="code">"Code"</label>
            <input id="code" name="code" type="text" autocomplete="one-time-code" node_ref=code_input
                inputmode="numeric" pattern="[0-9 -]*" maxlength="12" required autofocus
                aria-describedby="code-hint code-error"
                aria-invalid=move || error.get().is_some().to_string() />
            <p id="code-hint" class="hint">{hint}</p>
            <FieldError id="code-error" message=error />
            <button type="submit" disabled=move || finish.pending().get()>
                {move || if finish.pending().get() { "Checking…" } else { "Sign in" }}
            </button>
        </ActionForm>
        <p id="resend-status" class="notice" role="status" aria-live="polite">{move || resend_status.get()}</p>
        <div class="alt">
            {if can_resend {
                view! {
                    <ActionForm action=resend>
                        <button type="submit" class="link"
                            disabled=move || { resend.pending().get() || (hydrated.get() && resend_in.get() != 0) }>
                            {resend_label}
                        </button>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="hint">"Code sent by text and by phone call. Didn't get it? Start again with your number."</p> }.into_any()
            }}
            <ActionForm action=change>
                <button type="submit" class="link">"Use a different number"</button>
            </ActionForm>
        </div>
    }
}
