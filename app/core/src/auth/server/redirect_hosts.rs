//! `AUTH_REDIRECT_HOSTS`: the other sites a sign-in may send the browser back to (for an app
//! behind a proxy that asks this one, see `GET /auth/check`). Empty by default: then only
//! same-site paths are honoured.

use crate::auth::safe_next;

/// The hosts (`app.example.com`, or `app.example.com:8443` for one port only) an absolute
/// `next` URL may name, lowercase. Empty: paths only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedirectHosts(Vec<String>);

impl RedirectHosts {
    /// The allow-list; entries are compared lowercase, exactly (no wildcards).
    pub fn new(hosts: Vec<String>) -> Self {
        Self(hosts.into_iter().map(|h| h.to_ascii_lowercase()).collect())
    }

    /// The listed hosts, as given to [`Self::new`] (lowercase).
    pub fn hosts(&self) -> &[String] {
        &self.0
    }

    /// Where to go after sign-in for `raw`: a [`safe_next`] path, or an `http(s)` URL without
    /// user info whose host (or `host:port`) is listed; `None` for anything else.
    pub fn checked_next(&self, raw: &str) -> Option<String> {
        if let Some(path) = safe_next(raw) {
            return Some(path);
        }
        let candidate = crate::auth::next_candidate(raw)?;
        let url = url::Url::parse(&candidate).ok()?;
        let plain = matches!(url.scheme(), "https" | "http")
            && url.username().is_empty()
            && url.password().is_none();
        let host = url.host_str()?.to_ascii_lowercase();
        let with_port = url.port().map(|port| format!("{host}:{port}"));
        let listed = self
            .0
            .iter()
            .any(|entry| *entry == host || Some(entry) == with_port.as_ref());
        (plain && listed).then(|| url.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::RedirectHosts;

    fn hosts() -> RedirectHosts {
        RedirectHosts::new(vec![
            "App.example.com".into(),
            "wiki.example.com:8443".into(),
        ])
    }

    #[test]
    fn paths_pass_with_or_without_a_list() {
        assert_eq!(
            RedirectHosts::default().checked_next("/account"),
            Some("/account".into())
        );
        assert_eq!(hosts().checked_next("/x?y=1"), Some("/x?y=1".into()));
    }

    #[test]
    fn an_empty_list_refuses_every_absolute_url() {
        let none = RedirectHosts::default();
        assert_eq!(none.checked_next("https://app.example.com/"), None);
    }

    #[test]
    fn listed_hosts_pass() {
        assert_eq!(
            hosts().checked_next("https://app.example.com/page?a=1"),
            Some("https://app.example.com/page?a=1".into())
        );
        assert_eq!(
            hosts().checked_next("HTTPS://APP.EXAMPLE.COM"),
            Some("https://app.example.com/".into())
        );
        assert_eq!(
            hosts().checked_next("https://wiki.example.com:8443/a"),
            Some("https://wiki.example.com:8443/a".into())
        );
    }

    #[test]
    fn other_hosts_ports_and_tricks_are_refused() {
        let refused = [
            "https://evil.example/",
            "https://app.example.com.evil.example/",
            "https://evil.example/?https://app.example.com/",
            "https://app.example.com@evil.example/",
            "https://user@app.example.com/",
            "https://wiki.example.com/a",
            "https://wiki.example.com:9000/a",
            "javascript://app.example.com/%0aalert(1)",
            "ftp://app.example.com/",
            "//app.example.com/",
            "https://app.example.com\\@evil.example/",
            "https://app.example.com/ /x",
        ];
        for raw in refused {
            assert_eq!(hosts().checked_next(raw), None, "{raw}");
        }
    }
}
