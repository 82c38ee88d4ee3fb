//! `DEFAULT_LANGUAGE`: the pages' language when a visitor names none we have.

use super::ConfigError;
use app_core::i18n::Locale;
use app_core::language;

/// The configured default language: exactly one of the supported tags (`en`, `es`, `fr`,
/// `de`, `pt-BR`, `ar`; case-insensitive); unset is English. Anything else is an error naming
/// the variable and the choices.
pub(super) fn parse_default_language(raw: Option<String>) -> Result<Locale, ConfigError> {
    let Some(raw) = raw else {
        return Ok(Locale::default());
    };
    language::supported(&raw)
        .filter(|locale| language::tag(*locale).eq_ignore_ascii_case(raw.trim()))
        .ok_or_else(|| {
            let choices: Vec<&str> = language::all().iter().map(|l| language::tag(*l)).collect();
            ConfigError {
                variable: "DEFAULT_LANGUAGE",
                problem: format!("{raw:?} is not one of {}", choices.join(", ")),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supported_tag_is_the_default_and_unset_is_english() {
        assert_eq!(parse_default_language(None).ok(), Some(Locale::en));
        assert_eq!(
            parse_default_language(Some("pt-br".into())).ok(),
            Some(Locale::pt_BR)
        );
        assert_eq!(
            parse_default_language(Some("ar".into())).ok(),
            Some(Locale::ar)
        );
    }

    #[test]
    fn anything_else_names_the_variable() {
        for bad in ["it", "es-MX", "english", "<x>"] {
            let error = parse_default_language(Some(bad.into())).err();
            assert_eq!(error.map(|e| e.variable), Some("DEFAULT_LANGUAGE"), "{bad}");
        }
    }
}
