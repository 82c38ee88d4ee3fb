//! The control calls against the emulator: the next channel (a call with the same code,
//! until the channels run out) and cancelling, as each API version times it.

use super::*;
use app_core::auth::server::verify_port::{ControlFailure, StartFailure};

#[tokio::test]
async fn next_channel_calls_with_the_same_code() {
    let (emulator, addr) = serve(Arc::new(SystemClock)).await;
    for provider in clients(addr) {
        let started = start(provider.as_ref(), NUMBER).await;
        let code = code_for(&emulator, NUMBER);
        assert_eq!(provider.next_channel(&started.request_id).await, Ok(()));
        let newest = &emulator.messages()[0];
        assert_eq!(newest.channel, "voice", "{}", provider.name());
        assert_eq!(newest.to, NUMBER);
        assert_eq!(newest.code, code.expose());
        assert_eq!(provider.check(&started.request_id, &code).await, Ok(()));
    }
}

#[tokio::test]
async fn next_channel_runs_out_of_channels() {
    let (_emulator, addr) = serve(Arc::new(SystemClock)).await;
    let [v2, v1] = clients(addr);

    // v2: the client asks for [sms, voice].
    let id = start(v2.as_ref(), NUMBER).await.request_id;
    assert_eq!(v2.next_channel(&id).await, Ok(()));
    assert_eq!(v2.next_channel(&id).await, Err(ControlFailure::NothingLeft));

    // v1: the client asks for workflow 5, SMS → voice (not Vonage's default 1, which
    // would call twice).
    let id = start(v1.as_ref(), "+12015550123").await.request_id;
    assert_eq!(v1.next_channel(&id).await, Ok(()));
    assert_eq!(v1.next_channel(&id).await, Err(ControlFailure::NothingLeft));
}

#[tokio::test]
async fn control_of_an_unknown_request_is_not_found() {
    let (_emulator, addr) = serve(Arc::new(SystemClock)).await;
    for (provider, id) in clients(addr).iter().zip([
        "c11236f4-00bf-4b89-84ba-88b25df97315",
        "abcdef0123456789abcdef0123456789",
    ]) {
        let id = RequestId::new(id);
        let next = provider.next_channel(&id).await;
        assert_eq!(next, Err(ControlFailure::NotFound), "{}", provider.name());
        let cancel = provider.cancel(&id).await;
        assert_eq!(cancel, Err(ControlFailure::NotFound), "{}", provider.name());
    }
}

#[tokio::test]
async fn v2_cancel_frees_the_number_for_a_fresh_request() {
    let clock = ManualClock::new();
    let (emulator, addr) = serve(Arc::new(clock.clone())).await;
    let [v2, _] = clients(addr);
    let first = start(v2.as_ref(), NUMBER).await;
    let old_code = code_for(&emulator, NUMBER);
    assert_eq!(v2.cancel(&first.request_id).await, Ok(()));
    assert_eq!(
        v2.cancel(&first.request_id).await,
        Err(ControlFailure::NotFound)
    );
    assert_eq!(
        v2.check(&first.request_id, &old_code).await,
        Err(CheckFailure::NotFound)
    );
    // Like Vonage, the number answers 409 with the cancelled id for a few seconds; the
    // client knows the id as one it cancelled: "settling", never a resume.
    assert_eq!(
        v2.start(&request(NUMBER)).await,
        Err(StartFailure::Settling)
    );
    clock.advance(Duration::from_secs(5));

    let again = start(v2.as_ref(), NUMBER).await;
    assert!(!again.resumed, "a fresh request, not a resume");
    assert_ne!(again.request_id, first.request_id);
    let code = code_for(&emulator, NUMBER);
    assert_eq!(v2.check(&again.request_id, &code).await, Ok(()));
}

#[tokio::test]
async fn v1_cancel_waits_30_seconds_then_frees_the_number() {
    let clock = ManualClock::new();
    let (emulator, addr) = serve(Arc::new(clock.clone())).await;
    let [_, v1] = clients(addr);
    let first = start(v1.as_ref(), NUMBER).await;

    assert_eq!(
        v1.cancel(&first.request_id).await,
        Err(ControlFailure::TooSoon)
    );
    clock.advance(Duration::from_secs(29));
    assert_eq!(
        v1.cancel(&first.request_id).await,
        Err(ControlFailure::TooSoon)
    );
    assert!(start(v1.as_ref(), NUMBER).await.resumed, "still live");
    clock.advance(Duration::from_secs(1));
    assert_eq!(v1.cancel(&first.request_id).await, Ok(()));

    let again = start(v1.as_ref(), NUMBER).await;
    assert!(!again.resumed, "a fresh request, not a resume");
    assert_ne!(again.request_id, first.request_id);
    let code = code_for(&emulator, NUMBER);
    assert_eq!(v1.check(&again.request_id, &code).await, Ok(()));
}

#[tokio::test]
async fn v1_cancel_after_the_second_event_is_refused() {
    let clock = ManualClock::new();
    let (emulator, addr) = serve(Arc::new(clock.clone())).await;
    let [_, v1] = clients(addr);
    let started = start(v1.as_ref(), NUMBER).await;
    clock.advance(Duration::from_secs(60));
    assert_eq!(v1.next_channel(&started.request_id).await, Ok(()));
    assert_eq!(
        v1.cancel(&started.request_id).await,
        Err(ControlFailure::NothingLeft),
        "too late to cancel"
    );
    let code = code_for(&emulator, NUMBER);
    assert_eq!(v1.check(&started.request_id, &code).await, Ok(()));
}
