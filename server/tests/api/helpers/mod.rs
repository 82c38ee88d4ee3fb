//! `spawn_app()`: the real server on port 0 with in-memory sessions, the in-process emulator
//! and a manual clock; plus a cookie-keeping client that does not follow redirects.

use app::auth::server::clock::ManualClock;
use reqwest::header::ACCEPT;
use reqwest::{redirect, Client, StatusCode};
use std::net::SocketAddr;

mod answer;
mod build;
use answer::answer;
pub use answer::Answer;
pub use build::{build_app_with, free_port};

/// A running server and a browser-like client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Keeps cookies like a browser; redirects are returned, not followed.
    pub client: Client,
    /// Moves time for the emulator and the login.
    pub clock: ManualClock,
    /// `http://127.0.0.1:PORT` of the emulator's Vonage-compatible API.
    pub emulator_base: String,
}

/// Starts the app with default settings plus `extra` environment-style settings.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let (app, clock, emulator_base) = build_app_with(extra).await;
    let addr = app.local_addr().expect("bound");
    tokio::spawn(app.run_until_stopped());
    TestApp {
        base: format!("http://{addr}"),
        client: new_client(),
        clock,
        emulator_base,
    }
}

/// Starts the app as [`spawn_app_with`] does, but every request reaches it as if from the
/// socket peer `peer` (e.g. a proxy or a public client), while the test still talks over
/// loopback only.
pub async fn spawn_app_seen_from(peer: &str, extra: &[(&str, &str)]) -> TestApp {
    let (app, clock, emulator_base) = build_app_with(extra).await;
    let peer: SocketAddr = peer.parse().expect("peer address");
    let router = app.router().layer(axum::middleware::map_request(
        move |mut request: axum::extract::Request| async move {
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            request
        },
    ));
    tokio::spawn(app.run_until_stopped());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("bound");
    tokio::spawn(async move { axum::serve(listener, router).await });
    TestApp {
        base: format!("http://{addr}"),
        client: new_client(),
        clock,
        emulator_base,
    }
}

