//! The message texts in the request's language, short and plain like the vendors' own:
//! English, Spanish, French, German, Portuguese (Brazilian) and Arabic; any other locale (or
//! none) gets English. Vonage-style texts (v2 and v1) name the brand and the minutes left;
//! Twilio-style texts name the service's friendly name. Voice texts read the digits one by
//! one. The WebOTP line is not part of these texts (the caller appends it unchanged).

/// A language the emulator writes messages in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Language {
    English,
    Spanish,
    French,
    German,
    Portuguese,
    Arabic,
}

impl Language {
    /// The language of a locale as any of the APIs spell it (`es-es`, `es`, `pt-BR`,
    /// `ar-xa`, `ar`, `de_DE`…), by its first subtag; English for anything else or none.
    pub(crate) fn of(locale: Option<&str>) -> Self {
        let language = locale
            .and_then(|l| l.trim().split(['-', '_']).next())
            .map(str::to_ascii_lowercase);
        match language.as_deref() {
            Some("es") => Self::Spanish,
            Some("fr") => Self::French,
            Some("de") => Self::German,
            Some("pt") => Self::Portuguese,
            Some("ar") => Self::Arabic,
            _ => Self::English,
        }
    }
}

/// "N minutes" in `language`, singular for one (Arabic: its one/two/few/many forms).
fn minutes(language: Language, n: u64) -> String {
    match (language, n) {
        (Language::English, 1) => "1 minute".to_owned(),
        (Language::English, _) => format!("{n} minutes"),
        (Language::Spanish, 1) => "1 minuto".to_owned(),
        (Language::Spanish, _) => format!("{n} minutos"),
        (Language::French, 1) => "1 minute".to_owned(),
        (Language::French, _) => format!("{n} minutes"),
        (Language::German, 1) => "1 Minute".to_owned(),
        (Language::German, _) => format!("{n} Minuten"),
        (Language::Portuguese, 1) => "1 minuto".to_owned(),
        (Language::Portuguese, _) => format!("{n} minutos"),
        (Language::Arabic, 1) => "دقيقة واحدة".to_owned(),
        (Language::Arabic, 2) => "دقيقتين".to_owned(),
        (Language::Arabic, 3..=10) => format!("{n} دقائق"),
        (Language::Arabic, _) => format!("{n} دقيقة"),
    }
}

/// Vonage's SMS: `Your {brand} code is {code}. It expires in {n} minutes.`
pub(crate) fn vonage_sms(language: Language, brand: &str, code: &str, left_minutes: u64) -> String {
    let left = minutes(language, left_minutes);
    match language {
        Language::English => format!("Your {brand} code is {code}. It expires in {left}."),
        Language::Spanish => format!("Tu código de {brand} es {code}. Caduca en {left}."),
        Language::French => format!("Votre code {brand} est {code}. Il expire dans {left}."),
        Language::German => format!("Ihr {brand}-Code lautet {code}. Er läuft in {left} ab."),
        Language::Portuguese => format!("Seu código {brand} é {code}. Ele expira em {left}."),
        Language::Arabic => format!("رمز {brand} الخاص بك هو {code}. تنتهي صلاحيته خلال {left}."),
    }
}

/// Vonage's call: `This is {brand}. Your code is 1 2 3 4 5 6.`
pub(crate) fn vonage_voice(language: Language, brand: &str, digits: &str) -> String {
    match language {
        Language::English => format!("This is {brand}. Your code is {digits}."),
        Language::Spanish => format!("Le llamamos de {brand}. Su código es {digits}."),
        Language::French => format!("Ici {brand}. Votre code est {digits}."),
        Language::German => format!("Hier ist {brand}. Ihr Code lautet {digits}."),
        Language::Portuguese => format!("Aqui é {brand}. Seu código é {digits}."),
        Language::Arabic => format!("معك {brand}. رمزك هو {digits}."),
    }
}

/// Twilio's SMS: `Your {name} verification code is: {code}`
pub(crate) fn twilio_sms(language: Language, name: &str, code: &str) -> String {
    match language {
        Language::English => format!("Your {name} verification code is: {code}"),
        Language::Spanish => format!("Tu código de verificación de {name} es: {code}"),
        Language::French => format!("Votre code de vérification {name} est : {code}"),
        Language::German => format!("Ihr {name} Verifizierungscode lautet: {code}"),
        Language::Portuguese => format!("Seu código de verificação {name} é: {code}"),
        Language::Arabic => format!("رمز التحقق الخاص بك في {name} هو: {code}"),
    }
}

