//! The siteverify client against the emulator's stand-in (the providers' documented test
//! keys) and against answers a provider should never give.

use super::*;
use axum::routing::post;
use emulator::captcha::{
    HCAPTCHA_TEST_SECRET, HCAPTCHA_TEST_TOKEN, TURNSTILE_FAILING_SECRET, TURNSTILE_PASSING_SECRET,
    TURNSTILE_SPENT_SECRET,
};

async fn serve(router: axum::Router) -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("bound");
    tokio::spawn(async move { axum::serve(listener, router).await });
    Url::parse(&format!("http://{addr}/dev/captcha/siteverify")).expect("url")
}

fn client(url: &Url, secret: &str, timeout: Duration) -> SiteVerify {
    SiteVerify::new(url.clone(), SecretString::from(secret), None, timeout).expect("client")
}

const TOKEN: &str = "XXXX.DUMMY.TOKEN.XXXX";
const IP: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1)));

#[tokio::test]
async fn the_test_secrets_pass_and_fail_as_documented() {
    let url = serve(emulator::captcha::routes()).await;
    let verdict = |secret: &'static str, token: &'static str| {
        let c = client(&url, secret, SITEVERIFY_TIMEOUT);
        async move { c.verify(token, IP).await }
    };
    assert_eq!(
        verdict(TURNSTILE_PASSING_SECRET, TOKEN).await,
        Ok(Verdict::Passed)
    );
    assert_eq!(
        verdict(TURNSTILE_FAILING_SECRET, TOKEN).await,
        Ok(Verdict::Refused(vec!["invalid-input-response".into()]))
    );
    assert_eq!(
        verdict(TURNSTILE_SPENT_SECRET, TOKEN).await,
        Ok(Verdict::Refused(vec!["timeout-or-duplicate".into()]))
    );
    assert_eq!(
        verdict(HCAPTCHA_TEST_SECRET, HCAPTCHA_TEST_TOKEN).await,
        Ok(Verdict::Passed)
    );
    assert!(matches!(
        verdict(HCAPTCHA_TEST_SECRET, TOKEN).await,
        Ok(Verdict::Refused(_))
    ));
}

#[tokio::test]
async fn an_outage_or_garbage_is_an_error_never_a_pass() {
    let broken = axum::Router::new()
        .route(
            "/dev/captcha/siteverify",
            post(|| async { (axum::http::StatusCode::BAD_GATEWAY, "upstream down") }),
        )
        .route(
            "/html/dev/captcha/siteverify",
            post(|| async { "<html>challenge</html>" }),
        )
        .route(
            "/slow/dev/captcha/siteverify",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "{\"success\": true}"
            }),
        );
    let url = serve(broken).await;
    let short = Duration::from_millis(300);
    let error = client(&url, TURNSTILE_PASSING_SECRET, short)
        .verify(TOKEN, IP)
        .await;
    assert!(error.is_err_and(|e| e.contains("502")));
    let html = url.join("/html/dev/captcha/siteverify").expect("url");
    let error = client(&html, TURNSTILE_PASSING_SECRET, short)
        .verify(TOKEN, IP)
        .await;
    assert!(error.is_err_and(|e| e.contains("unreadable")));
    let slow = url.join("/slow/dev/captcha/siteverify").expect("url");
    let started = std::time::Instant::now();
    let error = client(&slow, TURNSTILE_PASSING_SECRET, short)
        .verify(TOKEN, IP)
        .await;
    assert!(error.is_err());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the timeout bounds the wait"
    );
    let nothing = Url::parse("http://127.0.0.1:9/siteverify").expect("url");
    assert!(client(&nothing, TURNSTILE_PASSING_SECRET, short)
        .verify(TOKEN, IP)
        .await
        .is_err());
}

#[test]
fn the_csp_admits_the_providers_origins_only_for_their_scripts() {
    let turnstile = default_script_url(CaptchaProvider::Turnstile);
    assert_eq!(
        csp_origins(CaptchaProvider::Turnstile, turnstile),
        vec!["https://challenges.cloudflare.com"]
    );
    let hcaptcha = default_script_url(CaptchaProvider::Hcaptcha);
    assert_eq!(
        csp_origins(CaptchaProvider::Hcaptcha, hcaptcha),
        vec!["https://hcaptcha.com", "https://*.hcaptcha.com"]
    );
    assert!(csp_origins(CaptchaProvider::Turnstile, "/dev/captcha/api.js").is_empty());
    assert_eq!(
        csp_origins(CaptchaProvider::Hcaptcha, "https://cdn.example/h/api.js"),
        vec!["https://cdn.example"]
    );
}
