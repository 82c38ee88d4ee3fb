//! `VONAGE_APPLICATION_ID` and `VONAGE_PRIVATE_KEY` with the in-process emulator over Verify
//! v2: the client signs in with application JWTs the emulator verifies
//! (`EMULATOR_APPLICATION_ID`, `EMULATOR_PUBLIC_KEY`), and sends nothing else: with a public
//! key that is not the private key's half, every call is refused.

use crate::helpers::{spawn_app_with, TestApp};
use reqwest::StatusCode;
use std::time::Duration;

const APP_ID: &str = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab";
/// Key pairs made for the emulator's tests.
const PRIVATE_PEM: &str = include_str!("../../emulator/src/auth/tests/test_app.key.pem");
const PUBLIC_PEM: &str = include_str!("../../emulator/src/auth/tests/test_app.pub.pem");
const OTHER_PUBLIC_PEM: &str = include_str!("../../emulator/src/auth/tests/test_other.pub.pem");

async fn app_accepting(public_pem: &str) -> TestApp {
    spawn_app_with(&[
        ("EMULATOR_API", "vonage"),
        ("EMULATOR_APPLICATION_ID", APP_ID),
        ("EMULATOR_PUBLIC_KEY", public_pem),
        ("VONAGE_APPLICATION_ID", APP_ID),
        ("VONAGE_PRIVATE_KEY", PRIVATE_PEM),
    ])
    .await
}

#[tokio::test]
async fn the_v2_client_signs_in_with_application_jwts() {
    let app = app_accepting(PUBLIC_PEM).await;
    let e164 = "+447400123160";
    let start = app.call("start_login", &[("number", e164)]).await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    let code = app.latest_code(e164).await;
    // The move to a call (next_workflow) carries a token too.
    app.clock.advance(Duration::from_secs(31));
    let resend = app.call("resend_code", &[]).await;
    assert_eq!(resend.status, StatusCode::OK, "{}", resend.body);
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{}", finish.body);
    assert!(app.get("/").await.body.contains("Hello "));
}

#[tokio::test]
async fn a_public_key_of_another_pair_refuses_every_call() {
    let app = app_accepting(OTHER_PUBLIC_PEM).await;
    let start = app
        .call("start_login", &[("number", "+447400123161")])
        .await;
    assert_eq!(
        start.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        start.body
    );
}
