//! Login CSRF defence: server functions change state (even before sign-in), so a POST to
//! them from another site is refused with 403. Browsers say where a request comes from
//! (`Sec-Fetch-Site`, `Origin`); clients that send neither (curl, tests) are not browsers
//! that an attacker can drive, and pass.

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Middleware: 403 for a cross-site `POST /api/…`, the request unchanged otherwise.
pub async fn reject_cross_site_posts(request: Request, next: Next) -> Response {
    if request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && is_cross_site(request.headers())
    {
        tracing::warn!(path = request.uri().path(), "cross-site POST refused");
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    next.run(request).await
}

/// `true` when the browser reports another site as the initiator.
fn is_cross_site(headers: &HeaderMap) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if fetch_site == Some("cross-site") {
        return true;
    }
    match headers.get(header::ORIGIN) {
        None => false,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            let origin_authority = origin
                .to_str()
                .ok()
                .and_then(|o| o.split_once("://"))
                .map(|(_, authority)| authority);
            // `Origin: null` (sandboxed frames, some redirects) never matches.
            match (origin_authority, host) {
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
        assert!(!is_cross_site(&h));
    }

    #[test]
    fn foreign_origin_is_refused() {
        assert!(is_cross_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://evil.example")
        ])));
    }

    #[test]
    fn cross_site_fetch_metadata_is_refused_even_without_origin() {
        assert!(is_cross_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("sec-fetch-site", "cross-site")
        ])));
    }

    #[test]
    fn null_origin_is_refused() {
        assert!(is_cross_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "null")
        ])));
    }

    #[test]
    fn non_browser_client_without_origin_passes() {
        assert!(!is_cross_site(&headers(&[("host", "127.0.0.1:3000")])));
    }
}
