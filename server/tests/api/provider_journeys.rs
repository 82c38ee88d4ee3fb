//! The same login journeys through each client the app has, against the emulator speaking
//! that vendor's API (`EMULATOR_API`): a client proves itself by passing all of them. Vonage
//! v2 is the default client, so the journeys every other test drives run through it already:
//! a right code in `login_flow`, a wrong one, too many and an expired code in `pending_rules`,
//! "Call me" in `lifecycle`, throttling in `faults`; only the change of number is here for it.

use crate::helpers::{shown, spawn_app_with, wrong_code, TestApp};
use reqwest::StatusCode;
use std::time::Duration;

async fn app_for(api: &str) -> TestApp {
    spawn_app_with(&[("EMULATOR_API", api)]).await
}

async fn assert_signed_in(app: &TestApp, e164: &str) {
    let home = app.get("/").await;
    assert!(home.body.contains("Hello "), "{}", home.body);
    assert!(home.body.contains(&shown(e164)), "{}", home.body);
}

async fn right_code_signs_in(api: &str) {
    let app = app_for(api).await;
    let e164 = "+447400123150";
    let start = app.call("start_login", &[("number", e164)]).await;
    assert_eq!(start.status, StatusCode::OK, "{api}: {}", start.body);
    let code = app.latest_code(e164).await;
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{api}: {}", finish.body);
    assert_signed_in(&app, e164).await;
}

async fn wrong_code_then_right_code(api: &str) {
    let app = app_for(api).await;
    let e164 = "+447400123151";
    app.call("start_login", &[("number", e164)]).await;
    let code = app.latest_code(e164).await;
    let wrong = app
        .call("finish_login", &[("code", wrong_code(&code))])
        .await;
    assert!(wrong.body.contains("WrongCode"), "{api}: {}", wrong.body);
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{api}: {}", finish.body);
}

async fn call_me_reads_the_same_code(api: &str) {
    let app = app_for(api).await;
    let e164 = "+447400123152";
    app.call("start_login", &[("number", e164)]).await;
    let code = app.latest_code(e164).await;
    app.clock.advance(Duration::from_secs(31));
    let resend = app.call("resend_code", &[]).await;
    assert_eq!(resend.status, StatusCode::OK, "{api}: {}", resend.body);
    let newest = &app.messages().await[0];
    assert_eq!(newest["channel"], "voice", "{api}");
    assert_eq!(newest["code"], code.as_str(), "{api}");
    let again = app.call("resend_code", &[]).await;
    assert!(
        again.body.contains("NoChannelLeft"),
        "{api}: {}",
        again.body
    );
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{api}: {}", finish.body);
}

async fn change_number_then_sign_in_with_another(api: &str) {
    let app = app_for(api).await;
    app.call("start_login", &[("number", "+447400123153")])
        .await;
    app.clock.advance(Duration::from_secs(31));
    let change = app.call("change_number", &[]).await;
    assert_eq!(change.status, StatusCode::OK, "{api}: {}", change.body);
    let other = "+447400123154";
    let start = app.call("start_login", &[("number", other)]).await;
    assert_eq!(start.status, StatusCode::OK, "{api}: {}", start.body);
    let code = app.latest_code(other).await;
    app.call("finish_login", &[("code", &code)]).await;
    assert_signed_in(&app, other).await;
}

async fn an_expired_code_is_refused(api: &str) {
    let app = app_for(api).await;
    let e164 = "+447400123155";
    app.call("start_login", &[("number", e164)]).await;
    let code = app.latest_code(e164).await;
    app.clock.advance(Duration::from_secs(301));
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert!(
        finish.body.contains("CodeExpired"),
        "{api}: {}",
        finish.body
    );
}

