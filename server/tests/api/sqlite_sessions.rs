//! The default SQLite session store: created if missing and shared by a restarted server.

use crate::helpers::spawn_app_with;
use reqwest::StatusCode;

#[tokio::test]
async fn sessions_survive_a_restart_on_the_same_sqlite_file() {
    let dir = std::env::temp_dir().join(format!("passwordless-test-{}", uuid::Uuid::new_v4()));
    let file = dir.join("nested").join("sessions.db");
    let store = format!("sqlite://{}", file.display());

    let first = spawn_app_with(&[("SESSION_STORE", &store)]).await;
    assert!(file.exists(), "the SQLite file is created with its folder");
    assert_eq!(
        first
            .call("start_login", &[("number", "+447400123040")])
            .await
            .status,
        StatusCode::OK
    );
    let code = first.latest_code("+447400123040").await;
    assert_eq!(
        first.call("finish_login", &[("code", &code)]).await.status,
        StatusCode::OK
    );

    // A second server on the same file (as after a restart); the browser keeps its cookie
    // (cookies are per host, not per port).
    let second = spawn_app_with(&[("SESSION_STORE", &store)]).await;
    let restarted = crate::helpers::TestApp {
        client: first.client.clone(),
        ..second
    };
    let home = restarted.get("/").await;
    assert!(
        home.body.contains("+44 7400 123040"),
        "still signed in after restart: {}",
        home.body
    );

    let _ = std::fs::remove_dir_all(dir);
}
