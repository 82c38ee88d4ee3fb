//! Stand-ins for the CAPTCHA providers, for development and tests: the widget script
//! (`GET /dev/captcha/api.js`, see `captcha_widget.js`) and the siteverify API
//! (`POST /dev/captcha/siteverify`, form `secret`, `response`, optional `remoteip` and
//! `sitekey`), answering `{"success": bool, "error-codes": [...], ...}` as Cloudflare and
//! hCaptcha do for their documented test keys:
//!
//! | secret | answer |
//! |---|---|
//! | [`TURNSTILE_PASSING_SECRET`] | success for [`TURNSTILE_TEST_TOKEN`] only, `hostname` [`TURNSTILE_TEST_HOSTNAME`], `action` empty, `metadata.result_with_testing_key` |
//! | [`TURNSTILE_FAILING_SECRET`] | `invalid-input-response` |
//! | [`TURNSTILE_SPENT_SECRET`] | `timeout-or-duplicate` |
//! | [`HCAPTCHA_TEST_SECRET`] | success for [`HCAPTCHA_TEST_TOKEN`] only, `hostname` [`HCAPTCHA_TEST_HOSTNAME`] |
//! | any other | `invalid-input-secret` |
//!
//! Like the real test secrets, the answers are canned: they never name the host the widget
//! was shown on nor the widget's action, so a server that binds checks to its host accepts
//! the canned hostname only when its secret is a test secret (see [`test_hostname`]).

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::json;

/// Turnstile's test secret that always passes.
pub const TURNSTILE_PASSING_SECRET: &str = "1x0000000000000000000000000000000AA";
/// Turnstile's test secret that always fails.
pub const TURNSTILE_FAILING_SECRET: &str = "2x0000000000000000000000000000000AA";
/// Turnstile's test secret whose tokens are always already spent.
pub const TURNSTILE_SPENT_SECRET: &str = "3x0000000000000000000000000000000AA";
/// hCaptcha's test secret.
pub const HCAPTCHA_TEST_SECRET: &str = "0x0000000000000000000000000000000000000000";
/// The token hCaptcha's test site key yields.
pub const HCAPTCHA_TEST_TOKEN: &str = "10000000-aaaa-bbbb-cccc-000000000001";
/// The dummy token Turnstile's test site keys yield, the only one its test secrets accept.
pub const TURNSTILE_TEST_TOKEN: &str = "XXXX.DUMMY.TOKEN.XXXX";
/// The `hostname` Turnstile's passing test secret answers, wherever the widget was shown.
pub const TURNSTILE_TEST_HOSTNAME: &str = "example.com";
/// The `hostname` hCaptcha's test secret answers, wherever the widget was shown.
pub const HCAPTCHA_TEST_HOSTNAME: &str = "dummy-key-pass";

/// The hostname the canned answers of a documented test secret name: `Some` for
/// Turnstile's three test secrets and hCaptcha's, `None` for any real secret.
pub fn test_hostname(secret: &str) -> Option<&'static str> {
    match secret {
        TURNSTILE_PASSING_SECRET | TURNSTILE_FAILING_SECRET | TURNSTILE_SPENT_SECRET => {
            Some(TURNSTILE_TEST_HOSTNAME)
        }
        HCAPTCHA_TEST_SECRET => Some(HCAPTCHA_TEST_HOSTNAME),
        _ => None,
    }
}

const WIDGET_SCRIPT: &str = include_str!("captcha_widget.js");

#[derive(Deserialize)]
struct SiteVerifyForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    response: String,
}

/// `GET /dev/captcha/api.js` and `POST /dev/captcha/siteverify` (mounted by the dev router).
pub fn routes() -> Router {
    Router::new()
        .route("/dev/captcha/api.js", get(widget_script))
        .route("/dev/captcha/siteverify", post(site_verify))
}

async fn widget_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        WIDGET_SCRIPT,
    )
}

