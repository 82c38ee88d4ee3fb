use super::*;

fn settings(base: &str) -> VonageSettings {
    VonageSettings::new("key", SecretString::from("secret"))
        .with_base_url(Url::parse(base).expect("test URL"))
}

#[test]
fn defaults_are_documented_values() {
    let s = VonageSettings::new("key", SecretString::from("secret"));
    assert_eq!(s.base_url.as_str(), "https://api.nexmo.com/");
    assert_eq!(s.connect_timeout, Duration::from_secs(2));
    assert_eq!(s.timeout, Duration::from_secs(10));
}

#[test]
fn debug_hides_the_secret() {
    let s = VonageSettings::new("key", SecretString::from("hunter2-secret"));
    let printed = format!("{s:?}");
    assert!(!printed.contains("hunter2-secret"), "{printed}");
    assert!(printed.contains("key"));
}

#[test]
fn endpoint_appends_encoded_segments_after_any_prefix() {
    let base = Url::parse("http://127.0.0.1:9/prefix/").expect("test URL");
    let url = endpoint(&base, &["v2", "verify", "a/b c"]).expect("base URL");
    assert_eq!(
        url.as_str(),
        "http://127.0.0.1:9/prefix/v2/verify/a%2Fb%20c"
    );
    let root = Url::parse("https://api.nexmo.com").expect("test URL");
    let url = endpoint(&root, &["verify", "json"]).expect("base URL");
    assert_eq!(url.as_str(), "https://api.nexmo.com/verify/json");
}

#[test]
fn rejects_non_http_base_urls() {
    assert!(http_client(&settings("mailto:someone@example.com")).is_err());
    assert!(http_client(&settings("ftp://example.com")).is_err());
    assert!(http_client(&settings("http://localhost:1234")).is_ok());
}

#[test]
fn recognises_loopback_hosts() {
    for (url, loopback) in [
        ("http://127.0.0.1:1", true),
        ("http://[::1]:1", true),
        ("http://LOCALHOST:1", true),
        ("https://api.nexmo.com", false),
    ] {
        assert_eq!(
            is_loopback(&Url::parse(url).expect("test URL")),
            loopback,
            "{url}"
        );
    }
}

#[test]
fn truncates_by_characters_not_bytes() {
    assert_eq!(truncate_chars("ÀÉÎÕÜ-brand", 3), "ÀÉÎ");
    assert_eq!(truncate_chars("ab", 16), "ab");
}