/// Twilio's call: `Your {name} verification code is 1 2 3 4 5 6.`
pub(crate) fn twilio_voice(language: Language, name: &str, digits: &str) -> String {
    match language {
        Language::English => format!("Your {name} verification code is {digits}."),
        Language::Spanish => format!("Tu código de verificación de {name} es {digits}."),
        Language::French => format!("Votre code de vérification {name} est {digits}."),
        Language::German => format!("Ihr {name} Verifizierungscode lautet {digits}."),
        Language::Portuguese => format!("Seu código de verificação {name} é {digits}."),
        Language::Arabic => format!("رمز التحقق الخاص بك في {name} هو {digits}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_language_of_every_api_spelling() {
        for (locale, language) in [
            (Some("es-es"), Language::Spanish),
            (Some("es"), Language::Spanish),
            (Some("es-MX"), Language::Spanish),
            (Some("fr-fr"), Language::French),
            (Some("de_DE"), Language::German),
            (Some("pt-BR"), Language::Portuguese),
            (Some("pt-pt"), Language::Portuguese),
            (Some("ar-xa"), Language::Arabic),
            (Some("ar"), Language::Arabic),
            (Some("en-gb"), Language::English),
            (Some("it-it"), Language::English),
            (Some(""), Language::English),
            (None, Language::English),
        ] {
            assert_eq!(Language::of(locale), language, "{locale:?}");
        }
    }

    #[test]
    fn vonage_sms_per_language() {
        let sms = |language| vonage_sms(language, "Acme", "123456", 5);
        assert_eq!(
            sms(Language::English),
            "Your Acme code is 123456. It expires in 5 minutes."
        );
        assert_eq!(
            sms(Language::Spanish),
            "Tu código de Acme es 123456. Caduca en 5 minutos."
        );
        assert_eq!(
            sms(Language::French),
            "Votre code Acme est 123456. Il expire dans 5 minutes."
        );
        assert_eq!(
            sms(Language::German),
            "Ihr Acme-Code lautet 123456. Er läuft in 5 Minuten ab."
        );
        assert_eq!(
            sms(Language::Portuguese),
            "Seu código Acme é 123456. Ele expira em 5 minutos."
        );
        assert_eq!(
            sms(Language::Arabic),
            "رمز Acme الخاص بك هو 123456. تنتهي صلاحيته خلال 5 دقائق."
        );
    }

    #[test]
    fn minutes_agree_with_their_number() {
        let sms = |language, n| vonage_sms(language, "Acme", "1234", n);
        assert!(sms(Language::English, 1).ends_with("in 1 minute."));
        assert!(sms(Language::Spanish, 1).ends_with("en 1 minuto."));
        assert!(sms(Language::German, 1).ends_with("in 1 Minute ab."));
        assert!(sms(Language::Arabic, 1).ends_with("خلال دقيقة واحدة."));
        assert!(sms(Language::Arabic, 2).ends_with("خلال دقيقتين."));
        assert!(sms(Language::Arabic, 15).ends_with("خلال 15 دقيقة."));
    }

    #[test]
    fn vonage_voice_per_language() {
        let voice = |language| vonage_voice(language, "Acme", "1 2 3");
        assert_eq!(
            voice(Language::English),
            "This is Acme. Your code is 1 2 3."
        );
        assert_eq!(
            voice(Language::Spanish),
            "Le llamamos de Acme. Su código es 1 2 3."
        );
        assert_eq!(voice(Language::French), "Ici Acme. Votre code est 1 2 3.");
        assert_eq!(
            voice(Language::German),
            "Hier ist Acme. Ihr Code lautet 1 2 3."
        );
        assert_eq!(
            voice(Language::Portuguese),
            "Aqui é Acme. Seu código é 1 2 3."
        );
        assert_eq!(voice(Language::Arabic), "معك Acme. رمزك هو 1 2 3.");
    }

    #[test]
    fn twilio_texts_per_language() {
        let sms = |language| twilio_sms(language, "Acme", "424242");
        assert_eq!(
            sms(Language::English),
            "Your Acme verification code is: 424242"
        );
        assert_eq!(
            sms(Language::Spanish),
            "Tu código de verificación de Acme es: 424242"
        );
        assert_eq!(
            sms(Language::French),
            "Votre code de vérification Acme est : 424242"
        );
        assert_eq!(
            sms(Language::German),
            "Ihr Acme Verifizierungscode lautet: 424242"
        );
        assert_eq!(
            sms(Language::Portuguese),
            "Seu código de verificação Acme é: 424242"
        );
        assert_eq!(
            sms(Language::Arabic),
            "رمز التحقق الخاص بك في Acme هو: 424242"
        );
        let voice = |language| twilio_voice(language, "Acme", "4 2");
        assert_eq!(
            voice(Language::English),
            "Your Acme verification code is 4 2."
        );
        assert_eq!(
            voice(Language::Spanish),
            "Tu código de verificación de Acme es 4 2."
        );
        assert_eq!(
            voice(Language::French),
            "Votre code de vérification Acme est 4 2."
        );
        assert_eq!(
            voice(Language::German),
            "Ihr Acme Verifizierungscode lautet 4 2."
        );
        assert_eq!(
            voice(Language::Portuguese),
            "Seu código de verificação Acme é 4 2."
        );
        assert_eq!(
            voice(Language::Arabic),
            "رمز التحقق الخاص بك في Acme هو 4 2."
        );
    }
}
