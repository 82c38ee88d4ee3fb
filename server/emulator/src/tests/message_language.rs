//! Messages in the request's language over raw HTTP: v2 `locale`, v1 `lg` and Twilio `Locale`
//! pick the text's language and show in the outbox's `locale`; WebOTP stays last.

use super::support::*;
use crate::EmulatorConfig;
use app_clock::SystemClock;
use reqwest::{Client, StatusCode};
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn v2_locale_writes_the_sms_and_the_call_in_that_language() {
    let (_emulator, base) = serve().await;
    let mut body = sms_then_voice(TO);
    body["locale"] = json!("es-es");
    let id = v2_start(&base, &body).await;
    let (status, ..) = next_workflow(&base, &id, true).await;
    assert_eq!(status, StatusCode::OK);

    let messages = outbox(&base).await;
    let (voice, sms) = (&messages[0], &messages[1]);
    assert_eq!(sms.locale.as_deref(), Some("es-es"));
    assert_eq!(
        sms.text,
        format!(
            "Tu código de Passwordless es {}. Caduca en 10 minutos.",
            sms.code
        )
    );
    assert_eq!(voice.locale.as_deref(), Some("es-es"));
    assert!(
        voice
            .text
            .starts_with("Le llamamos de Passwordless. Su código es "),
        "{}",
        voice.text
    );
}

#[tokio::test]
async fn v1_lg_writes_arabic_and_webotp_stays_the_last_line() {
    let config = EmulatorConfig {
        webotp_host: Some("login.example.com".to_owned()),
        ..EmulatorConfig::default()
    };
    let (_emulator, base) = serve_config(config, Arc::new(SystemClock)).await;
    v1_start_with(&base, &[("lg", "ar-xa"), ("workflow_id", "6")]).await;

    let sms = &outbox(&base).await[0];
    assert_eq!(sms.locale.as_deref(), Some("ar-xa"));
    assert!(sms.text.starts_with("رمز B الخاص بك هو "), "{}", sms.text);
    assert!(
        sms.text
            .ends_with(&format!("\n\n@login.example.com #{}", sms.code)),
        "{}",
        sms.text
    );
}

#[tokio::test]
async fn no_locale_or_an_unknown_one_is_english_and_null_in_the_outbox() {
    let (_emulator, base) = serve().await;
    v2_start(&base, &workflow_body(TO)).await;
    let mut italian = workflow_body("15555550100");
    italian["locale"] = json!("it-it");
    v2_start(&base, &italian).await;

    let messages = outbox(&base).await;
    assert_eq!(messages[0].locale.as_deref(), Some("it-it"));
    assert!(messages[0].text.starts_with("Your Passwordless code is "));
    assert_eq!(messages[1].locale, None);
    assert!(messages[1].text.starts_with("Your Passwordless code is "));
    let raw: serde_json::Value = reqwest::get(format!("{base}/dev/messages"))
        .await
        .expect("GET /dev/messages")
        .json()
        .await
        .expect("JSON");
    assert_eq!(raw[0]["locale"], "it-it");
    assert!(raw[1]["locale"].is_null(), "{raw}");
}

#[tokio::test]
async fn twilio_locale_writes_each_delivery_in_its_language() {
    let (_emulator, base) = serve().await;
    let url = format!("{base}/v2/Services/VA0123456789abcdef0123456789abcdef/Verifications");
    let to = format!("+{TO}");
    for (channel, locale) in [("sms", "pt-BR"), ("call", "de")] {
        let form = [
            ("To", to.as_str()),
            ("Channel", channel),
            ("Locale", locale),
        ];
        let response = Client::new()
            .post(&url)
            .basic_auth("ACemulator", Some("token"))
            .form(&form)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::CREATED);
    }

    let messages = outbox(&base).await;
    let (call, sms) = (&messages[0], &messages[1]);
    assert_eq!(sms.locale.as_deref(), Some("pt-BR"));
    assert_eq!(
        sms.text,
        format!("Seu código de verificação Verify emulator é: {}", sms.code)
    );
    assert_eq!(call.locale.as_deref(), Some("de"));
    assert!(
        call.text
            .starts_with("Ihr Verify emulator Verifizierungscode lautet "),
        "{}",
        call.text
    );
}
