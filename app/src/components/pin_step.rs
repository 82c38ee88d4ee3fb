use crate::auth::api::{ChangeNumber, FinishLogin, ResendCode};
use crate::auth::{AuthError, Channel, Flash, PendingView};
use crate::components::format::minutes_seconds;
use crate::components::{countdown, focus_field, scheduled_call, CarriedNote, FieldError};
use crate::domain::Pin;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_navigate;

/// The PIN step: the code form with attempts left and the expiry countdown, "Call me
/// instead" behind its countdown, and "Use a different number". A reactive component that
/// owns its state in signals and calls the `finish_login`, `resend_code` and `change_number`
/// server functions: a wrong code updates the error and attempts left in place from the typed
/// error, busy states block double submits, and both countdowns stop when the step leaves
/// the page. Each control is also a plain form post, so all of it works without JavaScript.
#[component]
pub fn PinStep(
    /// What the server says about the pending login.
    pending: PendingView,
    /// The error of the last no-JS post (carried by the signed `flash` cookie).
    flash_error: Option<AuthError>,
    /// A confirmation of the last no-JS post, e.g. "We're calling … now".
    flash_notice: Option<String>,
) -> impl IntoView {
    let finish = ServerAction::<FinishLogin>::new();
    let resend = ServerAction::<ResendCode>::new();
    let change = ServerAction::<ChangeNumber>::new();
    let PendingView {
        number,
        attempts_left,
        channel,
        resend_in_secs,
        can_resend,
        call_in_secs,
        expires_in_secs,
    } = pending;
    let expires_in = countdown(expires_in_secs);
    let resend_in = countdown(resend_in_secs);
    let channel = RwSignal::new(channel);
    let attempts_left = RwSignal::new(attempts_left);
    let can_resend = RwSignal::new(can_resend);
    // A refused resend belongs next to the resend control, not the code field.
    let (resend_flash, code_flash) = match flash_error {
        Some(e @ (AuthError::ResendTooSoon { .. } | AuthError::NoChannelLeft)) => {
            (Some(e.message()), None)
        }
        other => (None, other),
    };
    let code_error = RwSignal::new(code_flash.map(|e| e.message()));
    let notice = RwSignal::new(flash_notice.or(resend_flash));
    let call_in = scheduled_call(call_in_secs, number.clone(), channel, can_resend, notice);
    // Only a hydrated page can re-enable "Call me instead" when its countdown ends; without
    // JavaScript it stays usable and the server says how long to wait if pressed early.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    let navigate = use_navigate();
    let typed_number = number.clone();
    Effect::new(move |_| match finish.value().get() {
        Some(Ok(destination)) => navigate(&destination, Default::default()),
        // The pending login is over: back to the phone step, saying why, number filled in.
        Some(Err(failure)) if failure.restarts_login() => {
            CarriedNote::leave(Flash {
                error: Some(failure),
                typed_number: Some(typed_number.clone()),
                notice: None,
            });
            navigate("/login", Default::default());
        }
        Some(Err(failure)) => {
            if let AuthError::WrongCode {
                attempts_left: left,
            } = failure
            {
                attempts_left.set(left);
            }
            code_error.set(Some(failure.message()));
        }
        None => {}
    });
    Effect::new(move |_| match resend.value().get() {
        Some(Ok(confirmation)) => {
            notice.set(Some(confirmation));
            channel.set(Channel::Voice);
            can_resend.set(false);
        }
        Some(Err(failure)) if failure.restarts_login() => code_error.set(Some(failure.message())),
        Some(Err(failure)) => notice.set(Some(failure.message())),
        None => {}
    });
    let navigate = use_navigate();
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => navigate("/login", Default::default()),
        Some(Err(failure)) => notice.set(Some(failure.message())),
        None => {}
    });

    let code_input = NodeRef::<leptos::html::Input>::new();
    let error = Signal::derive(move || {
        // Once the code has expired, that is the one thing worth saying.
        (expires_in.get() == 0)
            .then(|| AuthError::CodeExpired.message())
            .or_else(|| code_error.get())
    });
    Effect::new(move |_| focus_field(code_input, code_error.with(Option::is_some)));

    let check = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(field) = code_input.get_untracked() else {
            return;
        };
        if finish.pending().get_untracked() {
            return;
        }
        let code = field.value();
        match Pin::parse(&code) {
            Err(problem) => code_error.set(Some(problem.message().to_owned())),
            Ok(_) => {
                code_error.set(None);
                finish.dispatch(FinishLogin { code });
            }
        }
    };
    let call_me = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !resend.pending().get_untracked() {
            resend.dispatch(ResendCode {});
        }
    };
    let change_number = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !change.pending().get_untracked() {
            change.dispatch(ChangeNumber {});
        }
    };

    let checking = finish.pending();
    let intro = move || match channel.get() {
        Channel::Sms => "We sent a text message with a 6-digit code to ",
        Channel::Voice => "We're calling you to read out your 6-digit code. Number: ",
    };
    let hint = move || {
        let expiry = match expires_in.get() {
            0 => "The code has expired.".to_owned(),
            left => format!("The code expires in {}.", minutes_seconds(left)),
        };
        // After a failure the error already counts the attempts left.
        match (attempts_left.get(), error.with(Option::is_some)) {
            (_, true) => expiry,
            (1, false) => format!("{expiry} Last attempt: a wrong code cancels it."),
            (n, false) => format!("{expiry} {n} attempts."),
        }
    };
    let resend_label = move || match (resend.pending().get(), resend_in.get()) {
        (true, _) => "Calling…".to_owned(),
        (false, 0) => "Call me instead".to_owned(),
        (false, wait) => format!("Call me instead (in {})", minutes_seconds(wait)),
    };

    view! {
        <h1>"Enter your code"</h1>
        <p>{intro} <strong class="number">{number}</strong> "."</p>
        <form method="post" action=FinishLogin::url() class="stack" novalidate
            on:submit=check aria-busy=move || checking.get().to_string()>
            <label for="code">"Code"</label>
            <input node_ref=code_input id="code" name="code" type="text" autocomplete="one-time-code"
                inputmode="numeric" pattern="[0-9 -]*" maxlength="12" required autofocus
                aria-describedby="code-hint code-error"
                aria-invalid=move || error.with(Option::is_some).to_string() />
            <p id="code-hint" class="hint">{hint}</p>
            <FieldError id="code-error" message=error />
            <button type="submit" disabled=move || checking.get()>
                {move || if checking.get() { "Checking…" } else { "Sign in" }}
            </button>
        </form>
        <p id="resend-status" class="notice" role="status" aria-live="polite">{move || notice.get()}</p>
        <div class="alt">
            {move || call_in.get().map(|left| view! {
                <p id="scheduled-call" class="hint">
                    {format!("If the text doesn't arrive, we'll call you in {}.", minutes_seconds(left))}
                </p>
            })}
            <Show when=move || can_resend.get() fallback=move || view! {
                <p class="hint">{move || match channel.get() {
                    Channel::Voice => "Code sent by text and by phone call. Didn't get it? Start again with your number.",
                    Channel::Sms => "Didn't get the text? Check the number and start again.",
                }}</p>
            }>
                <form method="post" action=ResendCode::url() on:submit=call_me
                    aria-busy=move || resend.pending().get().to_string()>
                    <button type="submit" class="link"
                        disabled=move || resend.pending().get() || (hydrated.get() && resend_in.get() != 0)>
                        {resend_label}
                    </button>
                </form>
            </Show>
            <form method="post" action=ChangeNumber::url() on:submit=change_number>
                <button type="submit" class="link" disabled=move || change.pending().get()>"Use a different number"</button>
            </form>
        </div>
    }
}
