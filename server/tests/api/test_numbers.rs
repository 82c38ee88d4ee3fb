//! Test numbers in production (`TEST_NUMBERS`, `TEST_NUMBERS_UNTIL`): they sign in with
//! their fixed code under every provider with no upstream call at all; a wrong code counts
//! as for any number; the test code means nothing for a real number; nothing is counted
//! against the send limits; unsafe lists refuse to start; after the date they stop.

use crate::helpers::{shown, spawn_app_with, TestApp};
use reqwest::StatusCode;
use server::config::Config;
use std::collections::HashMap;
use std::time::{Duration, SystemTime};
use wiremock::MockServer;

const TEST_NUMBER: &str = "07700 900123";
const TEST_E164: &str = "+447700900123";
const TEST_CODE: &str = "246810";

/// `YYYY-MM-DD`, `days` from today (UTC), by the civil-from-days algorithm.
fn date_in(days: u64) -> String {
    let at = SystemTime::now() + Duration::from_secs(days * 86_400);
    let secs = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn settings(until: &str) -> Vec<(&'static str, String)> {
    vec![
        ("TEST_NUMBERS", format!("{TEST_NUMBER}={TEST_CODE}")),
        ("TEST_NUMBERS_UNTIL", until.to_owned()),
    ]
}

async fn spawn(extra: &[(&str, &str)], until: &str) -> TestApp {
    let owned = settings(until);
    let mut vars: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    vars.extend_from_slice(extra);
    spawn_app_with(&vars).await
}

/// The test number's whole journey, JavaScript on then off, on `app`.
async fn signs_in_both_ways(app: &TestApp) {
    let browser = app.other_browser();
    let started = browser
        .call("start_login", &[("number", TEST_NUMBER)])
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let wrong = browser.call("finish_login", &[("code", "000000")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
    app.clock.advance(Duration::from_secs(31));
    let call = browser.call("resend_code", &[]).await;
    assert_eq!(
        call.status,
        StatusCode::OK,
        "\"Call me instead\" works and sends nothing: {}",
        call.body
    );
    let signed = browser.call("finish_login", &[("code", TEST_CODE)]).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    let account = browser.call("account", &[]).await;
    assert!(
        account.body.contains("\"test_account\":true"),
        "{}",
        account.body
    );

    let no_js = app.other_browser();
    let start = no_js
        .post_form("start_login", &[("number", TEST_NUMBER)])
        .await;
    assert_eq!(
        (start.status, start.location()),
        (StatusCode::SEE_OTHER, "/verify")
    );
    let finish = no_js
        .post_form("finish_login", &[("code", TEST_CODE)])
        .await;
    assert_eq!(
        (finish.status, finish.location()),
        (StatusCode::SEE_OTHER, "/")
    );
    assert!(no_js.get("/").await.body.contains(&shown(TEST_E164)));
    assert!(no_js.get("/account").await.body.contains("Test account"));
}

async fn no_upstream_call_on(provider: &str, extra: &[(&str, &str)]) {
    let upstream = MockServer::start().await;
    let base = upstream.uri();
    let mut vars = vec![
        ("VERIFY_PROVIDER", provider),
        ("VONAGE_API_KEY", "key"),
        ("VONAGE_API_SECRET", "secret"),
        ("VONAGE_BASE_URL", base.as_str()),
        ("TWILIO_BASE_URL", base.as_str()),
    ];
    vars.extend_from_slice(extra);
    let app = spawn(&vars, &date_in(30)).await;
    signs_in_both_ways(&app).await;
    let received = upstream.received_requests().await.unwrap_or_default();
    assert!(
        received.is_empty(),
        "{provider}: {} upstream calls",
        received.len()
    );
}

#[tokio::test]
async fn a_test_number_signs_in_with_no_upstream_call_on_vonage() {
    no_upstream_call_on("vonage", &[]).await;
}

#[tokio::test]
async fn a_test_number_signs_in_with_no_upstream_call_on_vonage_legacy() {
    no_upstream_call_on("vonage-legacy", &[]).await;
}

#[tokio::test]
async fn a_test_number_signs_in_with_no_upstream_call_on_twilio() {
    no_upstream_call_on(
        "twilio",
        &[
            ("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000"),
            ("TWILIO_AUTH_TOKEN", "token"),
            (
                "TWILIO_VERIFY_SERVICE_SID",
                "VA00000000000000000000000000000000",
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn wrong_codes_count_and_the_test_code_means_nothing_for_a_real_number() {
    let app = spawn(&[("LIMIT_FAILED_PER_NUMBER", "2/1h")], &date_in(30)).await;
    let browser = app.other_browser();
    browser
        .call("start_login", &[("number", TEST_NUMBER)])
        .await;
    let first = browser.call("finish_login", &[("code", "111111")]).await;
    assert!(first.body.contains("WrongCode"), "{}", first.body);
    let second = browser.call("finish_login", &[("code", "222222")]).await;
    assert!(second.body.contains("TooManyWrongCodes"), "{}", second.body);
    let again = app.other_browser();
    let refused = again.call("start_login", &[("number", TEST_NUMBER)]).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked like any number"
    );

    let real = app.other_browser();
    let started = real
        .call("start_login", &[("number", "07400 123321")])
        .await;
    assert_eq!(started.status, StatusCode::OK);
    let sent = real.latest_code("+447400123321").await;
    if sent != TEST_CODE {
        let test_code = real.call("finish_login", &[("code", TEST_CODE)]).await;
        assert_eq!(
            test_code.status,
            StatusCode::UNAUTHORIZED,
            "{}",
            test_code.body
        );
    }
    assert!(!real.call("account", &[]).await.body.contains("\"number\""));
}

#[tokio::test]
async fn a_test_number_counts_against_no_send_limit_and_sends_nothing() {
    let app = spawn(
        &[("LIMIT_PER_NUMBER", "2/1h"), ("LIMIT_PER_IP", "2/1h")],
        &date_in(30),
    )
    .await;
    let sent_before = app.messages().await.len();
    for _ in 0..4 {
        let browser = app.other_browser();
        let started = browser
            .call("start_login", &[("number", TEST_NUMBER)])
            .await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.body);
        let signed = browser.call("finish_login", &[("code", TEST_CODE)]).await;
        assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    }
    assert_eq!(
        app.messages().await.len(),
        sent_before,
        "nothing in the outbox"
    );
    let real = app.other_browser();
    let started = real
        .call("start_login", &[("number", "07400 123322")])
        .await;
    assert_eq!(
        started.status,
        StatusCode::OK,
        "the address's budget is untouched: {}",
        started.body
    );
}

#[tokio::test]
async fn after_the_date_a_test_number_no_longer_signs_in() {
    let app = spawn(&[], &date_in(1)).await;
    let browser = app.other_browser();
    let started = browser
        .call("start_login", &[("number", TEST_NUMBER)])
        .await;
    assert_eq!(started.status, StatusCode::OK);
    app.clock.advance(Duration::from_secs(3 * 86_400));
    let late = browser.call("finish_login", &[("code", TEST_CODE)]).await;
    assert_ne!(late.status, StatusCode::OK, "{}", late.body);
    let fresh = app.other_browser();
    let refused = fresh.call("start_login", &[("number", TEST_NUMBER)]).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("InvalidNumber"), "{}", refused.body);
    assert!(!fresh.call("account", &[]).await.body.contains("\"number\""));
}

#[test]
fn unsafe_lists_refuse_to_start_and_name_the_setting() {
    let config = |pairs: &[(&str, String)]| {
        let vars: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let in_30 = date_in(30);
    for (pairs, reason) in [
        (
            vec![
                ("TEST_NUMBERS", "07400 123456=123456".to_owned()),
                ("TEST_NUMBERS_UNTIL", in_30.clone()),
            ],
            "reserved",
        ),
        (
            vec![
                ("TEST_NUMBERS", "07700 900123=12345".to_owned()),
                ("TEST_NUMBERS_UNTIL", in_30.clone()),
            ],
            "6 digits",
        ),
        (
            vec![("TEST_NUMBERS", "07700 900123=123456".to_owned())],
            "TEST_NUMBERS_UNTIL",
        ),
        (
            vec![
                ("TEST_NUMBERS", "07700 900123=123456".to_owned()),
                ("TEST_NUMBERS_UNTIL", date_in(120)),
            ],
            "90 days",
        ),
    ] {
        let error = config(&pairs).expect_err(reason);
        assert!(
            error.contains("TEST_NUMBERS") && error.contains(reason),
            "{error}"
        );
    }
    let opted_in = config(&[
        ("TEST_NUMBERS", "07400 123456=123456".to_owned()),
        ("TEST_NUMBERS_UNTIL", in_30),
        ("TEST_NUMBERS_ANY_RANGE", "yes".to_owned()),
    ]);
    assert_eq!(opted_in, Ok(()));
}
