//! The message language: the browser's `Accept-Language`, matched to what Vonage Verify
//! supports, else the configured fallback.

/// Locales Vonage Verify v2 documents (v1 accepts these too).
const SUPPORTED: &[&str] = &[
    "en-us", "en-gb", "es-es", "es-mx", "es-us", "it-it", "fr-fr", "de-de", "ru-ru", "hi-in",
    "pt-br", "pt-pt", "id-id",
];

/// The best supported locale for an `Accept-Language` header, honouring its order and
/// q-values; a bare language (`fr`) takes that language's first listed locale. Falls back to
/// `fallback` (itself only if supported).
pub fn preferred_locale(accept_language: Option<&str>, fallback: Option<&str>) -> Option<String> {
    let mut ranges: Vec<(f32, String)> = accept_language
        .unwrap_or("")
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && tag != "*" && q > 0.0).then_some((q, tag))
        })
        .collect();
    // Stable: equal q-values keep the header's order.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    let matched = ranges.iter().find_map(|(_, tag)| {
        let tag = tag.replace('_', "-");
        SUPPORTED.iter().find(|s| **s == tag).or_else(|| {
            let language = tag.split('-').next().unwrap_or("");
            SUPPORTED
                .iter()
                .find(|s| s.split('-').next() == Some(language))
        })
    });
    matched.map(|s| (*s).to_owned()).or_else(|| {
        fallback
            .map(str::to_ascii_lowercase)
            .filter(|f| SUPPORTED.contains(&f.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::preferred_locale;

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
}
