//! The emulator (whose outbox lists every code) never serves the public by accident: start-up
//! refuses a non-loopback address without an explicit opt-in, `/dev/*` answers only loopback
//! peers, and its fault switch refuses cross-site posts.

use crate::helpers::{spawn_app, spawn_app_seen_from};
use app::auth::server::clock::ManualClock;
use leptos::config::LeptosOptions;
use reqwest::StatusCode;
use server::config::Config;
use std::collections::HashMap;
use std::sync::Arc;

async fn build_on(site_addr: &str, vars: &[(&str, &str)]) -> Result<(), String> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let config = Config::from_lookup(|name| vars.get(name).cloned()).map_err(|e| e.to_string())?;
    let options = LeptosOptions::builder()
        .output_name("passwordless")
        .site_root("target/site")
        .site_addr(site_addr.parse::<std::net::SocketAddr>().expect("address"))
        .build();
    server::startup::build(config, options, Arc::new(ManualClock::new()))
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn forgotten_credentials_on_a_public_address_refuse_to_start() {
    // No VONAGE_* settings: the emulator would be chosen. Refused before anything binds.
    let error = build_on("0.0.0.0:0", &[("SESSION_STORE", "memory")])
        .await
        .expect_err("must refuse");
    assert!(error.contains("VONAGE_API_KEY"), "{error}");
    assert!(error.contains("VONAGE_API_SECRET"), "{error}");
    assert!(error.contains("EMULATOR_PUBLIC=yes"), "{error}");
    // The same with VERIFY_PROVIDER=emulator but no opt-in, and an emulator on a public port.
    let explicit = build_on(
        "0.0.0.0:0",
        &[("SESSION_STORE", "memory"), ("VERIFY_PROVIDER", "emulator")],
    )
    .await;
    assert!(explicit.is_err());
    let public_emulator = build_on(
        "127.0.0.1:0",
        &[("SESSION_STORE", "memory"), ("EMULATOR_ADDR", "0.0.0.0:0")],
    )
    .await;
    assert!(public_emulator.is_err());
    // Behind a proxy on the same machine: the public origin gives it away.
    let proxied = build_on(
        "127.0.0.1:0",
        &[
            ("SESSION_STORE", "memory"),
            ("PUBLIC_URL", "https://login.example.com"),
        ],
    )
    .await;
    assert!(proxied.is_err_and(|e| e.contains("login.example.com")));
    // The opt-in needs the provider named explicitly.
    let implicit = build_on("127.0.0.1:0", &[("EMULATOR_PUBLIC", "yes")]).await;
    assert!(implicit.is_err_and(|e| e.contains("EMULATOR_PUBLIC")));
}

#[tokio::test]
async fn dev_pages_answer_only_loopback_peers() {
    let app = spawn_app_seen_from("203.0.113.9:50000", &[]).await;
    for path in ["/dev/outbox", "/dev/messages", "/dev/faults"] {
        let answer = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("reachable");
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let post = app
        .client
        .post(format!("{}/dev/faults", app.base))
        .json(&serde_json::json!({"kind": "reset"}))
        .send()
        .await
        .expect("reachable");
    assert_eq!(post.status(), StatusCode::NOT_FOUND);
    // The site itself still answers that peer.
    assert_eq!(app.get("/login").await.status, StatusCode::OK);
    // A request relayed by a proxy on this machine is not local either.
    let local = spawn_app_seen_from("127.0.0.1:50000", &[]).await;
    let relayed = local
        .client
        .get(format!("{}/dev/messages", local.base))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .expect("reachable");
    assert_eq!(relayed.status(), StatusCode::NOT_FOUND);
    // A loopback peer (the developer's own browser) reads the outbox.
    let local = spawn_app_seen_from("127.0.0.1:50000", &[]).await;
    let outbox = local
        .client
        .get(format!("{}/dev/messages", local.base))
        .send()
        .await
        .expect("reachable");
    assert_eq!(outbox.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_public_demo_opts_in_explicitly() {
    let app = spawn_app_seen_from(
        "203.0.113.9:50000",
        &[("VERIFY_PROVIDER", "emulator"), ("EMULATOR_PUBLIC", "yes")],
    )
    .await;
    let answer = app
        .client
        .get(format!("{}/dev/messages", app.base))
        .send()
        .await
        .expect("reachable");
    assert_eq!(answer.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_fault_switch_refuses_cross_site_posts() {
    let app = spawn_app().await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
    ] {
        let answer = app
            .client
            .post(format!("{}/dev/faults", app.base))
            .header(name, value)
            .json(&serde_json::json!({"kind": "reset"}))
            .send()
            .await
            .expect("reachable");
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{name}: {value}");
    }
    let direct = app
        .client
        .post(format!("{}/dev/faults", app.emulator_base))
        .header("origin", "https://evil.example")
        .json(&serde_json::json!({"kind": "reset"}))
        .send()
        .await
        .expect("reachable");
    assert_eq!(
        direct.status(),
        StatusCode::FORBIDDEN,
        "emulator's own port"
    );
}
