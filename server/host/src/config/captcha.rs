//! The `CAPTCHA_*` settings: the human check asked for before risky code sends.

use super::ConfigError;
use app_core::auth::server::challenge::ChallengeWhen;
use app_core::auth::server::rate_limit::Rule;
use app_core::auth::CaptchaProvider;
use secrecy::SecretString;
use url::Url;

/// A configured CAPTCHA provider. `Debug` prints `secret` as `[REDACTED]`.
#[derive(Clone, Debug)]
pub struct CaptchaConfig {
    /// `CAPTCHA_PROVIDER`: `turnstile` or `hcaptcha`.
    pub provider: CaptchaProvider,
    /// `CAPTCHA_SITE_KEY`: the public key the widget is rendered with.
    pub site_key: String,
    /// `CAPTCHA_SECRET`: the key siteverify is called with; never sent to the browser.
    pub secret: SecretString,
    /// `CAPTCHA_WHEN`: `risky` (default) or `always`.
    pub when: ChallengeWhen,
    /// `CAPTCHA_IP_BURST`: sends from one address (IPv6: its `LIMIT_IPV6_PREFIX` network)
    /// per window before the next is risky (default `3/10m`); each `LIMIT_IPV6_WIDER`
    /// network allows its factor times as many.
    pub ip_burst: Rule,
    /// `CAPTCHA_SCRIPT_URL`: the widget's script, an `https://` URL or a same-site path.
    /// Unset: the provider's, or the emulator's stand-in when the emulator is the provider.
    pub script_url: Option<String>,
    /// `CAPTCHA_VERIFY_URL`: the siteverify endpoint. Unset: the provider's, or the
    /// emulator's stand-in when the emulator is the provider.
    pub verify_url: Option<Url>,
    /// `PUBLIC_URL`'s host: siteverify's `hostname` must name it. Unset: the host each
    /// request was served on.
    pub site_host: Option<String>,
}

/// The provider's explicit-render script.
pub fn default_script_url(provider: CaptchaProvider) -> &'static str {
    match provider {
        CaptchaProvider::Turnstile => {
            "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit"
        }
        CaptchaProvider::Hcaptcha => "https://js.hcaptcha.com/1/api.js?render=explicit",
    }
}

/// The provider's siteverify endpoint.
pub fn default_verify_url(provider: CaptchaProvider) -> &'static str {
    match provider {
        CaptchaProvider::Turnstile => "https://challenges.cloudflare.com/turnstile/v0/siteverify",
        CaptchaProvider::Hcaptcha => "https://api.hcaptcha.com/siteverify",
    }
}