async fn site_verify(Form(form): Form<SiteVerifyForm>) -> impl IntoResponse {
    let turnstile = test_hostname(&form.secret) == Some(TURNSTILE_TEST_HOSTNAME);
    let refused = |code: &str| match turnstile {
        true => json!({
            "success": false,
            "error-codes": [code],
            "messages": [],
            "metadata": { "result_with_testing_key": true },
        }),
        false => json!({ "success": false, "error-codes": [code] }),
    };
    let solved_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let answer = if form.secret.is_empty() {
        refused("missing-input-secret")
    } else if form.response.is_empty() {
        refused("missing-input-response")
    } else {
        match form.secret.as_str() {
            TURNSTILE_PASSING_SECRET if form.response == TURNSTILE_TEST_TOKEN => json!({
                "success": true,
                "error-codes": [],
                "challenge_ts": solved_at,
                "hostname": TURNSTILE_TEST_HOSTNAME,
                "action": "",
                "cdata": "",
                "metadata": { "result_with_testing_key": true },
            }),
            HCAPTCHA_TEST_SECRET if form.response == HCAPTCHA_TEST_TOKEN => json!({
                "success": true,
                "challenge_ts": solved_at,
                "hostname": HCAPTCHA_TEST_HOSTNAME,
                "credit": false,
            }),
            TURNSTILE_PASSING_SECRET | TURNSTILE_FAILING_SECRET | HCAPTCHA_TEST_SECRET => {
                refused("invalid-input-response")
            }
            TURNSTILE_SPENT_SECRET => refused("timeout-or-duplicate"),
            _ => refused("invalid-input-secret"),
        }
    };
    Json(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    async fn verify(secret: &str, token: &str) -> serde_json::Value {
        let body = format!("secret={secret}&response={token}&remoteip=192.0.2.1");
        let request = Request::post("/dev/captcha/siteverify")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        let response = routes().oneshot(request).await.expect("answer");
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .expect("body");
        serde_json::from_slice(&bytes).expect("json")
    }

    #[tokio::test]
    async fn the_documented_test_secrets_answer_as_documented() {
        let token = TURNSTILE_TEST_TOKEN;
        let passed = verify(TURNSTILE_PASSING_SECRET, token).await;
        assert_eq!(passed["success"], true);
        assert_eq!(passed["hostname"], "example.com", "canned, wherever shown");
        assert_eq!(passed["action"], "", "the widget's action is not echoed");
        assert_eq!(passed["metadata"]["result_with_testing_key"], true);
        assert!(passed["challenge_ts"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')));
        let real = verify(TURNSTILE_PASSING_SECRET, "0.a-real-token").await;
        assert_eq!(
            real["error-codes"][0], "invalid-input-response",
            "dummy token only"
        );
        let failed = verify(TURNSTILE_FAILING_SECRET, token).await;
        assert_eq!(failed["success"], false);
        assert_eq!(failed["error-codes"][0], "invalid-input-response");
        let spent = verify(TURNSTILE_SPENT_SECRET, token).await;
        assert_eq!(spent["error-codes"][0], "timeout-or-duplicate");
        let hcaptcha = verify(HCAPTCHA_TEST_SECRET, HCAPTCHA_TEST_TOKEN).await;
        assert_eq!(hcaptcha["success"], true);
        assert_eq!(hcaptcha["hostname"], "dummy-key-pass");
        assert!(hcaptcha.get("action").is_none(), "hCaptcha has no action");
        assert_eq!(verify(HCAPTCHA_TEST_SECRET, token).await["success"], false);
        let unknown = verify("real-secret", token).await;
        assert_eq!(unknown["error-codes"][0], "invalid-input-secret");
        let empty = verify(TURNSTILE_PASSING_SECRET, "").await;
        assert_eq!(empty["error-codes"][0], "missing-input-response");
    }

    #[test]
    fn only_the_test_secrets_have_a_canned_hostname() {
        assert_eq!(test_hostname(TURNSTILE_PASSING_SECRET), Some("example.com"));
        assert_eq!(test_hostname(TURNSTILE_SPENT_SECRET), Some("example.com"));
        assert_eq!(test_hostname(HCAPTCHA_TEST_SECRET), Some("dummy-key-pass"));
        assert_eq!(test_hostname("0x4AAAAAAA-a-real-secret"), None);
        assert_eq!(test_hostname(""), None);
    }

    #[tokio::test]
    async fn the_widget_script_defines_both_globals() {
        let request = Request::get("/dev/captcha/api.js")
            .body(Body::empty())
            .expect("request");
        let response = routes().oneshot(request).await.expect("answer");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        let bytes = axum::body::to_bytes(response.into_body(), 65_536)
            .await
            .expect("body");
        let script = String::from_utf8(bytes.to_vec()).expect("utf-8");
        assert!(script.contains("window.turnstile = window.hcaptcha"));
    }
}
