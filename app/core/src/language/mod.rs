//! Which language a visitor reads: an explicit choice (the `lang` cookie the language menu
//! sets) wins over the browser's `Accept-Language`, which wins over English. The same answer
//! drives the page, the texts server functions return and the SMS the provider sends.

use crate::i18n::Locale;
use leptos_i18n::Locale as _;

/// The cookie the language menu sets: a supported language tag (`es`, `pt-BR`).
pub const LANGUAGE_COOKIE: &str = "lang";

/// Every supported language, in the order the menu lists them.
pub fn all() -> &'static [Locale] {
    Locale::get_all()
}

/// The language's tag as `<html lang>` and the cookie hold it (`pt-BR`).
pub fn tag(locale: Locale) -> &'static str {
    locale.as_str()
}

/// `true` for a language written right to left.
pub fn is_rtl(locale: Locale) -> bool {
    matches!(locale.direction(), leptos_i18n::Direction::RightToLeft)
}

/// The supported language a tag asks for: exact (case-insensitive) first, else the same
/// base language (`es-MX` → `es`, `pt-PT` → `pt-BR`, `ar-EG` → `ar`).
pub fn supported(tag: &str) -> Option<Locale> {
    let tag = tag.trim().replace('_', "-");
    if tag.is_empty() {
        return None;
    }
    let base = |t: &str| t.split('-').next().unwrap_or("").to_ascii_lowercase();
    all()
        .iter()
        .find(|l| l.as_str().eq_ignore_ascii_case(&tag))
        .or_else(|| all().iter().find(|l| base(l.as_str()) == base(&tag)))
        .copied()
}

/// The visitor's language: `choice` (the cookie) when supported, else the first supported
/// range of `accept_language` by q-value (equal q-values keep the header's order), else
/// English.
pub fn negotiate(choice: Option<&str>, accept_language: Option<&str>) -> Locale {
    matched(choice, accept_language).unwrap_or_default()
}

/// [`negotiate`] without the fallback: `None` when neither names a supported language.
pub fn matched(choice: Option<&str>, accept_language: Option<&str>) -> Option<Locale> {
    choice.and_then(supported).or_else(|| {
        accepted_ranges(accept_language.unwrap_or(""))
            .iter()
            .find_map(|tag| supported(tag))
    })
}

/// The ranges of an `Accept-Language` header, best first (equal q-values keep the header's
/// order), without `*` and `q=0`; shared with the SMS language choice.
pub(crate) fn accepted_ranges(header: &str) -> Vec<String> {
    let mut ranges: Vec<(f32, String)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim().to_owned();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && tag != "*" && q > 0.0).then_some((q, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges.into_iter().map(|(_, tag)| tag).collect()
}

/// The value of the `lang` cookie in a `Cookie` header, if any.
pub fn cookie_choice(cookie_header: &str) -> Option<&str> {
    cookie_header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == LANGUAGE_COOKIE).then_some(value.trim_matches('"'))
    })
}

/// The current request's language (server only): the `lang` cookie, else `Accept-Language`,
/// else the site's default (`DEFAULT_LANGUAGE`, English when unset or outside a request).
#[cfg(feature = "ssr")]
pub fn request_locale() -> Locale {
    use crate::auth::server::AuthContext;
    request_language().unwrap_or_else(|| {
        leptos::prelude::use_context::<std::sync::Arc<AuthContext>>()
            .map_or_else(Locale::default, |ctx| ctx.default_language)
    })
}

/// [`request_locale`] without the fallback: `None` when the request names no supported
/// language (or there is no request).
#[cfg(feature = "ssr")]
pub fn request_language() -> Option<Locale> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    headers_language(&parts.headers)
}

/// The language request headers name: the `lang` cookie, else `Accept-Language` (several
/// headers of either read as one); `None` when they name no supported language. Also for
/// answers outside a render, such as the store-outage page.
#[cfg(feature = "ssr")]
pub fn headers_language(headers: &http::HeaderMap) -> Option<Locale> {
    let joined = |name, separator| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(separator)
    };
    let cookies = joined(http::header::COOKIE, "; ");
    let accept = joined(http::header::ACCEPT_LANGUAGE, ", ");
    matched(cookie_choice(&cookies), Some(&accept))
}

mod api;

pub use api::{set_language, SetLanguage};

#[cfg(test)]
mod catalogue_tests;
#[cfg(test)]
mod tests;