/// The newest code in an emulator outbox listing (`/dev/messages`, newest first) for `e164`.
pub fn newest_code(messages: &[serde_json::Value], e164: &str) -> String {
    messages
        .iter()
        .find(|m| m["to"] == e164)
        .and_then(|m| m["code"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no message to {e164} in {messages:?}"))
}

/// Starts the app with default settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// A fresh cookie jar, as a new browser.
pub fn new_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        // A server that never answers fails its test instead of hanging the suite.
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client builds")
}

impl TestApp {
    /// GET `path`; returns status and body.
    pub async fn get(&self, path: &str) -> Answer {
        answer(
            self.client
                .get(format!("{}{path}", self.base))
                .header(ACCEPT, "text/html")
                .send()
                .await,
        )
        .await
    }

    /// POST a form to a server function as the hydrated app does (JSON back).
    pub async fn call(&self, function: &str, fields: &[(&str, &str)]) -> Answer {
        let request = self
            .client
            .post(format!("{}/api/{function}", self.base))
            .header(ACCEPT, "application/json")
            .form(fields);
        answer(request.send().await).await
    }

    /// POST a form as a browser without JavaScript does (expects a 303).
    pub async fn post_form(&self, function: &str, fields: &[(&str, &str)]) -> Answer {
        let request = self
            .client
            .post(format!("{}/api/{function}", self.base))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(reqwest::header::REFERER, format!("{}/login", self.base))
            .form(fields);
        answer(request.send().await).await
    }

    /// Every message the emulator "sent", newest first, read through `/dev/messages`.
    pub async fn messages(&self) -> Vec<serde_json::Value> {
        self.client
            .get(format!("{}/dev/messages", self.base))
            .send()
            .await
            .expect("outbox reachable")
            .json()
            .await
            .expect("outbox is JSON")
    }

    /// Switches the emulator's fault (`POST /dev/faults`) and checks it was taken as given.
    pub async fn set_fault(&self, setting: serde_json::Value) {
        let response = self
            .client
            .post(format!("{}/dev/faults", self.base))
            .json(&setting)
            .send()
            .await
            .expect("fault switch reachable");
        assert_eq!(response.status(), StatusCode::OK, "{setting}");
        let echoed: serde_json::Value = response.json().await.expect("setting as JSON");
        assert_eq!(echoed, setting);
    }

    /// The newest code the emulator sent to `e164`.
    pub async fn latest_code(&self, e164: &str) -> String {
        newest_code(&self.messages().await, e164)
    }

    /// The provider's id of the live verification for `e164`, learnt the way any other
    /// Vonage client would: a second start answers 409 with the existing id.
    pub async fn live_request_id(&self, e164: &str) -> String {
        let body: serde_json::Value = new_client()
            .post(format!("{}/v2/verify", self.emulator_base))
            .basic_auth("emulator", Some("emulator"))
            .json(&serde_json::json!({
                "brand": "Test",
                "workflow": [{"channel": "sms", "to": e164.trim_start_matches('+')}]
            }))
            .send()
            .await
            .expect("emulator reachable")
            .json()
            .await
            .expect("problem JSON");
        body["request_id"]
            .as_str()
            .expect("409 carries request_id")
            .to_owned()
    }

    /// Starts a verification for `e164` directly at the emulator, as another client of the
    /// provider would, and answers its request id.
    pub async fn live_request_id_after_starting(&self, e164: &str) -> String {
        let response = new_client()
            .post(format!("{}/v2/verify", self.emulator_base))
            .basic_auth("emulator", Some("emulator"))
            .json(&serde_json::json!({
                "brand": "Test",
                "workflow": [{"channel": "sms", "to": e164.trim_start_matches('+')}]
            }))
            .send()
            .await
            .expect("emulator reachable");
        assert!(response.status().is_success(), "{}", response.status());
        let body: serde_json::Value = response.json().await.expect("JSON");
        body["request_id"].as_str().expect("request_id").to_owned()
    }

    /// `POST /api/start_login` from a new browser carrying one extra header; the status.
    pub async fn start_with_header(&self, header: &str, value: &str, number: &str) -> StatusCode {
        let browser = self.other_browser();
        browser
            .client
            .post(format!("{}/api/start_login", browser.base))
            .header(header, value)
            .form(&[("number", number)])
            .send()
            .await
            .expect("reachable")
            .status()
    }

    /// `POST /api/start_login` in this browser, relayed by the (trusted, loopback) test
    /// client for the client address `ip` in `X-Forwarded-For`; the status.
    pub async fn start_from(&self, ip: &str, number: &str) -> StatusCode {
        self.client
            .post(format!("{}/api/start_login", self.base))
            .header("x-forwarded-for", ip)
            .form(&[("number", number)])
            .send()
            .await
            .expect("reachable")
            .status()
    }

    /// A new browser on this server, signed in by phone as `number` (code from the outbox).
    pub async fn signed_in_browser(&self, number: &str) -> TestApp {
        let browser = self.other_browser();
        let started = browser.call("start_login", &[("number", number)]).await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.body);
        let code = browser.latest_code(number).await;
        let finished = browser.call("finish_login", &[("code", &code)]).await;
        assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
        browser
    }

    /// A second browser on the same server (its own cookie jar).
    pub fn other_browser(&self) -> TestApp {
        TestApp {
            base: self.base.clone(),
            client: new_client(),
            clock: self.clock.clone(),
            emulator_base: self.emulator_base.clone(),
        }
    }
}

/// Starts the app on a real Vonage client (`vonage` or `vonage-legacy`) pointed at `base_url`,
/// plus `extra` settings.
pub async fn spawn_against(provider: &str, base_url: &str, extra: &[(&str, &str)]) -> TestApp {
    let mut vars = vec![
        ("VERIFY_PROVIDER", provider),
        ("VONAGE_API_KEY", "key"),
        ("VONAGE_API_SECRET", "secret"),
        ("VONAGE_BASE_URL", base_url),
    ];
    vars.extend_from_slice(extra);
    spawn_app_with(&vars).await
}

/// A code that is certainly not `code`.
pub fn wrong_code(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

impl TestApp {
    /// This browser again: the same cookie jar, for requests sent in parallel with one cookie
    /// (as from several tabs).
    pub fn same_browser(&self) -> TestApp {
        TestApp {
            base: self.base.clone(),
            client: self.client.clone(),
            clock: self.clock.clone(),
            emulator_base: self.emulator_base.clone(),
        }
    }
}

/// A UK number as the pages show it: `+447400123001` → `+44 7400 123001` (others unchanged).
pub fn shown(e164: &str) -> String {
    match e164.strip_prefix("+44") {
        Some(rest) if rest.len() == 10 => format!("+44 {} {}", &rest[..4], &rest[4..]),
        _ => e164.to_owned(),
    }
}
