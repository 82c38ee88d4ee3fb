//! The page Content-Security-Policy: only our own files, the hydration script by nonce, and
//! wasm compilation (`'wasm-unsafe-eval'`). Set on every SSR page by [`crate::shell`].

use leptos::config::{Env, LeptosOptions};
use leptos::nonce::use_nonce;
use leptos::prelude::*;

/// Builds the policy for one response. `dev_reload` adds the live-reload websocket that
/// `cargo leptos watch` serves on `reload_port`.
pub fn content_security_policy(nonce: &str, dev_reload: Option<(&str, u32)>) -> String {
    let reload = dev_reload
        .map(|(host, port)| format!(" ws://{host}:{port}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{reload}; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
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
    let policy = content_security_policy(&nonce.to_string(), dev_reload);
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_wasm_and_only_the_nonced_inline_script() {
        let csp = content_security_policy("abc123", None);
        assert!(csp.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("ws://"));
    }

    #[test]
    fn dev_mode_allows_the_reload_socket() {
        assert!(content_security_policy("n", Some(("127.0.0.1", 3001)))
            .contains("connect-src 'self' ws://127.0.0.1:3001"));
    }
}