async fn too_many_wrong_codes_end_the_login(api: &str) {
    let app = app_for(api).await;
    let e164 = "+447400123156";
    app.call("start_login", &[("number", e164)]).await;
    let code = app.latest_code(e164).await;
    // Vonage takes 3 wrong codes per code, Twilio 5 checks; the app's cap is the lower
    // of its own (5) and the provider's.
    let mut last = String::new();
    for _ in 0..5 {
        last = app
            .call("finish_login", &[("code", wrong_code(&code))])
            .await
            .body;
        if !last.contains("WrongCode") {
            break;
        }
    }
    assert!(last.contains("TooManyAttempts"), "{api}: {last}");
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert!(
        finish.body.contains("NoPendingLogin"),
        "{api}: {}",
        finish.body
    );
}

macro_rules! journeys {
    ($module:ident, $api:literal) => {
        mod $module {
            #[tokio::test]
            async fn right_code_signs_in() {
                super::right_code_signs_in($api).await
            }
            #[tokio::test]
            async fn wrong_code_then_right_code() {
                super::wrong_code_then_right_code($api).await
            }
            #[tokio::test]
            async fn call_me_reads_the_same_code() {
                super::call_me_reads_the_same_code($api).await
            }
            #[tokio::test]
            async fn change_number_then_sign_in_with_another() {
                super::change_number_then_sign_in_with_another($api).await
            }
            #[tokio::test]
            async fn an_expired_code_is_refused() {
                super::an_expired_code_is_refused($api).await
            }
            #[tokio::test]
            async fn too_many_wrong_codes_end_the_login() {
                super::too_many_wrong_codes_end_the_login($api).await
            }
        }
    };
}

journeys!(vonage_legacy, "vonage-legacy");
journeys!(twilio, "twilio");

/// Vonage v2, the default client: its other journeys are the default app's tests.
mod vonage {
    #[tokio::test]
    async fn change_number_then_sign_in_with_another() {
        super::change_number_then_sign_in_with_another("vonage").await
    }
}

/// The provider's answer under `fault` for a start and for a check: the user sees `expected`
/// for both, and the login survives the check.
async fn upstream_trouble(api: &str, fault: serde_json::Value, expected: &str) {
    let app = app_for(api).await;
    let e164 = "+447400123157";
    app.set_fault(fault.clone()).await;
    let start = app.call("start_login", &[("number", e164)]).await;
    assert!(start.body.contains(expected), "{api}: {}", start.body);
    app.set_fault(serde_json::json!({"kind": "none"})).await;
    app.call("start_login", &[("number", e164)]).await;
    let code = app.latest_code(e164).await;
    app.set_fault(fault).await;
    let check = app.call("finish_login", &[("code", &code)]).await;
    assert!(check.body.contains(expected), "{api}: {}", check.body);
    app.set_fault(serde_json::json!({"kind": "none"})).await;
    let finish = app.call("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::OK, "{api}: {}", finish.body);
}

mod trouble {
    use super::upstream_trouble;
    use serde_json::json;

    #[tokio::test]
    async fn throttled_vonage_legacy() {
        let fault = json!({"kind": "v1_status", "status": 1});
        upstream_trouble("vonage-legacy", fault, "Throttled").await
    }
    #[tokio::test]
    async fn throttled_twilio() {
        let fault = json!({"kind": "status", "status": 429});
        upstream_trouble("twilio", fault, "Throttled").await
    }
    #[tokio::test]
    async fn unavailable_on_every_client() {
        for api in ["vonage", "vonage-legacy", "twilio"] {
            let fault = json!({"kind": "status", "status": 503});
            upstream_trouble(api, fault, "ServiceUnavailable").await
        }
    }
    #[tokio::test]
    async fn an_operator_fault_reads_as_unavailable_and_shows_in_readyz() {
        let app = super::app_for("vonage").await;
        app.set_fault(json!({"kind": "v2_problem", "status": 402}))
            .await;
        let start = app
            .call("start_login", &[("number", "+447400123158")])
            .await;
        assert!(start.body.contains("ServiceUnavailable"), "{}", start.body);
        let ready = app.get("/readyz").await;
        assert!(
            ready.body.contains(r#""provider_fault":"balance""#),
            "{}",
            ready.body
        );
        let metrics = app.get("/metrics").await;
        assert!(
            metrics
                .body
                .contains(r#"passwordless_provider_faults_total{kind="balance"}"#),
            "{}",
            metrics.body
        );
    }
}
