//! The delivery channels as a deployment sets them: WhatsApp, RCS, Twilio's channels and
//! silent authentication's prerequisites, each refusal naming its variable.

use super::config;
use app_core::auth::Channel;

const VONAGE: [(&str, &str); 2] = [("VONAGE_API_KEY", "key"), ("VONAGE_API_SECRET", "secret")];

#[test]
fn twilio_channels_default_to_a_text_then_a_call_and_may_offer_whatsapp() {
    let c = config(&[]).expect("defaults");
    assert_eq!(
        (c.twilio_channels.first, c.twilio_channels.next),
        (Channel::Sms, Some(Channel::Voice))
    );
    let c = config(&[("TWILIO_CHANNELS", "whatsapp,sms,call")]).expect("valid");
    assert_eq!(c.twilio_channels.alternative, Some(Channel::Sms));
    let bad = config(&[("TWILIO_CHANNELS", "rcs")]).expect_err("Twilio has no RCS");
    assert_eq!(bad.variable, "TWILIO_CHANNELS");
}

#[test]
fn silent_authentication_with_vonage_needs_a_public_url_and_an_application() {
    let silent = ("VONAGE_WORKFLOW", "silent_auth,sms,voice");
    let mut vars = VONAGE.to_vec();
    vars.push(silent);
    assert_eq!(config(&vars).expect_err("no URL").variable, "PUBLIC_URL");
    vars.push(("PUBLIC_URL", "https://login.example.com"));
    assert_eq!(
        config(&vars).expect_err("no application").variable,
        "VONAGE_APPLICATION_ID"
    );
    let emulator = config(&[silent]).expect("the emulator needs neither");
    assert!(emulator.delivery.silent);
}
