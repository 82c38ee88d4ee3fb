//! The message language each API is sent. The login ranks its choices in Vonage's spelling
//! ([`StartVerification::locale_choices`], drawn from
//! [`SUPPORTED`](app_core::auth::server::locale::SUPPORTED)); each client sends the first
//! choice its API documents, in that API's spelling, or nothing (the vendor's default,
//! English) when it documents none of them:
//!
//! | choice | Vonage v2 `locale` | Vonage v1 `lg` | Twilio `Locale` |
//! |---|---|---|---|
//! | `en-us` / `en-gb` | same | same | `en` / `en-GB` |
//! | `es-es`, `es-mx`, `es-us` | same | same | `es` |
//! | `fr-fr`, `de-de`, `it-it`, `ru-ru`, `hi-in`, `id-id` | same | same | `fr`, `de`, … |
//! | `pt-br` / `pt-pt` | same | same | `pt-BR` / `pt` |
//! | `ar-xa` | next choice (v2 has no Arabic) | `ar-xa` | `ar` |

use app_core::auth::server::verify_port::StartVerification;

/// The locales Vonage Verify v2 documents for `locale`.
pub(crate) const VONAGE_V2: &[&str] = &[
    "en-us", "en-gb", "es-es", "es-mx", "es-us", "it-it", "fr-fr", "de-de", "ru-ru", "hi-in",
    "pt-br", "pt-pt", "id-id",
];

/// The locales of Vonage Verify v1's `lg` (it documents 39) that the login can choose: the
/// v2 list plus `ar-xa`.
pub(crate) const VONAGE_V1: &[&str] = &[
    "en-us", "en-gb", "es-es", "es-mx", "es-us", "it-it", "fr-fr", "de-de", "ru-ru", "hi-in",
    "pt-br", "pt-pt", "id-id", "ar-xa",
];

/// The first of `request`'s choices in `accepted` (compared without case), lowercase as
/// Vonage writes it; `None` when none is.
fn first_accepted<'a>(request: &'a StartVerification, accepted: &[&str]) -> Option<&'a str> {
    request
        .locale_choices()
        .find(|choice| accepted.iter().any(|a| a.eq_ignore_ascii_case(choice)))
}

/// What Vonage v2 is sent as `locale`: the first choice v2 documents (Arabic falls through
/// to the next choice), `None` to leave it out.
pub(crate) fn vonage_v2_locale(request: &StartVerification) -> Option<String> {
    first_accepted(request, VONAGE_V2).map(str::to_ascii_lowercase)
}

/// Locales Twilio lists with a region; every other locale is sent as its bare language.
const REGIONAL: &[&str] = &["en-GB", "pt-BR", "fr-CA", "zh-CN", "zh-HK"];

/// The languages Twilio Verify lists for `Locale` (bare, or one of [`REGIONAL`]).
const TWILIO_LANGUAGES: &[&str] = &[
    "af", "ar", "ca", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "he", "hi", "hr", "hu",
    "id", "it", "ja", "ko", "ms", "nb", "nl", "pl", "pt", "ro", "ru", "sv", "th", "tl", "tr", "vi",
    "zh",
];

/// What Twilio is sent as `Locale`: the first of the request's language choices Twilio
/// lists, in its spelling ([`twilio_locale`]: `ar-xa` → `ar`, `es-es` → `es`, `pt-br` →
/// `pt-BR`); `None` to leave it out.
pub(crate) fn twilio_locale_for(request: &StartVerification) -> Option<String> {
    request.locale_choices().find_map(|choice| {
        twilio_locale(choice).filter(|locale| {
            REGIONAL.contains(&locale.as_str()) || TWILIO_LANGUAGES.contains(&locale.as_str())
        })
    })
}

/// Our `en-gb`-style locale in Twilio's spelling: `en-gb` → `en-GB`, `pt-br` → `pt-BR`,
/// `en-us` → `en`, `de-de` → `de`; `None` for something that is not a language tag.
fn twilio_locale(locale: &str) -> Option<String> {
    let mut parts = locale.trim().split(['-', '_']);
    let language = parts.next()?.to_ascii_lowercase();
    let known_shape =
        (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_alphabetic());
    if !known_shape {
        return None;
    }
    let regional = parts
        .next()
        .map(|region| format!("{language}-{}", region.to_ascii_uppercase()))
        .filter(|tag| REGIONAL.contains(&tag.as_str()));
    Some(regional.unwrap_or(language))
}

