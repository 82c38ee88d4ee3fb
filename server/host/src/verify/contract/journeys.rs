//! The journeys every Verify adapter must pass, written once against [`Upstream`]: what a
//! login does (start, check, resend, cancel) and the domain outcome it must see, whatever
//! the vendor and whatever the backend.

use super::{Situation, Upstream};
use crate::verify::test_support::number;
use app_core::auth::server::verify_port::{
    CheckFailure, ControlFailure, RequestId, StartFailure, StartVerification, Started,
};
use app_core::domain::Pin;

pub(super) fn request() -> StartVerification {
    request_in("en-gb")
}

/// A start asking for `locale` first, then `en-gb` (a configured `VERIFY_LOCALE`).
pub(super) fn request_in(locale: &str) -> StartVerification {
    StartVerification {
        number: number(),
        brand: "Passwordless".to_owned(),
        locale: Some(locale.to_owned()),
        fallback_locales: vec!["en-gb".to_owned()],
        channel: app_core::auth::Channel::Sms,
        silent_return: None,
    }
}

/// A well-formed code that is not `code`.
fn wrong(code: &Pin) -> Pin {
    let digits = if code.expose().starts_with('0') {
        "111111"
    } else {
        "000000"
    };
    Pin::parse(digits).expect("a valid code")
}

/// Starts a fresh request; answers its id and the code the user received.
async fn started(upstream: &dyn Upstream) -> (RequestId, Pin) {
    upstream.arrange(Situation::Fresh).await;
    let started = upstream.provider().start(&request()).await;
    let started = started.expect("a fresh start is accepted");
    (started.request_id, upstream.code().await)
}

/// The right code still signs in: nothing was used up by the refused calls before.
async fn still_signs_in(upstream: &dyn Upstream, id: &RequestId, code: &Pin) {
    upstream.arrange(Situation::Accepts).await;
    assert_eq!(upstream.provider().check(id, code).await, Ok(()));
}

/// Journey 1: A start is a new request, not a resumed one.
pub(super) async fn start_is_fresh(upstream: &dyn Upstream) {
    upstream.arrange(Situation::Fresh).await;
    let started = upstream.provider().start(&request()).await;
    assert!(
        matches!(started, Ok(Started { resumed: false, .. })),
        "{started:?}"
    );
    assert!(!upstream.code().await.expose().is_empty());
}

/// Journey 1b: A second start while the first request is live hands back that request, and
/// its code still works.
pub(super) async fn second_start_resumes_the_live_request(upstream: &dyn Upstream) {
    let (id, code) = started(upstream).await;
    upstream.arrange(Situation::Resumes).await;
    let again = upstream.provider().start(&request()).await;
    let again = again.expect("a second start is accepted");
    assert!(again.request_id == id, "another request was started");
    assert_eq!(again.resumed, upstream.vendor().reports_resume());
    assert!(upstream.code().await == code, "a new code was sent");
    still_signs_in(upstream, &id, &code).await;
}

/// Journey 2: A wrong code is refused with tries left, and the right code then signs in.
pub(super) async fn wrong_code_then_right_code(upstream: &dyn Upstream) {
    let (id, code) = started(upstream).await;
    upstream.arrange(Situation::WrongCode).await;
    let result = upstream.provider().check(&id, &wrong(&code)).await;
    assert_eq!(result, Err(CheckFailure::WrongCode));
    still_signs_in(upstream, &id, &code).await;
}

/// Journey 3: The right code signs in once; the used request is gone.
pub(super) async fn right_code_once_then_not_found(upstream: &dyn Upstream) {
    let (id, code) = started(upstream).await;
    still_signs_in(upstream, &id, &code).await;
    upstream.arrange(Situation::Gone).await;
    let again = upstream.provider().check(&id, &code).await;
    assert_eq!(again, Err(CheckFailure::NotFound));
}

/// Journey 4: A resend reaches the user with the same code; once the vendor has nothing left to
/// send it says so, and the code still works.
pub(super) async fn resend_keeps_the_code_until_nothing_is_left(upstream: &dyn Upstream) {
    let (id, code) = started(upstream).await;
    for resend in 1..=upstream.vendor().resends() {
        upstream.arrange(Situation::NextChannel).await;
        let result = upstream.provider().next_channel(&id).await;
        assert_eq!(result, Ok(()), "resend {resend}");
        assert!(upstream.code().await == code, "resend {resend}: a new code");
    }
    upstream.arrange(Situation::NothingLeft).await;
    let last = upstream.provider().next_channel(&id).await;
    assert_eq!(last, Err(ControlFailure::NothingLeft));
    still_signs_in(upstream, &id, &code).await;
}

/// Journey 5a: A cancel (where the vendor allows it) ends the request: its code no longer works.
pub(super) async fn cancel_then_check_is_not_found(upstream: &dyn Upstream) {
    let (id, code) = started(upstream).await;
    upstream.arrange(Situation::Cancellable).await;
    assert_eq!(upstream.provider().cancel(&id).await, Ok(()));
    upstream.arrange(Situation::Gone).await;
    let check = upstream.provider().check(&id, &code).await;
    assert_eq!(check, Err(CheckFailure::NotFound));
    let again = upstream.provider().cancel(&id).await;
    assert_eq!(again, Err(ControlFailure::NotFound));
}

