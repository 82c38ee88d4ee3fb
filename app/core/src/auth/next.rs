//! Where to go after sign-in: same-site relative paths, and absolute URLs only on the hosts
//! the operator listed (`AUTH_REDIRECT_HOSTS`, see `server::redirect_hosts`): no open
//! redirect.

/// Longest `next` path kept.
const MAX_LEN: usize = 256;

/// Returns `raw` if it is a plain same-site path such as `/account?tab=1`, else `None`.
/// Refused: absolute URLs (`https://…`), protocol-relative (`//evil.example`), backslash
/// tricks (`/\evil.example`, which browsers treat as `//`), control characters, overlong.
pub fn safe_next(raw: &str) -> Option<String> {
    let path = raw.trim();
    let plain = path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= MAX_LEN
        && !path.contains('\\')
        && !path.chars().any(|c| c.is_control() || c.is_whitespace())
        && !path.to_ascii_lowercase().contains("%5c")
        && !path[1..].starts_with("%2f")
        && !path[1..].starts_with("%2F");
    plain.then(|| path.to_owned())
}

/// Longest absolute `next` URL kept.
const MAX_URL_LEN: usize = 1024;

/// `raw` if it may be a `next`: a [`safe_next`] path, or an `http(s)://` URL of plain
/// characters (its host is checked against the allow-list on the server). The login page
/// passes these on; anything else is dropped in the browser already.
pub fn next_candidate(raw: &str) -> Option<String> {
    safe_next(raw).or_else(|| {
        let url = raw.trim();
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        let absolute = (lower.starts_with("https://") || lower.starts_with("http://"))
            && url.len() <= MAX_URL_LEN
            && !url.contains('\\')
            && !url.chars().any(|c| c.is_control() || c.is_whitespace());
        absolute.then(|| url.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn keeps_same_site_paths() {
        assert_eq!(safe_next("/account"), Some("/account".into()));
        assert_eq!(
            safe_next("/account?tab=security#top"),
            Some("/account?tab=security#top".into())
        );
    }

    #[test]
    fn refuses_protocol_relative() {
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("//evil.example/account"), None);
    }

    #[test]
    fn refuses_absolute_urls() {
        assert_eq!(safe_next("https://evil.example/"), None);
        assert_eq!(safe_next("javascript:alert(1)"), None);
    }

    #[test]
    fn refuses_backslash_tricks() {
        assert_eq!(safe_next("/\\evil.example"), None);
        assert_eq!(safe_next("/%5Cevil.example"), None);
        assert_eq!(safe_next("/%2F/evil.example"), None);
    }

    #[test]
    fn refuses_control_characters_whitespace_and_overlong() {
        assert_eq!(safe_next("/acc\nount"), None);
        assert_eq!(safe_next("/ /evil"), None);
        assert_eq!(safe_next(&format!("/{}", "a".repeat(300))), None);
        assert_eq!(safe_next(""), None);
    }
}
