//! The provider's request id never reaches the browser.

use crate::helpers::spawn_app;

#[tokio::test]
async fn no_response_contains_the_request_id() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    let start = app
        .call("start_login", &[("number", "+447400123030")])
        .await;
    seen.push(format!("{:?} {}", start.headers, start.body));
    let id = app.live_request_id("+447400123030").await;
    assert!(id.len() >= 32, "a real id: {id}");
    for path in ["/", "/login", "/verify"] {
        let page = app.get(path).await;
        seen.push(format!("{:?} {}", page.headers, page.body));
    }
    let status = app.call("login_status", &[]).await;
    seen.push(format!("{:?} {}", status.headers, status.body));
    let code = app.latest_code("+447400123030").await;
    let wrong = app
        .call(
            "finish_login",
            &[("code", crate::helpers::wrong_code(&code))],
        )
        .await;
    seen.push(format!("{:?} {}", wrong.headers, wrong.body));
    let finish = app.call("finish_login", &[("code", &code)]).await;
    seen.push(format!("{:?} {}", finish.headers, finish.body));

    for response in &seen {
        assert!(!response.contains(&id), "request id leaked in: {response}");
    }
}
