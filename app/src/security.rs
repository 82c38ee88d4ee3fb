//! The page Content-Security-Policy: only our own files, the hydration script by nonce, and
//! wasm compilation (`'wasm-unsafe-eval'`); the CAPTCHA provider's origins only when one is
//! configured. Set on every SSR page by [`crate::shell`].

use leptos::config::{Env, LeptosOptions};
use leptos::nonce::use_nonce;
use leptos::prelude::*;

/// Builds the policy for one response. `dev_reload` adds the live-reload websocket that
/// `cargo leptos watch` serves on `reload_port`; `widget_origins` (the CAPTCHA provider's,
/// empty unless one is configured) may serve scripts, frames, styles and calls.
pub fn content_security_policy(
    nonce: &str,
    dev_reload: Option<(&str, u32)>,
    widget_origins: &[String],
) -> String {
    let reload = dev_reload
        .map(|(host, port)| format!(" ws://{host}:{port}"))
        .unwrap_or_default();
    let widget: String = widget_origins.iter().map(|o| format!(" {o}")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'{widget}; \
         style-src 'self'{widget}; frame-src 'self'{widget}; img-src 'self' data:; \
         connect-src 'self'{reload}{widget}; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// `policy` with `hosts` (`AUTH_REDIRECT_HOSTS`) added to `form-action`: a sign-in form's
/// redirect to another app must be allowed there, or browsers stop it.
pub fn form_may_lead_to(policy: &str, hosts: &[String]) -> String {
    let extra: String = hosts.iter().map(|host| format!(" {host}")).collect();
    policy.replace("form-action 'self'", &format!("form-action 'self'{extra}"))
}

/// Puts the policy for the current request's nonce on the response.
pub fn set_page_csp(options: &LeptosOptions) {
    let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        tracing::error!("no nonce or ResponseOptions in page context: CSP not set");
        return;
    };
    let host = options.site_addr.ip().to_string();
    let dev_reload = (options.env == Env::DEV).then_some((host.as_str(), options.reload_port));
    let auth = use_context::<std::sync::Arc<crate::auth::server::AuthContext>>();
    let widget_origins = auth
        .as_ref()
        .and_then(|auth| auth.challenge.as_ref())
        .map(|challenge| challenge.csp_origins())
        .unwrap_or_default();
    let policy = content_security_policy(&nonce.to_string(), dev_reload, widget_origins);
    let redirect_hosts = auth
        .as_ref()
        .map(|auth| auth.redirect_hosts.hosts())
        .unwrap_or_default();
    let policy = form_may_lead_to(&policy, redirect_hosts);
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_wasm_and_only_the_nonced_inline_script() {
        let csp = content_security_policy("abc123", None, &[]);
        assert_eq!(form_may_lead_to(&csp, &[]), csp);
        let hosts = [
            "app.example.com".to_owned(),
            "wiki.example.com:8443".to_owned(),
        ];
        assert!(form_may_lead_to(&csp, &hosts)
            .contains("form-action 'self' app.example.com wiki.example.com:8443;"));
        assert!(csp.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(csp.contains("frame-src 'self';"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("ws://"));
    }

    #[test]
    fn dev_mode_allows_the_reload_socket() {
        assert!(content_security_policy("n", Some(("127.0.0.1", 3001)), &[])
            .contains("connect-src 'self' ws://127.0.0.1:3001"));
    }

    #[test]
    fn a_captcha_provider_is_admitted_only_when_configured() {
        let origin = ["https://challenges.cloudflare.com".to_owned()];
        let csp = content_security_policy("n", None, &origin);
        for directive in ["script-src", "style-src", "frame-src", "connect-src"] {
            let rule = csp
                .split(';')
                .find(|d| d.trim_start().starts_with(directive))
                .unwrap_or_default();
            assert!(
                rule.contains("https://challenges.cloudflare.com"),
                "{directive}"
            );
        }
        assert!(!content_security_policy("n", None, &[]).contains("cloudflare"));
    }
}
