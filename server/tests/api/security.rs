//! Cross-site request refusal and security headers.

use crate::helpers::{spawn_app, spawn_app_with};
use reqwest::StatusCode;

#[tokio::test]
async fn cross_site_posts_to_every_server_function_are_refused() {
    let app = spawn_app().await;
    for function in [
        "start_login",
        "finish_login",
        "resend_code",
        "change_number",
        "logout",
        "login_status",
        "account",
        "passkey_register_start",
        "passkey_register_finish",
        "passkey_sign_in_start",
        "passkey_sign_in_finish",
        "passkey_remove",
    ] {
        for (name, value) in [
            ("origin", "https://evil.example"),
            ("origin", "null"),
            ("sec-fetch-site", "cross-site"),
            // A sibling subdomain (e.g. a user-content host) is another site for login CSRF.
            ("sec-fetch-site", "same-site"),
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

#[tokio::test]
async fn public_url_is_the_one_origin_accepted_behind_a_host_rewriting_proxy() {
    // A public origin with the emulator needs the demo opt-in.
    let app = spawn_app_with(&[
        ("PUBLIC_URL", "https://login.example.com"),
        ("EMULATOR_PUBLIC", "yes"),
    ])
    .await;
    let post = |origin: String| {
        app.client
            .post(format!("{}/api/login_status", app.base))
            .header("origin", origin)
            .header("sec-fetch-site", "same-origin")
            .send()
    };
    // The proxy forwards Host as the backend's address; the browser's Origin is public.
    let public = post("https://login.example.com".into())
        .await
        .expect("reachable");
    assert_eq!(public.status(), StatusCode::OK);
    // An Origin that only matches the (rewritten or attacker-chosen) Host is refused.
    let host_only = post(app.base.clone()).await.expect("reachable");
    assert_eq!(host_only.status(), StatusCode::FORBIDDEN);
    let http = post("http://login.example.com".into())
        .await
        .expect("reachable");
    assert_eq!(http.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn personal_pages_and_answers_are_never_cached() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123052")])
        .await;
    for answer in [
        app.get("/login").await,
        app.get("/verify").await,
        app.get("/").await,
        app.call("login_status", &[]).await,
        app.call("finish_login", &[("code", "000000")]).await,
    ] {
        let cache = answer
            .headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(cache, "no-store", "{}", answer.status);
    }
}

#[tokio::test]
async fn provider_throttling_reaches_api_clients_with_retry_after() {
    let app = spawn_app().await;
    let fault = app
        .client
        .post(format!("{}/dev/faults", app.base))
        .json(&serde_json::json!({"kind": "status", "status": 429}))
        .send()
        .await
        .expect("fault switch");
    assert_eq!(fault.status(), StatusCode::OK);
    let answer = app
        .call("start_login", &[("number", "+447400123053")])
        .await;
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        answer.body
    );
    assert!(answer.body.contains("Throttled"), "{}", answer.body);
    let retry: u64 = answer
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(retry >= 1, "{retry}");
}

#[tokio::test]
async fn the_providers_own_retry_after_is_passed_on() {
    let upstream = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(
            wiremock::ResponseTemplate::new(429)
                .insert_header("retry-after", "17")
                .set_body_json(serde_json::json!({"title": "Rate Limit Hit"})),
        )
        .mount(&upstream)
        .await;
    let app = crate::helpers::spawn_against("vonage", &upstream.uri(), &[]).await;
    let answer = app
        .call("start_login", &[("number", "+447400123054")])
        .await;
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        answer.body
    );
    let retry: u64 = answer
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((16..=17).contains(&retry), "{retry}");
    assert!(answer.body.contains("Throttled"), "{}", answer.body);
}
