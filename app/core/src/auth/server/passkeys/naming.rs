//! A passkey's default name, from the browser that created it: "Chrome on Linux".

/// Names a passkey after the browser and system in `user_agent`, falling back to "Passkey".
pub fn passkey_name(user_agent: Option<&str>) -> String {
    match browser_and_system(user_agent) {
        Some(name) if name.starts_with("on ") => format!("Passkey {name}"),
        Some(name) => name,
        None => "Passkey".to_owned(),
    }
}

/// "Chrome on Linux", "Chrome", or "on Linux" (system only) from `user_agent`; `None` when
/// neither is recognised. Only a few well-known tokens are read; the rest is ignored.
pub fn browser_and_system(user_agent: Option<&str>) -> Option<String> {
    let ua = user_agent?;
    // Order matters: Edge and Opera also say "Chrome"; Chrome also says "Safari".
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(token, _)| ua.contains(token))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Mac OS X", "macOS"),
        ("Windows", "Windows"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(token, _)| ua.contains(token))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => Some(format!("{b} on {s}")),
        (Some(b), None) => Some(b.to_owned()),
        (None, Some(s)) => Some(format!("on {s}")),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::passkey_name;

    #[test]
    fn names_say_browser_and_system() {
        let chrome_linux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(passkey_name(Some(chrome_linux)), "Chrome on Linux");
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        assert_eq!(passkey_name(Some(safari_iphone)), "Safari on iPhone");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(passkey_name(Some(edge)), "Edge on Windows");
        assert_eq!(passkey_name(Some("curl/8.0")), "Passkey");
        assert_eq!(passkey_name(None), "Passkey");
    }
}
