use super::*;
use axum::http::Request;
use tower::ServiceExt;

/// A site root with one hashed wasm file and its pre-compressed copies, each with content
/// that tells which copy was served.
fn site_with_pkg(hash_files: bool) -> (LeptosOptions, std::path::PathBuf) {
    let root = std::env::temp_dir().join(format!("pkg-test-{}", uuid::Uuid::new_v4()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).expect("temp dir");
    std::fs::write(pkg.join("app.0123abcd.wasm"), b"plain").expect("write");
    std::fs::write(pkg.join("app.0123abcd.wasm.br"), b"brotli").expect("write");
    std::fs::write(pkg.join("app.0123abcd.wasm.gz"), b"gzip").expect("write");
    let options = LeptosOptions::builder()
        .output_name("app")
        .site_root(root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .hash_files(hash_files)
        .build();
    (options, root)
}

async fn get(router: Router, path: &str, accept_encoding: &str) -> (Response<Body>, Vec<u8>) {
    let request = Request::get(path)
        .header(header::ACCEPT_ENCODING, accept_encoding)
        .body(Body::empty())
        .expect("request");
    let response = router.oneshot(request).await.expect("infallible");
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.expect("body");
    (Response::from_parts(parts, Body::empty()), bytes.to_vec())
}

fn header_of(response: &Response<Body>, name: header::HeaderName) -> Option<&str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn brotli_is_sent_to_browsers_that_accept_it_and_hashed_files_are_immutable() {
    let (options, root) = site_with_pkg(true);
    let router = pkg_routes(&options);
    let (response, body) = get(
        router.clone(),
        "/pkg/app.0123abcd.wasm",
        "gzip, deflate, br",
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(body, b"brotli");
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), Some("br"));
    assert_eq!(
        header_of(&response, header::CONTENT_TYPE),
        Some("application/wasm")
    );
    assert_eq!(
        header_of(&response, header::CACHE_CONTROL),
        Some(CACHE_IMMUTABLE)
    );
    assert!(header_of(&response, header::VARY)
        .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")));

    let (response, body) = get(router.clone(), "/pkg/app.0123abcd.wasm", "gzip").await;
    assert_eq!(
        (
            body.as_slice(),
            header_of(&response, header::CONTENT_ENCODING)
        ),
        (&b"gzip"[..], Some("gzip"))
    );

    let (response, body) = get(router, "/pkg/app.0123abcd.wasm", "identity").await;
    assert_eq!(body, b"plain");
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), None);
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test]
async fn a_missing_file_is_404_and_never_cached() {
    let (options, root) = site_with_pkg(true);
    let (response, _) = get(pkg_routes(&options), "/pkg/app.ffffffff.wasm", "br").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        header_of(&response, header::CACHE_CONTROL),
        Some("no-store")
    );
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test]
async fn unhashed_names_are_revalidated() {
    let (options, root) = site_with_pkg(false);
    let (response, _) = get(pkg_routes(&options), "/pkg/app.0123abcd.wasm", "br").await;
    assert_eq!(
        header_of(&response, header::CACHE_CONTROL),
        Some(CACHE_REVALIDATE)
    );
    let _ = std::fs::remove_dir_all(root);
}
