//! A solved check counts only for this site and this widget: siteverify's `hostname` must be
//! the site's host (`PUBLIC_URL`'s, else the host the request was served on) and, for
//! Turnstile, its `action` the one our widget is rendered with. A token solved on another
//! site (siteverify says `success` with `hostname: "evil.example"`) is refused like a failed
//! check.

use std::fmt;

/// What siteverify vouches for about a solved token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Solved {
    /// The host the widget was solved on (`hostname`); `None` when the answer names none.
    pub hostname: Option<String>,
    /// The widget's action (Turnstile's `action`); `None` when the answer has none.
    pub action: Option<String>,
}

/// Where a solved token must come from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Binding {
    /// `PUBLIC_URL`'s host; `None`: the host each request was served on.
    pub site_host: Option<String>,
    /// The action the widget is rendered with (Turnstile); `None`: not compared (hCaptcha).
    pub action: Option<String>,
    /// Set only when `CAPTCHA_SECRET` is the provider's documented test secret: the hostname
    /// its canned answer names (`example.com` for Turnstile, `dummy-key-pass` for hCaptcha),
    /// accepted besides the site's, and the action is not compared (the canned answer does
    /// not carry ours). A test secret vouches only for a dummy token anyone can have, so
    /// this gives nothing away.
    pub test_hostname: Option<String>,
}

/// Why a solved token does not count here; named in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// Solved on another host (or the answer names none, or this site's host is unknown).
    Hostname {
        /// What siteverify answered.
        answered: Option<String>,
        /// This site's host.
        expected: Option<String>,
    },
    /// Solved in a widget rendered with another action.
    Action {
        /// What siteverify answered.
        answered: Option<String>,
        /// Our widget's action.
        expected: String,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |value: &Option<String>| match value {
            Some(value) => format!("`{value}`"),
            None => "none".to_owned(),
        };
        match self {
            Self::Hostname { answered, expected } => write!(
                f,
                "solved on hostname {}, not this site's {}",
                shown(answered),
                shown(expected)
            ),
            Self::Action { answered, expected } => write!(
                f,
                "solved for action {}, not our widget's `{expected}`",
                shown(answered)
            ),
        }
    }
}

impl Binding {
    /// `Ok` when `solved` was solved on this site (served as `served_host` when no
    /// `PUBLIC_URL` is set) in our widget.
    pub fn check(&self, solved: &Solved, served_host: Option<&str>) -> Result<(), Mismatch> {
        let expected = self
            .site_host
            .as_deref()
            .or(served_host)
            .and_then(normalized_host);
        let answered = solved.hostname.as_deref().and_then(normalized_host);
        let test_answer = answered.is_some()
            && answered == self.test_hostname.as_deref().and_then(normalized_host);
        let here = answered.is_some() && answered == expected;
        if !here && !test_answer {
            return Err(Mismatch::Hostname {
                answered: solved.hostname.clone(),
                expected,
            });
        }
        match &self.action {
            Some(ours) if self.test_hostname.is_none() && solved.action.as_ref() != Some(ours) => {
                Err(Mismatch::Action {
                    answered: solved.action.clone(),
                    expected: ours.clone(),
                })
            }
            _ => Ok(()),
        }
    }
}

/// A host name as compared: lowercase, without a trailing dot or IPv6 brackets; `None` when
/// empty.
pub fn normalized_host(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.');
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solved(hostname: &str, action: Option<&str>) -> Solved {
        Solved {
            hostname: Some(hostname.to_owned()),
            action: action.map(str::to_owned),
        }
    }

    fn turnstile(site_host: Option<&str>) -> Binding {
        Binding {
            site_host: site_host.map(str::to_owned),
            action: Some("login".into()),
            test_hostname: None,
        }
    }

    #[test]
    fn a_token_solved_on_another_site_is_refused_and_named() {
        let binding = turnstile(None);
        let elsewhere = binding.check(&solved("evil.example", Some("login")), Some("127.0.0.1"));
        assert_eq!(
            elsewhere,
            Err(Mismatch::Hostname {
                answered: Some("evil.example".into()),
                expected: Some("127.0.0.1".into()),
            })
        );
        let text = elsewhere.expect_err("refused").to_string();
        assert_eq!(
            text,
            "solved on hostname `evil.example`, not this site's `127.0.0.1`"
        );
        assert_eq!(
            binding.check(&solved("127.0.0.1", Some("login")), Some("127.0.0.1")),
            Ok(())
        );
    }

    #[test]
    fn public_url_is_the_site_whatever_host_the_request_names() {
        let binding = turnstile(Some("login.example.com"));
        assert_eq!(
            binding.check(
                &solved("login.example.com", Some("login")),
                Some("10.0.0.5")
            ),
            Ok(())
        );
        assert!(binding
            .check(&solved("10.0.0.5", Some("login")), Some("10.0.0.5"))
            .is_err());
    }

    #[test]
    fn another_widgets_action_or_none_is_refused() {
        let binding = turnstile(None);
        let other = binding.check(&solved("localhost", Some("signup")), Some("localhost"));
        assert_eq!(
            other.expect_err("refused").to_string(),
            "solved for action `signup`, not our widget's `login`"
        );
        let none = binding.check(&solved("localhost", None), Some("localhost"));
        assert!(matches!(none, Err(Mismatch::Action { answered: None, .. })));
        let hcaptcha = Binding {
            action: None,
            ..turnstile(None)
        };
        assert_eq!(
            hcaptcha.check(&solved("localhost", None), Some("localhost")),
            Ok(()),
            "hCaptcha has no action"
        );
    }

    #[test]
    fn an_answer_without_a_hostname_or_a_site_without_a_host_binds_nothing() {
        let binding = turnstile(None);
        let nameless = Solved {
            hostname: None,
            action: Some("login".into()),
        };
        assert!(binding.check(&nameless, Some("localhost")).is_err());
        assert!(binding
            .check(&solved("localhost", Some("login")), None)
            .is_err());
        assert!(binding.check(&solved("", Some("login")), Some("")).is_err());
    }

    #[test]
    fn hosts_compare_without_case_trailing_dot_or_brackets() {
        let binding = turnstile(None);
        assert_eq!(
            binding.check(
                &solved("Login.Example.COM.", Some("login")),
                Some("login.example.com")
            ),
            Ok(())
        );
        assert_eq!(
            binding.check(&solved("::1", Some("login")), Some("[::1]")),
            Ok(())
        );
    }

    #[test]
    fn the_test_secrets_canned_hostname_passes_only_when_that_secret_is_configured() {
        let canned = solved("example.com", Some(""));
        assert!(turnstile(None).check(&canned, Some("127.0.0.1")).is_err());
        let testing = Binding {
            test_hostname: Some("example.com".into()),
            ..turnstile(None)
        };
        assert_eq!(testing.check(&canned, Some("127.0.0.1")), Ok(()));
        assert!(
            testing
                .check(&solved("evil.example", Some("login")), Some("127.0.0.1"))
                .is_err(),
            "any other host is still refused"
        );
    }
}
