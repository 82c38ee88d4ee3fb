//! The language menu's server function: a plain form post, so the choice works without
//! JavaScript too.

use crate::auth::AuthError;
use leptos::prelude::*;

/// How long the language choice is remembered: a year.
#[cfg(feature = "ssr")]
const CHOICE_MAX_AGE_SECS: u64 = 365 * 24 * 3600;

/// Remembers `lang` (a supported tag: `es`, `pt-BR`) in the `lang` cookie (`HttpOnly`,
/// `SameSite=Lax`, `Path=/`, a year; `Secure` where the site's cookies are) and answers
/// `303` to `back` (a same-site path, else `/`), which the server renders in that language.
/// An unsupported `lang` is [`AuthError::BadRequest`] and changes nothing.
#[server(prefix = "/api", endpoint = "set_language")]
pub async fn set_language(lang: String, back: Option<String>) -> Result<(), AuthError> {
    use crate::auth::server::AuthContext;
    use http::{header, HeaderValue, StatusCode};
    use leptos_axum::ResponseOptions;
    use std::sync::Arc;

    let locale = super::supported(&lang)
        .filter(|l| super::tag(*l).eq_ignore_ascii_case(lang.trim()))
        .ok_or(AuthError::BadRequest)?;
    let secure = use_context::<Arc<AuthContext>>()
        .map(|ctx| ctx.flash_cookies.secure())
        .unwrap_or(true);
    let cookie = format!(
        "{}={}; Path=/; Max-Age={CHOICE_MAX_AGE_SECS}; HttpOnly; SameSite=Lax{}",
        super::LANGUAGE_COOKIE,
        super::tag(locale),
        if secure { "; Secure" } else { "" }
    );
    let back = back
        .as_deref()
        .and_then(crate::auth::safe_next)
        .unwrap_or_else(|| "/".to_owned());
    if let Some(options) = use_context::<ResponseOptions>() {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            options.append_header(header::SET_COOKIE, value);
        }
        if let Ok(location) = HeaderValue::from_str(&back) {
            options.set_status(StatusCode::SEE_OTHER);
            options.insert_header(header::LOCATION, location);
        }
    }
    Ok(())
}
