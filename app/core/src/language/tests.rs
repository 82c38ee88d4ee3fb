use super::*;

#[test]
fn an_explicit_choice_wins_over_the_browser() {
    assert_eq!(negotiate(Some("ar"), Some("es-ES,es;q=0.9")), Locale::ar);
}

#[test]
fn the_browser_wins_over_the_default() {
    assert_eq!(negotiate(None, Some("de-DE,de;q=0.9,en;q=0.8")), Locale::de);
    assert_eq!(negotiate(None, None), Locale::en);
}

#[test]
fn regional_variants_take_their_language() {
    assert_eq!(negotiate(None, Some("es-MX")), Locale::es);
    assert_eq!(negotiate(None, Some("pt-PT")), Locale::pt_BR);
    assert_eq!(negotiate(None, Some("pt-br")), Locale::pt_BR);
    assert_eq!(negotiate(None, Some("ar-EG")), Locale::ar);
    assert_eq!(negotiate(None, Some("fr_CA")), Locale::fr);
}

#[test]
fn q_values_order_the_ranges() {
    assert_eq!(
        negotiate(None, Some("nl;q=1.0, es;q=0.5, fr;q=0.8")),
        Locale::fr
    );
    assert_eq!(negotiate(None, Some("de;q=0, es")), Locale::es);
}

#[test]
fn unsupported_or_forged_choices_fall_back() {
    assert_eq!(negotiate(Some("xx"), Some("ja,nl")), Locale::en);
    assert_eq!(negotiate(Some("<script>"), None), Locale::en);
    assert_eq!(negotiate(Some(""), Some("fr")), Locale::fr);
    assert_eq!(negotiate(None, Some("*")), Locale::en);
}

#[test]
fn the_cookie_is_read_among_others() {
    assert_eq!(cookie_choice("id=abc; lang=pt-BR; x=1"), Some("pt-BR"));
    assert_eq!(cookie_choice("language=fr"), None);
    assert_eq!(cookie_choice(""), None);
}

#[test]
fn arabic_is_the_right_to_left_language() {
    let rtl: Vec<_> = all().iter().filter(|l| is_rtl(**l)).collect();
    assert_eq!(rtl, [&Locale::ar]);
    assert!(all().len() >= 6, "English plus at least five languages");
}
