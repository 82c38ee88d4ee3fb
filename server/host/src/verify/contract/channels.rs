//! The request bodies of each channel, per vendor API that offers it: Vonage v2 `workflow`
//! steps (`whatsapp` with its sender number, `rcs` with its agent, then the next channel) and
//! Twilio's `Channel` (`whatsapp` first, `call` on request). Vonage v1 sends SMS and voice
//! only (configuration refuses other channels for it).

use super::journeys::request;
use super::CLIENT_TIMEOUT;
use crate::verify::test_support::settings;
use crate::verify::{TwilioClient, TwilioSettings, VonageDelivery, VonageV2Client};
use app_core::auth::server::verify_port::{Channel, StartVerification, VerifyProvider};
use secrecy::SecretString;
use serde_json::{json, Value};
use std::time::Duration;
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "c11236f4-00bf-4b89-84ba-88b25df97315";
const SERVICE: &str = "VAcontract000000000000000000000000";
const SID: &str = "VE0123456789abcdef0123456789abcdef";

fn on(channel: Channel) -> StartVerification {
    StartVerification {
        channel,
        ..request()
    }
}

/// The `workflow` a Vonage v2 client with `delivery` sends for a first code on `first`.
async fn v2_workflow(delivery: VonageDelivery, first: Channel) -> Value {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/verify"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"request_id": ID})))
        .mount(&server)
        .await;
    let client =
        VonageV2Client::new(settings(&server.uri(), CLIENT_TIMEOUT).with_delivery(delivery))
            .expect("v2 client");
    client.start(&on(first)).await.expect("started");
    let requests = server.received_requests().await.unwrap_or_default();
    let body: Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
    body["workflow"].clone()
}

#[tokio::test]
async fn vonage_v2_sends_whatsapp_from_the_business_number_or_sms_as_chosen() {
    let delivery = VonageDelivery {
        first: Channel::WhatsApp,
        alternative: Some(Channel::Sms),
        whatsapp_from: Some("447700900000".into()),
        ..VonageDelivery::default()
    };
    let to = request().number.digits().to_owned();
    assert_eq!(
        v2_workflow(delivery.clone(), Channel::WhatsApp).await,
        json!([
            {"channel": "whatsapp", "to": to, "from": "447700900000"},
            {"channel": "voice", "to": to},
        ])
    );
    assert_eq!(
        v2_workflow(delivery, Channel::Sms).await,
        json!([{"channel": "sms", "to": to}, {"channel": "voice", "to": to}])
    );
}

#[tokio::test]
async fn vonage_v2_sends_rcs_then_a_text_with_or_without_an_agent() {
    let to = request().number.digits().to_owned();
    let delivery = VonageDelivery {
        first: Channel::Rcs,
        next: Some(Channel::Sms),
        ..VonageDelivery::default()
    };
    assert_eq!(
        v2_workflow(delivery.clone(), Channel::Rcs).await,
        json!([{"channel": "rcs", "to": to}, {"channel": "sms", "to": to}])
    );
    let with_agent = VonageDelivery {
        rcs_from: Some("acme-agent".into()),
        ..delivery
    };
    assert_eq!(
        v2_workflow(with_agent, Channel::Rcs).await,
        json!([
            {"channel": "rcs", "to": to, "from": "acme-agent"},
            {"channel": "sms", "to": to},
        ])
    );
}

#[tokio::test]
async fn twilio_sends_whatsapp_first_and_calls_on_request() {
    let server = MockServer::start().await;
    let resource = json!({"sid": SID, "status": "pending", "valid": false, "channel": "whatsapp"});
    Mock::given(method("POST"))
        .and(path(format!("/v2/Services/{SERVICE}/Verifications")))
        .respond_with(ResponseTemplate::new(201).set_body_json(resource))
        .mount(&server)
        .await;
    let base = Url::parse(&server.uri()).expect("fake URL");
    let settings = TwilioSettings::new(base, "ACcontract", SecretString::from("t"), SERVICE)
        .with_timeouts(CLIENT_TIMEOUT, Duration::from_secs(2))
        .with_channels(Channel::WhatsApp, Some(Channel::Sms), Some(Channel::Voice));
    let client = TwilioClient::new(settings).expect("Twilio client");
    let plan = client.delivery_plan();
    assert_eq!(plan.first_choices(), vec![Channel::WhatsApp, Channel::Sms]);
    assert_eq!(
        (plan.next, plan.auto_next_after),
        (Some(Channel::Voice), None)
    );
    let started = client.start(&on(Channel::WhatsApp)).await.expect("started");
    client
        .next_channel(&started.request_id)
        .await
        .expect("call asked for");
    let channels: Vec<String> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|r| {
            url::form_urlencoded::parse(&r.body)
                .find(|(key, _)| key == "Channel")
                .map(|(_, value)| value.into_owned())
        })
        .collect();
    assert_eq!(channels, ["whatsapp", "call"]);
}
