//! The no-JS login against a stand-in for the real Vonage host (any server that answers the
//! documented success bodies), for both the v2 and the legacy v1 client.

use crate::helpers::spawn_against;
use reqwest::StatusCode;
use wiremock::matchers::{body_string_contains, header_exists, method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const REQUEST_ID: &str = "c11236f4-00bf-4b89-84ba-88b25df97315";
const LEGACY_ID: &str = "abcdef0123456789abcdef0123456789";

async fn no_js_login_reaches_home(provider: &str, upstream: &MockServer) {
    let app = spawn_against(provider, &upstream.uri(), &[]).await;
    assert_eq!(app.get("/login").await.status, StatusCode::OK);
    let start = app
        .post_form("start_login", &[("number", "07400 123999")])
        .await;
    assert_eq!(
        (start.status, start.location()),
        (StatusCode::SEE_OTHER, "/verify")
    );
    let verify = app.get("/verify").await;
    assert!(verify.body.contains("+44 7400 123999"), "{}", verify.body);
    assert!(
        !verify.body.contains("Development mode"),
        "no outbox banner with a real provider"
    );
    let finish = app.post_form("finish_login", &[("code", "123456")]).await;
    assert_eq!(
        (finish.status, finish.location()),
        (StatusCode::SEE_OTHER, "/")
    );
    let home = app.get("/").await;
    assert!(home.body.contains("+44 7400 123999"), "{}", home.body);
    assert!(!home.body.contains(REQUEST_ID));
    // The outbox exists only with the emulator.
    assert_eq!(app.get("/dev/messages").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn vonage_v2_no_js_login() {
    let upstream = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/verify"))
        .and(header_exists("authorization"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(serde_json::json!({ "request_id": REQUEST_ID })),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(format!("^/v2/verify/{REQUEST_ID}$")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({ "request_id": REQUEST_ID, "status": "completed" }),
            ),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    no_js_login_reaches_home("vonage", &upstream).await;
}

#[tokio::test]
async fn vonage_legacy_no_js_login() {
    let upstream = MockServer::start().await;
    let id = "abcdef0123456789abcdef0123456789";
    Mock::given(method("POST"))
        .and(path("/verify/json"))
        .and(body_string_contains("api_secret=secret"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "request_id": id, "status": "0" })),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    Mock::given(method("POST"))
        .and(path("/verify/check/json"))
        .and(body_string_contains(format!("request_id={id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "request_id": id, "event_id": "0A00000012345678", "status": "0",
            "price": "0.10000000", "currency": "EUR"
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    no_js_login_reaches_home("vonage-legacy", &upstream).await;
}

#[tokio::test]
async fn upstream_outage_is_a_clear_message_not_a_500() {
    let upstream = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>bad gateway</html>"))
        .mount(&upstream)
        .await;
    let app = spawn_against("vonage", &upstream.uri(), &[]).await;
    let answer = app
        .call("start_login", &[("number", "+447400123998")])
        .await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        answer.body.contains("ServiceUnavailable"),
        "{}",
        answer.body
    );
    let form = app
        .post_form("start_login", &[("number", "+447400123998")])
        .await;
    assert_eq!(
        (form.status, form.location()),
        (StatusCode::SEE_OTHER, "/login")
    );
    let page = app.get("/login").await;
    assert!(
        page.body
            .contains("couldn&#x27;t reach the verification service")
            || page
                .body
                .contains("couldn't reach the verification service"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("bad gateway"));
}

#[tokio::test]
async fn message_language_follows_the_browser() {
    use wiremock::matchers::body_partial_json;
    let upstream = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/verify"))
        .and(body_partial_json(serde_json::json!({ "locale": "de-de" })))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(serde_json::json!({ "request_id": REQUEST_ID })),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    let app = spawn_against("vonage", &upstream.uri(), &[("VERIFY_LOCALE", "en-gb")]).await;
    let response = app
        .client
        .post(format!("{}/api/start_login", app.base))
        .header("accept-language", "de-DE,de;q=0.9,en;q=0.5")
        .form(&[("number", "+447400123131")])
        .send()
        .await
        .expect("reachable");
    assert_eq!(response.status(), StatusCode::OK);
}

/// An Arabic browser: Vonage v1 is asked for `ar-xa`; v2, which has no Arabic, for the
/// browser's next language (French here) rather than the fallback.
#[tokio::test]
async fn arabic_goes_to_v1_as_ar_xa_and_v2_takes_the_next_language() {
    use wiremock::matchers::body_partial_json;
    for (provider, route, sent) in [
        ("vonage", "/v2/verify", None),
        ("vonage-legacy", "/verify/json", Some("lg=ar-xa")),
    ] {
        let upstream = MockServer::start().await;
        let mock = Mock::given(method("POST")).and(path(route));
        let mock = match sent {
            Some(field) => mock.and(body_string_contains(field)),
            None => mock.and(body_partial_json(serde_json::json!({ "locale": "fr-fr" }))),
        };
        let reply = match provider {
            "vonage" => ResponseTemplate::new(202)
                .set_body_json(serde_json::json!({ "request_id": REQUEST_ID })),
            _ => ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "request_id": LEGACY_ID, "status": "0" })),
        };
        mock.respond_with(reply).expect(1).mount(&upstream).await;
        let app = spawn_against(provider, &upstream.uri(), &[("VERIFY_LOCALE", "en-gb")]).await;
        let response = app
            .client
            .post(format!("{}/api/start_login", app.base))
            .header("accept-language", "ar-SA,ar;q=0.9,fr;q=0.5")
            .form(&[("number", "+447400123132")])
            .send()
            .await
            .expect("reachable");
        assert_eq!(response.status(), StatusCode::OK, "{provider}");
    }
}
