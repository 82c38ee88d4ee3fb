//! The `Locale` Twilio is sent, and the one retry without it when Twilio refuses it.

use super::*;
use wiremock::matchers::body_string_contains;

fn request_in(choices: &[&str]) -> StartVerification {
    let mut choices = choices.iter().map(|c| (*c).to_owned());
    StartVerification {
        number: number(),
        brand: "Passwordless".to_owned(),
        locale: choices.next(),
        fallback_locales: choices.collect(),
        channel: app_core::auth::Channel::Sms,
        silent_return: None,
    }
}

fn locale_of(fields: &[(String, String)]) -> Option<&str> {
    fields
        .iter()
        .find(|(k, _)| k == "Locale")
        .map(|(_, v)| v.as_str())
}

/// Any start with a `Locale` answers 60200 naming it; one without is accepted.
async fn refusing_locales() -> (MockServer, TwilioClient) {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .and(path(verifications_path()))
        .and(body_string_contains("Locale="))
        .respond_with(error(400, 60200, "Invalid parameter: Locale"))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(verifications_path()))
        .respond_with(ResponseTemplate::new(201).set_body_json(verification(SID, "sms", "pending")))
        .mount(&server)
        .await;
    (server, client)
}

#[tokio::test]
async fn start_sends_the_first_choice_in_twilio_spelling() {
    for (choices, sent) in [
        (&["es-es", "en-gb"][..], "es"),
        (&["ar-xa", "en-gb"][..], "ar"),
        (&["pt-br"][..], "pt-BR"),
        (&["fr-fr"][..], "fr"),
        (&["de-de"][..], "de"),
    ] {
        let (server, client) = fake().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(201).set_body_json(verification(SID, "sms", "pending")),
            )
            .mount(&server)
            .await;
        let started = client.start(&request_in(choices)).await.expect("started");
        assert_eq!(
            locale_of(&form(&server, 0).await),
            Some(sent),
            "{choices:?}"
        );
        assert_eq!(
            started.request_id.expose(),
            format!("{SID}|{TO}|{sent}"),
            "{choices:?}"
        );
    }
}

#[tokio::test]
async fn a_refused_locale_is_dropped_once_and_the_call_does_not_send_it() {
    let (server, client) = refusing_locales().await;

    let started = client
        .start(&request_in(&["ar-xa", "en-gb"]))
        .await
        .expect("started without the locale");

    assert!(!started.resumed);
    assert_eq!(started.request_id.expose(), format!("{SID}|{TO}"));
    assert_eq!(locale_of(&form(&server, 0).await), Some("ar"));
    assert_eq!(locale_of(&form(&server, 1).await), None);
    // The call that follows asks in Twilio's default language too.
    Mock::given(method("POST"))
        .and(path(verifications_path()))
        .and(body_string_contains("Channel=call"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(verification(SID, "call", "pending")),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    assert_eq!(client.next_channel(&started.request_id).await, Ok(()));
    let call = form(&server, 2).await;
    assert!(
        call.contains(&("Channel".to_owned(), "call".to_owned())),
        "{call:?}"
    );
    assert_eq!(locale_of(&call), None, "{call:?}");
}

#[tokio::test]
async fn a_locale_refusal_without_a_locale_sent_is_not_retried() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .respond_with(error(400, 60200, "Invalid parameter: Locale"))
        .mount(&server)
        .await;

    let refused = client.start(&request_in(&["es-es"])).await;

    match refused {
        Err(StartFailure::OperatorFault(OperatorFault::InvalidRequest, detail)) => {
            assert!(clean(&detail).contains("Locale"), "{detail}");
        }
        other => panic!("expected an operator fault, got {other:?}"),
    }
    // The start with `Locale=es`, then one without; no third try.
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2);
    assert_eq!(locale_of(&form(&server, 1).await), None);
}

#[tokio::test]
async fn other_refusals_are_not_retried() {
    let (server, client) = fake().await;
    Mock::given(method("POST"))
        .respond_with(error(400, 60200, "Invalid parameter: To"))
        .mount(&server)
        .await;
    let refused = client.start(&request_in(&["es-es"])).await;
    assert_eq!(refused, Err(StartFailure::InvalidNumber));
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
}