/// What Vonage v1 is sent as `lg`: the first choice in [`VONAGE_V1`], `None` to leave it out.
pub(crate) fn vonage_v1_locale(request: &StartVerification) -> Option<String> {
    first_accepted(request, VONAGE_V1).map(str::to_ascii_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::test_support::number;

    fn request(choices: &[&str]) -> StartVerification {
        let mut choices = choices.iter().map(|c| (*c).to_owned());
        StartVerification {
            number: number(),
            brand: "Passwordless".to_owned(),
            locale: choices.next(),
            fallback_locales: choices.collect(),
            channel: app_core::auth::Channel::Sms,
            silent_return: None,
        }
    }

    #[test]
    fn vonage_v2_sends_its_documented_locales_and_passes_over_arabic() {
        for (choices, sent) in [
            (&["es-es", "en-gb"][..], Some("es-es")),
            (&["fr-fr"][..], Some("fr-fr")),
            (&["de-de"][..], Some("de-de")),
            (&["pt-br"][..], Some("pt-br")),
            (&["EN-GB"][..], Some("en-gb")),
            (&["ar-xa", "fr-fr", "en-gb"][..], Some("fr-fr")),
            (&["ar-xa", "en-us"][..], Some("en-us")),
            (&["ar-xa"][..], None),
            (&[][..], None),
        ] {
            assert_eq!(
                vonage_v2_locale(&request(choices)).as_deref(),
                sent,
                "{choices:?}"
            );
        }
    }

    #[test]
    fn vonage_v1_sends_arabic_as_ar_xa() {
        for (choices, sent) in [
            (&["ar-xa", "en-gb"][..], Some("ar-xa")),
            (&["es-es"][..], Some("es-es")),
            (&["pt-br"][..], Some("pt-br")),
            (&["xx-yy", "de-de"][..], Some("de-de")),
            (&[][..], None),
        ] {
            assert_eq!(
                vonage_v1_locale(&request(choices)).as_deref(),
                sent,
                "{choices:?}"
            );
        }
    }

    #[test]
    fn every_login_choice_reaches_v1_and_all_but_arabic_reach_v2() {
        for choice in app_core::auth::server::locale::SUPPORTED {
            assert!(VONAGE_V1.contains(choice), "{choice}");
            assert_eq!(VONAGE_V2.contains(choice), *choice != "ar-xa", "{choice}");
        }
    }

    #[test]
    fn twilio_spells_locales_its_own_way() {
        for (ours, theirs) in [
            ("en-gb", Some("en-GB")),
            ("pt-br", Some("pt-BR")),
            ("en-us", Some("en")),
            ("de-de", Some("de")),
            ("es-mx", Some("es")),
            ("pt_PT", Some("pt")),
            ("fr", Some("fr")),
            ("", None),
            ("english", None),
            ("12-gb", None),
        ] {
            assert_eq!(twilio_locale(ours).as_deref(), theirs, "{ours}");
        }
    }

    #[test]
    fn twilio_gets_the_first_choice_it_lists() {
        for (ours, theirs) in [
            (&["ar-xa", "en-gb"][..], Some("ar")),
            (&["es-es"][..], Some("es")),
            (&["fr-fr"][..], Some("fr")),
            (&["de-de"][..], Some("de")),
            (&["pt-br"][..], Some("pt-BR")),
            (&["pt-pt"][..], Some("pt")),
            (&["en-us"][..], Some("en")),
            (&["en-gb"][..], Some("en-GB")),
            (&["xx-yy", "it-it"][..], Some("it")),
            (&["english"][..], None),
            (&[][..], None),
        ] {
            assert_eq!(
                twilio_locale_for(&request(ours)).as_deref(),
                theirs,
                "{ours:?}"
            );
        }
    }
}