/// Journey 5b: A cancel right after the start: `TooSoon` where the vendor has a 30 s rule (Vonage
/// v1), accepted once the window opens; accepted at once everywhere else.
pub(super) async fn cancel_right_after_start(upstream: &dyn Upstream) {
    let (id, _) = started(upstream).await;
    if upstream.vendor().refuses_early_cancel() {
        upstream.arrange(Situation::CancelTooSoon).await;
        let early = upstream.provider().cancel(&id).await;
        assert_eq!(early, Err(ControlFailure::TooSoon));
    }
    upstream.arrange(Situation::Cancellable).await;
    assert_eq!(upstream.provider().cancel(&id).await, Ok(()));
}

/// Journey 6: An expired request is unknown to checks and resends.
pub(super) async fn expired_request_is_not_found(upstream: &dyn Upstream) {
    let (id, code) = started(upstream).await;
    upstream.expire().await;
    let check = upstream.provider().check(&id, &code).await;
    assert_eq!(check, Err(CheckFailure::NotFound));
    let resend = upstream.provider().next_channel(&id).await;
    assert_eq!(resend, Err(ControlFailure::NotFound));
}

/// Journey 7: The wrong code that uses up the budget kills the request: the right code no longer
/// signs in.
pub(super) async fn last_wrong_code_exhausts_the_request(upstream: &dyn Upstream) {
    let (id, code) = started(upstream).await;
    let budget = upstream.vendor().wrong_code_budget();
    for attempt in 1..budget {
        upstream.arrange(Situation::WrongCode).await;
        let result = upstream.provider().check(&id, &wrong(&code)).await;
        assert_eq!(result, Err(CheckFailure::WrongCode), "wrong code {attempt}");
    }
    upstream.arrange(Situation::Exhausted).await;
    let last = upstream.provider().check(&id, &wrong(&code)).await;
    assert_eq!(
        last,
        Err(CheckFailure::TooManyAttempts),
        "wrong code {budget}"
    );
    let after = upstream.provider().check(&id, &code).await;
    assert!(
        matches!(
            after,
            Err(CheckFailure::TooManyAttempts | CheckFailure::NotFound)
        ),
        "the right code after the budget: {after:?}"
    );
}

/// Journey 8: A throttling upstream is `Throttled` on every operation, and uses nothing up.
pub(super) async fn throttled_everywhere_then_recovers(upstream: &dyn Upstream) {
    let (id, code) = started(upstream).await;
    upstream.arrange(Situation::Throttled).await;
    let provider = upstream.provider();
    let start = provider.start(&request()).await;
    assert_eq!(start, Err(StartFailure::Throttled));
    assert_eq!(
        provider.check(&id, &code).await,
        Err(CheckFailure::Throttled)
    );
    let resend = provider.next_channel(&id).await;
    assert_eq!(resend, Err(ControlFailure::Throttled));
    assert_eq!(provider.cancel(&id).await, Err(ControlFailure::Throttled));
    still_signs_in(upstream, &id, &code).await;
}

/// Journey 9: Server errors are `Unavailable` on every operation, and use nothing up.
pub(super) async fn unavailable_everywhere_then_recovers(upstream: &dyn Upstream) {
    let (id, code) = started(upstream).await;
    upstream.arrange(Situation::Unavailable).await;
    let provider = upstream.provider();
    let start = provider.start(&request()).await;
    assert!(
        matches!(start, Err(StartFailure::Unavailable(_))),
        "{start:?}"
    );
    let check = provider.check(&id, &code).await;
    assert!(
        matches!(check, Err(CheckFailure::Unavailable(_))),
        "{check:?}"
    );
    let resend = provider.next_channel(&id).await;
    assert!(
        matches!(resend, Err(ControlFailure::Unavailable(_))),
        "{resend:?}"
    );
    let cancel = provider.cancel(&id).await;
    assert!(
        matches!(cancel, Err(ControlFailure::Unavailable(_))),
        "{cancel:?}"
    );
    still_signs_in(upstream, &id, &code).await;
}

/// Journey 9b: An upstream that never answers is `Unavailable` (a timeout) within the client's
/// bound, and uses nothing up.
pub(super) async fn stalled_upstream_times_out_then_recovers(upstream: &dyn Upstream) {
    let (id, code) = started(upstream).await;
    upstream.arrange(Situation::Stalled).await;
    let provider = upstream.provider();
    match provider.start(&request()).await {
        Err(StartFailure::Unavailable(detail)) => assert!(detail.contains("timeout"), "{detail}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    match provider.check(&id, &code).await {
        Err(CheckFailure::Unavailable(detail)) => assert!(detail.contains("timeout"), "{detail}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    still_signs_in(upstream, &id, &code).await;
}

/// Journey 13: A Spanish start asks the vendor for Spanish, in the vendor's spelling.
pub(super) async fn spanish_start_asks_for_spanish(upstream: &dyn Upstream) {
    upstream.arrange(Situation::Fresh).await;
    let started = upstream.provider().start(&request_in("es-es")).await;
    assert!(started.is_ok(), "{started:?}");
    let (spanish, _) = upstream.vendor().sent_locales();
    assert_eq!(upstream.sent_locale().await.as_deref(), Some(spanish));
}

/// Journey 14: An Arabic start asks for Arabic where the vendor has it (v1 `ar-xa`, Twilio
/// `ar`), else for the next choice (v2: the fallback `en-gb`).
pub(super) async fn arabic_start_asks_for_arabic_or_the_next_choice(upstream: &dyn Upstream) {
    upstream.arrange(Situation::Fresh).await;
    let started = upstream.provider().start(&request_in("ar-xa")).await;
    assert!(started.is_ok(), "{started:?}");
    let (_, arabic) = upstream.vendor().sent_locales();
    assert_eq!(upstream.sent_locale().await.as_deref(), Some(arabic));
}
