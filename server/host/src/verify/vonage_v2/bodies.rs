//! The JSON bodies of Vonage Verify v2: the start (with its workflow) and the code check,
//! and what the start and check answer.

use super::{BRAND_MAX_CHARS, CODE_LENGTH};
use crate::verify::{truncate_chars, VonageDelivery};
use app_core::auth::server::verify_port::StartVerification;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
pub(super) struct StartBody<'a> {
    brand: String,
    code_length: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<&'a str>,
    channel_timeout: u64,
    workflow: Vec<Step<'a>>,
}

#[derive(Serialize)]
struct Step<'a> {
    channel: &'static str,
    to: &'a str,
    /// The WhatsApp sender number or RCS agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    /// Where silent authentication sends the browser back.
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_url: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct CheckBody<'a> {
    pub(super) code: &'a str,
}

#[derive(Deserialize)]
pub(super) struct Accepted {
    pub(super) request_id: String,
    /// Silent authentication's address (only when the workflow starts with it).
    #[serde(default)]
    pub(super) check_url: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct Checked {
    pub(super) status: String,
}

impl<'a> StartBody<'a> {
    /// The start for `request` with `delivery`'s sequence: silent authentication first when
    /// it is on (sent back to `request.silent_return`), then the chosen first channel (its
    /// WhatsApp sender or RCS agent as `from`) and the next one.
    pub(super) fn new(
        request: &'a StartVerification,
        delivery: &'a VonageDelivery,
        locale: Option<&'a str>,
    ) -> Self {
        let to = request.number.digits();
        let silent = delivery.silent.then_some(Step {
            channel: "silent_auth",
            to,
            from: None,
            redirect_url: request.silent_return.as_deref(),
        });
        let codes = delivery
            .v2_workflow(request.channel)
            .into_iter()
            .map(|(channel, from)| Step {
                channel: channel.as_str(),
                to,
                from,
                redirect_url: None,
            });
        Self {
            brand: truncate_chars(&request.brand, BRAND_MAX_CHARS),
            code_length: CODE_LENGTH,
            locale,
            channel_timeout: delivery.v2_channel_timeout(),
            workflow: silent.into_iter().chain(codes).collect(),
        }
    }
}
