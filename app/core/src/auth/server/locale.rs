//! The message language: the page language and the browser's `Accept-Language`, matched to
//! the languages an SMS can be asked in, else the configured fallback. The choice is a
//! ranked list in Vonage's spelling (`es-es`, `ar-xa`…); each provider client sends the
//! first entry its API accepts, in its own spelling (see the host's `verify::locales`).

/// Locales a message can be asked in, in Vonage's spelling: the list Vonage Verify v2
/// documents, plus `ar-xa` (Arabic), which Vonage v1 (`lg`) and Twilio (`ar`) have and v2
/// does not. A bare language takes its first entry here.
pub const SUPPORTED: &[&str] = &[
    "en-us", "en-gb", "es-es", "es-mx", "es-us", "it-it", "fr-fr", "de-de", "ru-ru", "hi-in",
    "pt-br", "pt-pt", "id-id", "ar-xa",
];

/// The best supported locale for an `Accept-Language`-style list, honouring its order and
/// q-values; a bare language (`fr`) takes that language's first listed locale. Falls back to
/// `fallback` (itself only if supported). The first of [`preferred_locales`].
pub fn preferred_locale(accept_language: Option<&str>, fallback: Option<&str>) -> Option<String> {
    preferred_locales(accept_language, fallback)
        .into_iter()
        .next()
}

/// Every supported locale the list asks for, best first (one per range, no repeats), then
/// `fallback` when it is supported and not already listed. A provider that cannot send the
/// first one takes the next it can.
pub fn preferred_locales(accept_language: Option<&str>, fallback: Option<&str>) -> Vec<String> {
    // Best first; equal q-values keep the header's order.
    let ranges = crate::language::accepted_ranges(accept_language.unwrap_or(""));
    let mut chosen: Vec<String> = Vec::new();
    let matches = ranges.iter().filter_map(|tag| {
        let tag = tag.to_ascii_lowercase().replace('_', "-");
        SUPPORTED.iter().find(|s| **s == tag).or_else(|| {
            let language = tag.split('-').next().unwrap_or("");
            SUPPORTED
                .iter()
                .find(|s| s.split('-').next() == Some(language))
        })
    });
    let fallback = fallback
        .map(str::to_ascii_lowercase)
        .filter(|f| SUPPORTED.contains(&f.as_str()));
    for locale in matches.map(|s| (*s).to_owned()).chain(fallback) {
        if !chosen.contains(&locale) {
            chosen.push(locale);
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::{preferred_locale, preferred_locales};

    #[test]
    fn exact_match_wins() {
        assert_eq!(
            preferred_locale(Some("de-DE,de;q=0.9,en;q=0.8"), None),
            Some("de-de".into())
        );
    }

    #[test]
    fn bare_language_takes_its_first_locale() {
        assert_eq!(preferred_locale(Some("fr"), None), Some("fr-fr".into()));
        assert_eq!(
            preferred_locale(Some("en-AU,en;q=0.9"), None),
            Some("en-us".into())
        );
    }

    #[test]
    fn q_values_order_the_choice() {
        assert_eq!(
            preferred_locale(Some("nl;q=1.0, es-MX;q=0.5, it;q=0.8"), None),
            Some("it-it".into())
        );
    }

    #[test]
    fn unsupported_languages_fall_back() {
        assert_eq!(
            preferred_locale(Some("nl-NL,ja"), Some("en-GB")),
            Some("en-gb".into())
        );
        assert_eq!(preferred_locale(None, None), None);
        assert_eq!(preferred_locale(Some("*"), Some("xx-yy")), None);
    }

    #[test]
    fn arabic_is_a_choice() {
        assert_eq!(preferred_locale(Some("ar"), None), Some("ar-xa".into()));
        assert_eq!(
            preferred_locale(Some("ar-EG,ar;q=0.9"), Some("en-gb")),
            Some("ar-xa".into())
        );
    }

    #[test]
    fn the_ranked_list_keeps_every_choice_once_then_the_fallback() {
        assert_eq!(
            preferred_locales(
                Some("ar, ar-SA;q=0.9, fr;q=0.8, en-GB;q=0.5"),
                Some("EN-gb")
            ),
            vec!["ar-xa", "fr-fr", "en-gb"]
        );
        assert_eq!(
            preferred_locales(Some("ar"), Some("en-us")),
            vec!["ar-xa", "en-us"]
        );
        assert_eq!(
            preferred_locales(Some("nl"), Some("xx")),
            Vec::<String>::new()
        );
    }
}
