//! Login CSRF defence: every state-changing request (any method but GET, HEAD, OPTIONS; the
//! server functions, even before sign-in, and the dev fault switch) from another site is
//! refused with 403. Browsers say where a request comes from (`Sec-Fetch-Site`, `Origin`):
//! `cross-site` and `same-site` (a sibling subdomain) are refused, and the `Origin` must
//! equal `PUBLIC_URL` when it is set (behind a proxy that rewrites `Host`), else the `Host`.
//! Clients that send neither header (curl, tests) are not browsers an attacker can drive,
//! and pass.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What a request's origin is compared with.
#[derive(Clone, Debug, Default)]
pub struct OriginPolicy {
    /// `PUBLIC_URL` as an origin (`https://login.example.com`); `None`: the `Host` header.
    pub public_origin: Option<String>,
}

/// Middleware: 403 for a cross-site state-changing request, the request unchanged otherwise.
pub async fn reject_cross_site_posts(
    State(policy): State<OriginPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(request.headers(), policy.public_origin.as_deref()) {
        tracing::warn!(path = request.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    next.run(request).await
}

/// `true` when the browser reports another site (or a sibling subdomain) as the initiator.
fn is_cross_site(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("cross-site" | "same-site")) {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    // `Origin: null` (sandboxed frames, some redirects) and unreadable values never match.
    let Some(origin) = origin.to_str().ok().filter(|o| *o != "null") else {
        return true;
    };
    match public_origin {
        Some(expected) => !origin.eq_ignore_ascii_case(expected),
        None => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            let authority = origin.split_once("://").map(|(_, authority)| authority);
            match (authority, host) {
                (Some(authority), Some(host)) => !authority.eq_ignore_ascii_case(host),
                _ => true,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_origin_form_post_passes() {
        let h = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert!(!is_cross_site(&h, None));
    }

    #[test]
    fn foreign_origin_is_refused() {
        assert!(is_cross_site(
            &headers(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "https://evil.example")
            ]),
            None
        ));
    }

    #[test]
    fn cross_site_and_same_site_fetch_metadata_are_refused_even_without_origin() {
        for site in ["cross-site", "same-site"] {
            let h = [("host", "127.0.0.1:3000"), ("sec-fetch-site", site)];
            assert!(is_cross_site(&headers(&h), None), "{site}");
        }
    }

    #[test]
    fn null_origin_is_refused() {
        assert!(is_cross_site(
            &headers(&[("host", "127.0.0.1:3000"), ("origin", "null")]),
            None
        ));
    }

    #[test]
    fn non_browser_client_without_origin_passes() {
        assert!(!is_cross_site(
            &headers(&[("host", "127.0.0.1:3000")]),
            None
        ));
    }

    #[test]
    fn public_url_is_the_origin_behind_a_proxy_that_rewrites_host() {
        let public = Some("https://login.example.com");
        let behind_proxy = [
            ("host", "10.0.0.5:3000"),
            ("origin", "https://login.example.com"),
            ("sec-fetch-site", "same-origin"),
        ];
        assert!(!is_cross_site(&headers(&behind_proxy), public));
        // An attacker who controls Host (or a port) cannot make a foreign origin match.
        let forged = [("host", "evil.example"), ("origin", "https://evil.example")];
        assert!(is_cross_site(&headers(&forged), public));
        let http = [("origin", "http://login.example.com")];
        assert!(is_cross_site(&headers(&http), public), "scheme must match");
    }
}
