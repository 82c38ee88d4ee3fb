//! Cross-site request refusal and security headers.

use crate::helpers::spawn_app;
use reqwest::StatusCode;

#[tokio::test]
async fn cross_site_posts_to_every_server_function_are_refused() {
    let app = spawn_app().await;
    for function in ["start_login", "finish_login", "logout", "login_status"] {
        for (name, value) in [
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ] {
            let response = app
                .client
                .post(format!("{}/api/{function}", app.base))
                .header(name, value)
                .form(&[("number", "+447400123050"), ("code", "123456")])
                .send()
                .await
                .expect("reachable");
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{function} with {name}: {value}"
            );
        }
    }
    assert_eq!(
        app.messages().await,
        Vec::<serde_json::Value>::new(),
        "nothing was sent"
    );
}

#[tokio::test]
async fn same_origin_form_post_still_works() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/api/start_login", app.base))
        .header("origin", app.base.clone())
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .form(&[("number", "+447400123051")])
        .send()
        .await
        .expect("reachable");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_and_security_headers() {
    let app = spawn_app().await;
    let page = app.get("/login").await;
    let header = |name: &str| {
        page.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let csp = header("content-security-policy");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("CSP has a nonce");
    assert!(nonce.len() >= 20, "nonce has ≥128 bits: {nonce}");
    assert!(
        page.body.contains(&format!("nonce=\"{nonce}\"")),
        "hydration script carries the nonce"
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin");
    assert_eq!(header("x-frame-options"), "DENY");

    let other = app.get("/login").await;
    let other_csp = other
        .headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(!other_csp.contains(nonce), "a fresh nonce per response");

    let api = app.call("login_status", &[]).await;
    let api_csp = api
        .headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(api_csp.contains("default-src 'none'"), "{api_csp}");
}
