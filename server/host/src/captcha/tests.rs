//! The siteverify client against the emulator's stand-in (the providers' documented test
//! keys) and against answers a provider should never give; the challenge it makes binds a
//! solved token to this site and widget.

use super::*;
use app_core::auth::server::challenge::{ChallengeWhen, Mismatch, Verdict};
use app_core::auth::server::rate_limit::Rule;
use app_core::auth::server::store::counters::MemoryCounters;
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
        Ok(SiteAnswer::Solved(Solved {
            hostname: Some("example.com".into()),
            action: Some(String::new()),
        })),
        "Turnstile's canned test answer"
    );
    assert_eq!(
        verdict(TURNSTILE_FAILING_SECRET, TOKEN).await,
        Ok(SiteAnswer::Refused(vec!["invalid-input-response".into()]))
    );
    assert_eq!(
        verdict(TURNSTILE_SPENT_SECRET, TOKEN).await,
        Ok(SiteAnswer::Refused(vec!["timeout-or-duplicate".into()]))
    );
    assert_eq!(
        verdict(HCAPTCHA_TEST_SECRET, HCAPTCHA_TEST_TOKEN).await,
        Ok(SiteAnswer::Solved(Solved {
            hostname: Some("dummy-key-pass".into()),
            action: None,
        }))
    );
    assert!(matches!(
        verdict(HCAPTCHA_TEST_SECRET, TOKEN).await,
        Ok(SiteAnswer::Refused(_))
    ));
}

fn config(provider: CaptchaProvider, secret: &str, verify_url: Option<Url>) -> CaptchaConfig {
    CaptchaConfig {
        provider,
        site_key: "site-key".into(),
        secret: SecretString::from(secret),
        when: ChallengeWhen::Always,
        ip_burst: Rule {
            max: 3,
            window: Duration::from_secs(600),
        },
        script_url: None,
        verify_url,
        site_host: None,
    }
}

/// A siteverify that vouches for every token, as solved on `hostname` for `action`.
async fn vouching(hostname: &'static str, action: Option<&'static str>) -> Url {
    let answer = serde_json::json!({
        "success": true,
        "error-codes": [],
        "hostname": hostname,
        "action": action,
    });
    serve(axum::Router::new().route(
        "/dev/captcha/siteverify",
        post(move || async move { axum::Json(answer) }),
    ))
    .await
}

async fn verdict_of(config: &CaptchaConfig, served_host: Option<&str>) -> Verdict {
    let counters = Arc::new(MemoryCounters::default());
    challenge(config, None, counters)
        .expect("challenge")
        .verify(TOKEN, IP, served_host)
        .await
        .expect("answered")
}

#[tokio::test]
async fn a_token_solved_on_another_site_or_widget_is_refused() {
    let secret = "0x4AAAAAAA-real-secret";
    let evil = vouching("evil.example", Some("login")).await;
    let turnstile = config(CaptchaProvider::Turnstile, secret, Some(evil));
    assert_eq!(
        verdict_of(&turnstile, Some("127.0.0.1")).await,
        Verdict::Elsewhere(Mismatch::Hostname {
            answered: Some("evil.example".into()),
            expected: Some("127.0.0.1".into()),
        })
    );
    let other_form = vouching("127.0.0.1", Some("signup")).await;
    let turnstile = config(CaptchaProvider::Turnstile, secret, Some(other_form));
    assert!(matches!(
        verdict_of(&turnstile, Some("127.0.0.1")).await,
        Verdict::Elsewhere(Mismatch::Action { .. })
    ));
    let here = vouching("127.0.0.1", Some("login")).await;
    let turnstile = config(CaptchaProvider::Turnstile, secret, Some(here.clone()));
    assert_eq!(
        verdict_of(&turnstile, Some("127.0.0.1")).await,
        Verdict::Passed
    );
    let behind_proxy = CaptchaConfig {
        site_host: Some("login.example.com".into()),
        ..turnstile
    };
    assert!(
        matches!(
            verdict_of(&behind_proxy, Some("127.0.0.1")).await,
            Verdict::Elsewhere(Mismatch::Hostname { .. })
        ),
        "PUBLIC_URL's host, not the one the request names"
    );
    let hcaptcha_here = vouching("127.0.0.1", None).await;
    let hcaptcha = config(CaptchaProvider::Hcaptcha, secret, Some(hcaptcha_here));
    assert_eq!(
        verdict_of(&hcaptcha, Some("127.0.0.1")).await,
        Verdict::Passed,
        "hCaptcha has no action"
    );
    let hcaptcha_evil = vouching("evil.example", None).await;
    let hcaptcha = config(CaptchaProvider::Hcaptcha, secret, Some(hcaptcha_evil));
    assert!(matches!(
        verdict_of(&hcaptcha, Some("127.0.0.1")).await,
        Verdict::Elsewhere(Mismatch::Hostname { .. })
    ));
}

#[tokio::test]
async fn the_test_keys_canned_hostname_passes_only_with_their_test_secret() {
    let stand_in = serve(emulator::captcha::routes()).await;
    let testing = config(
        CaptchaProvider::Turnstile,
        TURNSTILE_PASSING_SECRET,
        Some(stand_in.clone()),
    );
    assert_eq!(
        verdict_of(&testing, Some("127.0.0.1")).await,
        Verdict::Passed
    );
    let canned = vouching("example.com", Some("")).await;
    let real = config(CaptchaProvider::Turnstile, "0x4AAAAAAA-real", Some(canned));
    assert!(matches!(
        verdict_of(&real, Some("127.0.0.1")).await,
        Verdict::Elsewhere(Mismatch::Hostname { .. })
    ));
    let hcaptcha = config(
        CaptchaProvider::Hcaptcha,
        HCAPTCHA_TEST_SECRET,
        Some(stand_in),
    );
    let counters = Arc::new(MemoryCounters::default());
    let verdict = challenge(&hcaptcha, None, counters)
        .expect("challenge")
        .verify(HCAPTCHA_TEST_TOKEN, IP, Some("localhost"))
        .await;
    assert_eq!(verdict, Ok(Verdict::Passed));
}

#[test]
fn the_widget_carries_the_action_the_answer_must_name() {
    let counters = || Arc::new(MemoryCounters::default());
    let turnstile = config(CaptchaProvider::Turnstile, "real", None);
    let widget = challenge(&turnstile, None, counters())
        .expect("challenge")
        .widget()
        .clone();
    assert_eq!(widget.action.as_deref(), Some("login"));
    assert_eq!(binding(&turnstile).action.as_deref(), Some("login"));
    assert_eq!(binding(&turnstile).test_hostname, None);
    let hcaptcha = config(CaptchaProvider::Hcaptcha, HCAPTCHA_TEST_SECRET, None);
    let widget = challenge(&hcaptcha, None, counters())
        .expect("challenge")
        .widget()
        .clone();
    assert_eq!(widget.action, None, "hCaptcha has no action");
    assert_eq!(
        binding(&hcaptcha).test_hostname.as_deref(),
        Some("dummy-key-pass")
    );
    let crossed = config(CaptchaProvider::Hcaptcha, TURNSTILE_PASSING_SECRET, None);
    assert_eq!(
        binding(&crossed).test_hostname,
        None,
        "another provider's test secret is not a test secret here"
    );
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