/// Reads the `CAPTCHA_*` settings; `None` when `CAPTCHA_PROVIDER` is unset.
pub(super) fn parse_captcha(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<CaptchaConfig>, ConfigError> {
    let fail = |variable: &'static str, problem: String| ConfigError { variable, problem };
    let provider = match get("CAPTCHA_PROVIDER").as_deref() {
        None => {
            for variable in ["CAPTCHA_SITE_KEY", "CAPTCHA_SECRET"] {
                if get(variable).is_some() {
                    return Err(fail(
                        "CAPTCHA_PROVIDER",
                        format!("{variable} is set but no provider: set turnstile or hcaptcha"),
                    ));
                }
            }
            return Ok(None);
        }
        Some("turnstile") => CaptchaProvider::Turnstile,
        Some("hcaptcha") => CaptchaProvider::Hcaptcha,
        Some(other) => {
            return Err(fail(
                "CAPTCHA_PROVIDER",
                format!("`{other}` is not turnstile or hcaptcha"),
            ))
        }
    };
    let required = |variable: &'static str| {
        get(variable).ok_or_else(|| {
            fail(
                variable,
                format!("is required with CAPTCHA_PROVIDER={}", provider.name()),
            )
        })
    };
    let site_key = required("CAPTCHA_SITE_KEY")?;
    if site_key.len() > 100
        || !site_key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(fail(
            "CAPTCHA_SITE_KEY",
            "must be the provider's site key (letters, digits, - and _)".into(),
        ));
    }
    let secret = SecretString::from(required("CAPTCHA_SECRET")?);
    let when = match get("CAPTCHA_WHEN").as_deref() {
        None | Some("risky") => ChallengeWhen::Risky,
        Some("always") => ChallengeWhen::Always,
        Some(other) => {
            return Err(fail(
                "CAPTCHA_WHEN",
                format!("`{other}` is not risky or always"),
            ))
        }
    };
    let ip_burst = Rule::parse(&get("CAPTCHA_IP_BURST").unwrap_or_else(|| "3/10m".into()))
        .map_err(|problem| fail("CAPTCHA_IP_BURST", problem))?;
    let script_url = get("CAPTCHA_SCRIPT_URL")
        .map(|raw| {
            let path = raw.starts_with('/') && !raw.starts_with("//");
            let https = Url::parse(&raw).is_ok_and(|u| u.scheme() == "https" && u.host().is_some());
            match path || https {
                true => Ok(raw),
                false => Err(fail(
                    "CAPTCHA_SCRIPT_URL",
                    format!("`{raw}` is neither an https:// URL nor a path on this site"),
                )),
            }
        })
        .transpose()?;
    let verify_url = get("CAPTCHA_VERIFY_URL")
        .map(|raw| {
            Url::parse(&raw)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                .ok_or_else(|| {
                    fail(
                        "CAPTCHA_VERIFY_URL",
                        format!("`{raw}` is not an http(s) URL"),
                    )
                })
        })
        .transpose()?;
    // PUBLIC_URL itself is checked (and a bad one refused) with the edge settings.
    let site_host = get("PUBLIC_URL")
        .and_then(|raw| Url::parse(&raw).ok())
        .and_then(|url| url.host_str().map(str::to_owned));
    Ok(Some(CaptchaConfig {
        provider,
        site_key,
        secret,
        when,
        ip_burst,
        script_url,
        verify_url,
        site_host,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(vars: &[(&str, &str)]) -> Result<Option<CaptchaConfig>, ConfigError> {
        let map: HashMap<&str, &str> = vars.iter().copied().collect();
        parse_captcha(&|name: &str| map.get(name).map(|v| (*v).to_owned()))
    }

    #[test]
    fn off_unless_a_provider_is_named() {
        assert!(parse(&[]).expect("valid").is_none());
        let e = parse(&[("CAPTCHA_SECRET", "x")]).expect_err("a secret without provider");
        assert_eq!(e.variable, "CAPTCHA_PROVIDER");
    }

    #[test]
    fn a_provider_needs_its_keys_and_takes_the_defaults() {
        let e = parse(&[("CAPTCHA_PROVIDER", "turnstile")]).expect_err("no site key");
        assert_eq!(e.variable, "CAPTCHA_SITE_KEY");
        let e = parse(&[("CAPTCHA_PROVIDER", "hcaptcha"), ("CAPTCHA_SITE_KEY", "k")])
            .expect_err("no secret");
        assert_eq!(e.variable, "CAPTCHA_SECRET");
        let c = parse(&[
            ("CAPTCHA_PROVIDER", "turnstile"),
            ("CAPTCHA_SITE_KEY", "1x00000000000000000000AA"),
            ("CAPTCHA_SECRET", "1x0000000000000000000000000000000AA"),
        ])
        .expect("valid")
        .expect("on");
        assert_eq!(c.provider, CaptchaProvider::Turnstile);
        assert_eq!(c.when, ChallengeWhen::Risky);
        assert_eq!(c.ip_burst, Rule::parse("3/10m").expect("rule"));
        assert!(c.script_url.is_none() && c.verify_url.is_none());
        assert!(
            c.site_host.is_none(),
            "bound to the host each request names"
        );
        assert!(!format!("{c:?}").contains("1x0000000000000000000000000000000AA"));
    }

    #[test]
    fn public_urls_host_is_the_site_checks_are_bound_to() {
        let c = parse(&[
            ("CAPTCHA_PROVIDER", "turnstile"),
            ("CAPTCHA_SITE_KEY", "key"),
            ("CAPTCHA_SECRET", "secret"),
            ("PUBLIC_URL", "https://Login.Example.com:8443"),
        ])
        .expect("valid")
        .expect("on");
        assert_eq!(c.site_host.as_deref(), Some("login.example.com"));
    }

    #[test]
    fn each_mistake_names_its_variable() {
        let base = [
            ("CAPTCHA_PROVIDER", "turnstile"),
            ("CAPTCHA_SITE_KEY", "key"),
            ("CAPTCHA_SECRET", "secret"),
        ];
        for (variable, value) in [
            ("CAPTCHA_PROVIDER", "recaptcha"),
            ("CAPTCHA_SITE_KEY", "<script>"),
            ("CAPTCHA_WHEN", "sometimes"),
            ("CAPTCHA_IP_BURST", "three"),
            ("CAPTCHA_SCRIPT_URL", "http://evil.example/api.js"),
            ("CAPTCHA_SCRIPT_URL", "//evil.example/api.js"),
            ("CAPTCHA_VERIFY_URL", "ftp://x"),
        ] {
            let mut vars: Vec<(&str, &str)> = base
                .iter()
                .copied()
                .filter(|(k, _)| *k != variable)
                .collect();
            vars.push((variable, value));
            let e = parse(&vars).expect_err(value);
            assert_eq!(e.variable, variable, "{value}");
        }
    }
}
