//! Hostile input: oversize, malformed and script-bearing bodies get a clear 4xx, never a 5xx.

use crate::helpers::spawn_app;
use reqwest::StatusCode;

#[tokio::test]
async fn one_megabyte_number_is_rejected_cleanly() {
    let app = spawn_app().await;
    let huge = "7".repeat(1024 * 1024);
    let answer = app.call("start_login", &[("number", huge.as_str())]).await;
    assert!(answer.status.is_client_error(), "{}", answer.status);
    assert!(answer.body.len() < 200, "no echo of the input");
}

#[tokio::test]
async fn invalid_utf8_and_garbage_bodies_are_bad_requests() {
    let app = spawn_app().await;
    for body in [
        &b"number=%FF%FE%FD"[..],
        &b"\xff\xfe\x00garbage"[..],
        &b"code"[..],
    ] {
        for function in ["start_login", "finish_login"] {
            let response = app
                .client
                .post(format!("{}/api/{function}", app.base))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.to_vec())
                .send()
                .await
                .expect("reachable");
            assert!(
                response.status().is_client_error(),
                "{function} {body:?}: {}",
                response.status()
            );
        }
    }
}

#[tokio::test]
async fn wrong_method_and_unknown_function_are_client_errors() {
    let app = spawn_app().await;
    let get = app
        .client
        .get(format!("{}/api/start_login", app.base))
        .send()
        .await
        .expect("ok");
    assert!(get.status().is_client_error(), "{}", get.status());
    let unknown = app.call("drop_tables", &[]).await;
    assert!(unknown.status.is_client_error(), "{}", unknown.status);
}

#[tokio::test]
async fn script_in_the_number_is_shown_escaped() {
    let app = spawn_app().await;
    let attack = r#"<script>alert(1)</script>"#;
    let answer = app.post_form("start_login", &[("number", attack)]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let page = app.get("/login").await;
    assert!(
        !page.body.contains(attack),
        "raw script must not be rendered"
    );
    assert!(
        page.body.contains("&lt;script&gt;") || page.body.contains("&lt;script>"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn json_body_instead_of_form_is_a_bad_request() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/api/start_login", app.base))
        .json(&serde_json::json!({ "number": "+447400123120" }))
        .send()
        .await
        .expect("reachable");
    assert!(response.status().is_client_error(), "{}", response.status());
}

#[tokio::test]
async fn script_in_an_upstream_error_text_never_reaches_the_page() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let upstream = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/verify/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "status": "15", "error_text": "<script>alert('pwned')</script>"
        })))
        .mount(&upstream)
        .await;
    let app = crate::helpers::spawn_against("vonage-legacy", &upstream.uri(), &[]).await;
    let json = app
        .call("start_login", &[("number", "+447400123121")])
        .await;
    assert!(!json.body.contains("pwned"), "{}", json.body);
    app.post_form("start_login", &[("number", "+447400123121")])
        .await;
    let page = app.get("/login").await;
    assert!(!page.body.contains("pwned"), "upstream text is never shown");
    assert!(
        page.body.contains("can&#x27;t send codes to that number")
            || page.body.contains("can't send codes to that number"),
        "{}",
        page.body
    );
}
