//! Server functions: the only way the browser changes the login. Each one is a form post at a
//! stable URL, works without JavaScript (answering 303 to the next page) and with it (JSON).
//! Bodies stay thin: they hand the raw input to the login service and map the outcome.

use super::{AccountView, AuthError, LoginStatus};
use leptos::prelude::*;

/// Starts a login: parses `number` and asks the provider to send a code. `next` is where to
/// go after sign-in (ignored unless a same-site path). `captcha_token` is the human check's
/// token, needed only when the server answered [`AuthError::ChallengeRequired`].
/// No-JS: 303 to `/verify` on success, back to `/login` with the error otherwise.
#[server(prefix = "/api", endpoint = "start_login")]
pub async fn start_login(
    number: String,
    next: Option<String>,
    captcha_token: Option<String>,
    channel: Option<String>,
) -> Result<(), AuthError> {
    use super::server::channel_choice::{remember_channel, remembered_channel, requested_channel};
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let token = captcha_token.as_deref();
    let result = match requested_channel(channel.as_deref()) {
        Err(error) => Err(error),
        Ok(asked) => {
            let wanted = asked.or_else(remembered_channel);
            let first = ctx.provider.delivery_plan().first_for(wanted);
            let result = service::start_login(
                &ctx,
                &session,
                &facts,
                &number,
                next.as_deref(),
                token,
                first,
            )
            .await;
            if result.is_ok() && asked.is_some() {
                remember_channel(&ctx, first);
            }
            result
        }
    };
    form_redirect(
        &ctx,
        &facts,
        &session,
        result,
        "/verify",
        "/login",
        Some(number),
    )
    .await
}

/// Checks the code typed on the PIN step; on success the user is signed in with a new
/// session id and the answer is where to go next. No-JS: 303 there, or to `/verify` (or
/// `/login` when the pending login is over) with the error.
#[server(prefix = "/api", endpoint = "finish_login")]
pub async fn finish_login(code: String) -> Result<String, AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let result = service::finish_login(&ctx, &session, &facts, &code).await;
    let destination = result.as_deref().unwrap_or("/").to_owned();
    form_redirect(
        &ctx,
        &facts,
        &session,
        result,
        &destination,
        "/verify",
        None,
    )
    .await
}

/// "Send again": moves the pending login to the next channel (a call) after the countdown.
/// Answers the confirmation to show. No-JS: 303 back to `/verify` with it.
#[server(prefix = "/api", endpoint = "resend_code")]
pub async fn resend_code() -> Result<String, AuthError> {
    use super::server::{form_redirect, keep_notice_for_form, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let result = service::resend_code(&ctx, &session, &facts).await;
    if let Ok(notice) = &result {
        keep_notice_for_form(&ctx, &facts, notice);
    }
    form_redirect(&ctx, &facts, &session, result, "/verify", "/verify", None).await
}

/// "Use a different number": cancels the pending login (upstream too, where allowed) and
/// returns to the phone step with the number filled in. No-JS: 303 to `/login`.
#[server(prefix = "/api", endpoint = "change_number")]
pub async fn change_number() -> Result<(), AuthError> {
    use super::server::{form_redirect, keep_flash, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let result = service::change_number(&ctx, &session, &facts)
        .await
        .map(|flash| {
            if let Some(flash) = flash {
                keep_flash(&ctx, &facts, &flash);
            }
        });
    form_redirect(&ctx, &facts, &session, result, "/login", "/login", None).await
}

/// Signs out and destroys the server-side session. No-JS: 303 to `/`.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AuthError> {
    use super::server::{form_redirect, request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    let result = service::logout(&ctx, &session, &facts).await;
    form_redirect(&ctx, &facts, &session, result, "/", "/", None).await
}

/// Reports the current step (and consumes the one-shot note: the signed flash cookie, expired
/// on this answer), so that every page renders from server state and a refresh lands on the
/// same step.
#[server(prefix = "/api", endpoint = "login_status")]
pub async fn get_login_status() -> Result<LoginStatus, AuthError> {
    use super::server::{request_scope, service, take_flash_cookie};
    let (ctx, session, mut facts) = request_scope().await?;
    facts.flash = take_flash_cookie(&ctx, facts.now);
    let mut status = service::status(&ctx, &session, &facts).await?;
    status.channel_choice = super::server::channel_choice::channel_choice(
        &ctx,
        super::server::channel_choice::remembered_channel(),
    );
    Ok(status)
}

/// The signed-in person's account (number, first and latest sign-in); `None` when signed out.
#[server(prefix = "/api", endpoint = "account")]
pub async fn get_account() -> Result<Option<AccountView>, AuthError> {
    use super::server::{request_scope, service};
    let (ctx, session, facts) = request_scope().await?;
    service::account(&ctx, &session, &facts).await
}

/// Who is signed in: the account, or [`AuthError::NotSignedIn`]. What `<SignedInOnly>` asks
/// before it shows a protected page (takes no input).
#[server(prefix = "/api", endpoint = "signed_in")]
pub async fn get_signed_in() -> Result<super::SignedInAccount, AuthError> {
    let result = super::server::signed_in().await;
    super::server::error_status_for_fetch(&result);
    result
}

/// The result silent authentication brought back to `/login/silent`: `fragment` is that
/// address's fragment as the page read it (`request_id=…&code=…`, or `error=…`), parsed
/// here. Signs in with the mobile network's code when it belongs to this session's pending
/// login, else the login goes on with a code (and the note says so). No-JS (no field: the
/// fragment never reaches a server): asks for the first code now, then 303 to `/verify` with
/// the note.
#[server(prefix = "/api", endpoint = "silent_result")]
pub async fn silent_result(fragment: Option<String>) -> Result<super::SilentOutcome, AuthError> {
    use super::server::service::{self, SilentReturn};
    use super::server::{form_redirect, keep_notice_for_form, request_scope};
    use super::SilentOutcome;
    let (ctx, session, facts) = request_scope().await?;
    let brought = SilentReturn::parse(fragment.as_deref().unwrap_or_default());
    let result = service::silent_result(&ctx, &session, &facts, &brought).await;
    let destination = match &result {
        Ok(SilentOutcome::SignedIn(to)) => to.clone(),
        _ => "/verify".to_owned(),
    };
    if let Ok(SilentOutcome::CodeSent(note)) = &result {
        keep_notice_for_form(&ctx, &facts, note);
    }
    form_redirect(
        &ctx,
        &facts,
        &session,
        result,
        &destination,
        "/verify",
        None,
    )
    .await
}
