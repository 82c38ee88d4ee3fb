//! The site's edge as a web page on another name sees it. DNS rebinding: a page on
//! `rebound.example` points its name at 127.0.0.1 and talks to the server as if
//! same-origin (its `Origin` matches the `Host` it sends), so the developer pages and every
//! state-changing request (while `PUBLIC_URL` is unset) need a `Host` naming this server:
//! anything else gets 421. And https behind a proxy: `PUBLIC_URL=https://…` in front of a
//! plain-http listener on loopback gives `Secure`, `__Host-` cookies and HSTS.

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use reqwest::header::{HOST, ORIGIN};
use reqwest::StatusCode;

/// `host:PORT` for `app`'s port (`base` is `http://127.0.0.1:PORT`).
fn with_port(base: &str, host: &str) -> String {
    let port = base.rsplit(':').next().expect("a port");
    format!("{host}:{port}")
}

/// GET `url` with `Host: host`; the status and body.
async fn get_as(app: &TestApp, url: String, host: &str) -> (StatusCode, String) {
    let response = app
        .client
        .get(url)
        .header(HOST, host)
        .send()
        .await
        .expect("reachable");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

/// POST `{"advance_secs": 60}` to `/dev/clock` at `base` as a page on `host` would: its
/// `Host`, and an `Origin` that matches it.
async fn advance_clock_as(app: &TestApp, base: &str, host: &str) -> (StatusCode, String) {
    let response = app
        .client
        .post(format!("{base}/dev/clock"))
        .header(HOST, host)
        .header(ORIGIN, format!("http://{host}"))
        .header("sec-fetch-site", "same-origin")
        .json(&serde_json::json!({"advance_secs": 60}))
        .send()
        .await
        .expect("reachable");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn a_rebound_name_cannot_read_the_outbox_or_move_the_clock() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123800")])
        .await;
    for base in [app.base.clone(), app.emulator_base.clone()] {
        let rebound = with_port(&base, "rebound.example");
        for path in ["/dev/messages", "/dev/outbox", "/dev/clock", "/dev/faults"] {
            let (status, body) = get_as(&app, format!("{base}{path}"), &rebound).await;
            assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{base}{path}");
            assert!(!body.contains("+447400123800"), "{body}");
            assert!(body.len() < 100, "a short plain message: {body}");
        }
        let (status, _) = advance_clock_as(&app, &base, &rebound).await;
        assert_eq!(
            status,
            StatusCode::MISDIRECTED_REQUEST,
            "POST {base}/dev/clock"
        );
        let faults = app
            .client
            .post(format!("{base}/dev/faults"))
            .header(HOST, &rebound)
            .header(ORIGIN, format!("http://{rebound}"))
            .json(&serde_json::json!({"kind": "reset"}))
            .send()
            .await
            .expect("reachable");
        assert_eq!(faults.status(), StatusCode::MISDIRECTED_REQUEST, "{base}");
    }
    // The clock did not move.
    let clock: serde_json::Value = app
        .client
        .get(format!("{}/dev/clock", app.base))
        .send()
        .await
        .expect("reachable")
        .json()
        .await
        .expect("JSON");
    assert_eq!(clock["offset_secs"], 0, "{clock}");
}

#[tokio::test]
async fn loopback_names_and_addresses_read_the_outbox_on_any_port() {
    let app = spawn_app().await;
    app.call("start_login", &[("number", "+447400123801")])
        .await;
    for base in [app.base.clone(), app.emulator_base.clone()] {
        for host in [
            with_port(&base, "127.0.0.1"),
            with_port(&base, "localhost"),
            // The browser tests' passkeys server is browsed as http://localhost:3015.
            "localhost:3015".to_owned(),
            with_port(&base, "login.localhost"),
            with_port(&base, "127.8.9.10"),
            with_port(&base, "[::1]"),
            "localhost".to_owned(),
        ] {
            let (status, body) = get_as(&app, format!("{base}/dev/messages"), &host).await;
            assert_eq!(status, StatusCode::OK, "{base} as {host}");
            assert!(body.contains("+447400123801"), "{body}");
        }
        let localhost = with_port(&base, "localhost");
        let (status, body) = advance_clock_as(&app, &base, &localhost).await;
        assert_eq!(status, StatusCode::OK, "POST {base}/dev/clock: {body}");
    }
}

#[tokio::test]
async fn a_rebound_name_cannot_change_state_through_the_server_functions() {
    let app = spawn_app().await;
    let rebound = with_port(&app.base, "rebound.example");
    for function in ["start_login", "logout", "passkey_sign_in_start"] {
        let answer = app
            .client
            .post(format!("{}/api/{function}", app.base))
            .header(HOST, &rebound)
            .header(ORIGIN, format!("http://{rebound}"))
            .header("sec-fetch-site", "same-origin")
            .form(&[("number", "+447400123802")])
            .send()
            .await
            .expect("reachable");
        assert_eq!(
            answer.status(),
            StatusCode::MISDIRECTED_REQUEST,
            "{function}"
        );
        assert!(
            answer.headers().get("set-cookie").is_none(),
            "no session for {function}"
        );
    }
    assert_eq!(
        app.messages().await,
        Vec::<serde_json::Value>::new(),
        "nothing was sent"
    );
    // Pages still answer (a GET changes nothing), and the same post from this server's own
    // names goes through.
    let (status, _) = get_as(&app, format!("{}/login", app.base), &rebound).await;
    assert_eq!(status, StatusCode::OK);
    for host in [with_port(&app.base, "localhost"), "localhost:3015".into()] {
        let answer = app
            .other_browser()
            .client
            .post(format!("{}/api/login_status", app.base))
            .header(HOST, &host)
            .header(ORIGIN, format!("http://{host}"))
            .header("sec-fetch-site", "same-origin")
            .send()
            .await
            .expect("reachable");
        assert_eq!(answer.status(), StatusCode::OK, "{host}");
    }
    let started = app
        .client
        .post(format!("{}/api/start_login", app.base))
        .header(ORIGIN, app.base.clone())
        .header("sec-fetch-site", "same-origin")
        .form(&[("number", "+447400123802")])
        .send()
        .await
        .expect("reachable");
    assert_eq!(started.status(), StatusCode::OK);
}

#[tokio::test]
async fn with_public_url_the_origin_decides_state_changes_but_dev_pages_stay_local() {
    // A public origin with the emulator needs the demo opt-in, which makes the outbox
    // public anyway; a local PUBLIC_URL keeps it private.
    let app = spawn_app_with(&[("PUBLIC_URL", "http://localhost:3000")]).await;
    let rebound = with_port(&app.base, "rebound.example");
    let (status, _) = get_as(&app, format!("{}/dev/messages", app.base), &rebound).await;
    assert_eq!(status, StatusCode::MISDIRECTED_REQUEST);
    // A rebound page's Origin is not PUBLIC_URL's: the cross-site check refuses it first.
    let (status, _) = advance_clock_as(&app, &app.base, &rebound).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Without an Origin, the developer pages' own host check does.
    let no_origin = app
        .client
        .post(format!("{}/dev/clock", app.base))
        .header(HOST, &rebound)
        .json(&serde_json::json!({"advance_secs": 60}))
        .send()
        .await
        .expect("reachable");
    assert_eq!(no_origin.status(), StatusCode::MISDIRECTED_REQUEST);
    // The server functions compare the Origin with PUBLIC_URL, which a rebound page's is not.
    let forged = app
        .client
        .post(format!("{}/api/login_status", app.base))
        .header(HOST, &rebound)
        .header(ORIGIN, format!("http://{rebound}"))
        .send()
        .await
        .expect("reachable");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // A proxy may rewrite Host; the browser's Origin is PUBLIC_URL's.
    let proxied = app
        .client
        .post(format!("{}/api/login_status", app.base))
        .header(HOST, "backend.internal:3000")
        .header(ORIGIN, "http://localhost:3000")
        .send()
        .await
        .expect("reachable");
    assert_eq!(proxied.status(), StatusCode::OK);
}

/// The `Set-Cookie` line of the session cookie (`session` or `__Host-session`).
fn session_cookie(answer: &crate::helpers::Answer) -> String {
    answer
        .set_cookie("__Host-session")
        .or_else(|| answer.set_cookie("session"))
        .expect("a session cookie")
}

#[tokio::test]
async fn https_public_url_behind_a_plain_http_listener_gives_secure_cookies_and_hsts() {
    // The site listens on plain http on 127.0.0.1; a TLS proxy serves it to the world.
    let app = spawn_app_with(&[
        ("PUBLIC_URL", "https://login.example.com"),
        ("VERIFY_PROVIDER", "emulator"),
        ("EMULATOR_PUBLIC", "yes"),
    ])
    .await;
    let start = app
        .call("start_login", &[("number", "+447400123803")])
        .await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    let cookie = session_cookie(&start);
    assert!(cookie.starts_with("__Host-session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    let page = app.get("/login").await;
    let hsts = page
        .headers
        .get("strict-transport-security")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(hsts.contains("max-age=31536000"), "HSTS: {hsts:?}");

    // COOKIE_SECURE=never still wins (e.g. a staging proxy without TLS).
    let never = spawn_app_with(&[
        ("PUBLIC_URL", "https://login.example.com"),
        ("VERIFY_PROVIDER", "emulator"),
        ("EMULATOR_PUBLIC", "yes"),
        ("COOKIE_SECURE", "never"),
    ])
    .await;
    let start = never
        .call("start_login", &[("number", "+447400123804")])
        .await;
    let cookie = session_cookie(&start);
    assert!(
        cookie.starts_with("session=") && !cookie.contains("Secure"),
        "{cookie}"
    );
    assert!(start.headers.get("strict-transport-security").is_none());

    // An http PUBLIC_URL (or none, on loopback) keeps plain cookies a browser sends back.
    for extra in [&[("PUBLIC_URL", "http://localhost:3000")][..], &[][..]] {
        let plain = spawn_app_with(extra).await;
        let start = plain
            .call("start_login", &[("number", "+447400123805")])
            .await;
        let cookie = session_cookie(&start);
        assert!(
            cookie.starts_with("session=") && !cookie.contains("Secure"),
            "{extra:?}: {cookie}"
        );
        let page = plain.get("/login").await;
        assert!(
            page.headers.get("strict-transport-security").is_none(),
            "{extra:?}"
        );
    }
}
