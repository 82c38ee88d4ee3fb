//! The site's build output under `/pkg` (wasm, js, css): served pre-compressed and cached.
//!
//! `cargo leptos build --release --precompress` writes a `.br` and a `.gz` beside every file;
//! the one the browser's `Accept-Encoding` prefers is sent (brotli first), else the plain
//! file. With `hash-files` the names carry a content hash, so a successful answer may be
//! cached for a year without revalidation; without hashes (a debug build) the browser
//! revalidates each time (`Last-Modified`).

use axum::body::Body;
use axum::http::{header, HeaderValue, Response};
use axum::Router;
use leptos::config::LeptosOptions;
use std::path::Path;
use tower_http::services::ServeDir;

/// `Cache-Control` of a content-hashed file: one year, never revalidated.
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of a file whose name does not change with its content.
pub const CACHE_REVALIDATE: &str = "no-cache";

/// Routes `/{site_pkg_dir}/*` to the files in `{site_root}/{site_pkg_dir}`.
pub fn pkg_routes(options: &LeptosOptions) -> Router {
    let dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let cache_control = if options.hash_files {
        CACHE_IMMUTABLE
    } else {
        CACHE_REVALIDATE
    };
    Router::new()
        .nest_service(&format!("/{}", options.site_pkg_dir), files)
        .layer(axum::middleware::map_response(
            move |response: Response<Body>| async move { with_caching(response, cache_control) },
        ))
}

/// Only a file actually served (or confirmed unchanged) may be cached; a 404 must not be.
fn with_caching(mut response: Response<Body>, cache_control: &'static str) -> Response<Body> {
    let status = response.status();
    if status.is_success() || status == http::StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        );
        // A shared cache must keep the brotli, gzip and plain answers apart.
        headers
            .entry(header::VARY)
            .or_insert(HeaderValue::from_static("accept-encoding"));
    } else {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests;
