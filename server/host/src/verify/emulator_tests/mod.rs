//! The emulator driven over HTTP by the real Vonage clients, as the app uses it: codes
//! checked and the outbox here, the control calls in [`controls`].

use crate::emulator::{Emulator, EmulatorConfig, OutboxMessage};
use crate::verify::{VonageLegacyClient, VonageSettings, VonageV2Client};
use app_core::auth::server::verify_port::{
    CheckFailure, RequestId, StartVerification, Started, VerifyProvider,
};
use app_core::clock::{Clock, ManualClock, SystemClock};
use app_core::domain::{PhoneNumber, Pin};
use secrecy::SecretString;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

mod controls;

const NUMBER: &str = "+447911123456";

/// An emulator served on an ephemeral loopback port.
async fn serve(clock: Arc<dyn Clock>) -> (Emulator, SocketAddr) {
    let emulator = Emulator::new(EmulatorConfig::default(), clock);
    let addr = emulator
        .serve(([127, 0, 0, 1], 0).into(), |dev| dev)
        .await
        .expect("bind the emulator");
    (emulator, addr)
}

fn settings(addr: SocketAddr) -> VonageSettings {
    // The emulator's default credentials.
    let mut settings = VonageSettings::new("emulator", SecretString::from("emulator"))
        .with_base_url(format!("http://{addr}").parse().expect("emulator URL"));
    settings.timeout = Duration::from_secs(5);
    settings
}

/// Both clients, pointed at the same emulator.
fn clients(addr: SocketAddr) -> [Box<dyn VerifyProvider>; 2] {
    [
        Box::new(VonageV2Client::new(settings(addr)).expect("v2 client")),
        Box::new(VonageLegacyClient::new(settings(addr)).expect("v1 client")),
    ]
}

fn number(e164: &str) -> PhoneNumber {
    PhoneNumber::parse(e164, "GB".parse().expect("GB")).expect("valid number")
}

fn request(e164: &str) -> StartVerification {
    StartVerification {
        number: number(e164),
        brand: "Passwordless".to_owned(),
        locale: Some("en-gb".to_owned()),
        fallback_locales: Vec::new(),
        channel: app_core::auth::Channel::Sms,
        silent_return: None,
    }
}

/// The newest code sent to `e164`.
fn code_for(emulator: &Emulator, e164: &str) -> Pin {
    let message = emulator
        .messages()
        .into_iter()
        .find(|m| m.to == e164)
        .expect("a message to the number");
    Pin::parse(&message.code).expect("a well-formed code")
}

fn wrong(code: &Pin) -> Pin {
    let digits = if code.expose() == "000000" {
        "111111"
    } else {
        "000000"
    };
    Pin::parse(digits).expect("valid")
}

async fn start(provider: &dyn VerifyProvider, e164: &str) -> Started {
    provider.start(&request(e164)).await.expect("started")
}

#[tokio::test]
async fn third_wrong_code_terminates_the_request() {
    let (emulator, addr) = serve(Arc::new(SystemClock)).await;
    for provider in clients(addr) {
        let started = start(provider.as_ref(), NUMBER).await;
        let code = code_for(&emulator, NUMBER);
        let id = &started.request_id;
        assert_eq!(
            provider.check(id, &wrong(&code)).await,
            Err(CheckFailure::WrongCode)
        );
        assert_eq!(
            provider.check(id, &wrong(&code)).await,
            Err(CheckFailure::WrongCode)
        );
        let third = provider.check(id, &wrong(&code)).await;
        assert_eq!(
            third,
            Err(CheckFailure::TooManyAttempts),
            "{}",
            provider.name()
        );
        assert_eq!(provider.check(id, &code).await, Err(CheckFailure::NotFound));
        let again = start(provider.as_ref(), NUMBER).await;
        assert!(!again.resumed, "the number is free again");
        provider
            .check(&again.request_id, &code_for(&emulator, NUMBER))
            .await
            .expect("the new request verifies");
    }
}

#[tokio::test]
async fn second_start_resumes_the_live_request() {
    let (emulator, addr) = serve(Arc::new(SystemClock)).await;
    for provider in clients(addr) {
        let (first, second) = (request(NUMBER), request(NUMBER));
        let (a, b) = tokio::join!(provider.start(&first), provider.start(&second));
        let (a, b) = (a.expect("started"), b.expect("started"));
        assert_eq!(a.request_id, b.request_id, "{}", provider.name());
        assert_eq!(
            [a.resumed, b.resumed].iter().filter(|r| **r).count(),
            1,
            "exactly one start is a resume"
        );
        let third = start(provider.as_ref(), NUMBER).await;
        assert!(third.resumed);
        assert_eq!(third.request_id, a.request_id);
        let code = code_for(&emulator, NUMBER);
        assert_eq!(provider.check(&a.request_id, &code).await, Ok(()));
    }
    assert_eq!(emulator.messages().len(), 2, "one message per real start");
}

#[tokio::test]
async fn unknown_request_is_not_found() {
    let (_emulator, addr) = serve(Arc::new(SystemClock)).await;
    let code = Pin::parse("123456").expect("valid");
    for (provider, id) in clients(addr).iter().zip([
        "c11236f4-00bf-4b89-84ba-88b25df97315",
        "abcdef0123456789abcdef0123456789",
    ]) {
        let result = provider.check(&RequestId::new(id), &code).await;
        assert_eq!(result, Err(CheckFailure::NotFound), "{}", provider.name());
    }
}

#[tokio::test]
async fn outbox_json_lists_messages_newest_first() {
    let (emulator, addr) = serve(Arc::new(SystemClock)).await;
    let [v2, v1] = clients(addr);
    start(v2.as_ref(), NUMBER).await;
    start(v1.as_ref(), "+12015550123").await;

    let messages: Vec<OutboxMessage> = reqwest::get(format!("http://{addr}/dev/messages"))
        .await
        .expect("GET /dev/messages")
        .json()
        .await
        .expect("a JSON array of messages");

    assert_eq!(messages, emulator.messages());
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].to, "+12015550123");
    assert_eq!(messages[1].to, NUMBER);
    // Both clients ask for a 300 s login: v1 `pin_expiry`, v2 two 150 s channels.
    for (message, minutes) in messages.iter().zip([5, 5]) {
        assert_eq!(message.channel, "sms");
        assert_eq!(message.code.len(), 6);
        assert_eq!(
            message.text,
            format!(
                "Your Passwordless code is {}. It expires in {minutes} minutes.",
                message.code
            )
        );
        assert!(message.sent_at.ends_with('Z'), "{}", message.sent_at);
    }
}

#[tokio::test]
async fn outbox_page_shows_the_code() {
    let (emulator, addr) = serve(Arc::new(SystemClock)).await;
    let [v2, _] = clients(addr);
    start(v2.as_ref(), NUMBER).await;
    let response = reqwest::get(format!("http://{addr}/dev/outbox"))
        .await
        .expect("GET /dev/outbox");
    let content_type = response.headers().get("content-type").cloned();
    let page = response.text().await.expect("HTML");
    assert_eq!(
        content_type.as_ref().and_then(|v| v.to_str().ok()),
        Some("text/html; charset=utf-8")
    );
    assert!(page.contains(&code_for(&emulator, NUMBER).expose().to_owned()));
    assert!(page.contains("+447911123456"));
}
