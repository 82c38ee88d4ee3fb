//! The person's choice of first channel (text message or WhatsApp) where the deployment sends
//! both: read from the form, remembered in this browser in the `channel` cookie, offered
//! again on the phone step.

use super::AuthContext;
use crate::auth::{AuthError, Channel, ChannelChoice};
use http::{header, HeaderValue};

/// The cookie remembering this browser's choice.
pub const CHANNEL_COOKIE: &str = "channel";
/// How long the choice is remembered: a year.
const CHOICE_MAX_AGE_SECS: u64 = 365 * 24 * 3600;

/// The channel a start form asked for: `None` when the field was absent or empty (the
/// remembered choice applies); a name other than `sms` / `whatsapp` / `rcs` / `voice` is
/// [`AuthError::BadRequest`].
pub fn requested_channel(raw: Option<&str>) -> Result<Option<Channel>, AuthError> {
    match raw.map(str::trim).filter(|raw| !raw.is_empty()) {
        None => Ok(None),
        Some(raw) => Channel::parse(raw).map(Some).ok_or(AuthError::BadRequest),
    }
}

/// The choice remembered in this request's `channel` cookie, if any and readable.
pub fn remembered_channel() -> Option<Channel> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == CHANNEL_COOKIE).then(|| Channel::parse(value.trim_matches('"')))?
        })
}

/// What the phone step offers: `None` when the deployment sends its first code one way
/// only; else its first channels with `remembered` preselected when it is one of them.
pub fn channel_choice(ctx: &AuthContext, remembered: Option<Channel>) -> Option<ChannelChoice> {
    let plan = ctx.provider.delivery_plan();
    plan.alternative?;
    Some(ChannelChoice {
        options: plan.first_choices(),
        chosen: plan.first_for(remembered),
    })
}

/// Remembers `channel` in this browser (`HttpOnly`, `SameSite=Lax`, a year, `Secure` where
/// the site's cookies are), when the deployment offers a choice.
pub fn remember_channel(ctx: &AuthContext, channel: Channel) {
    if ctx.provider.delivery_plan().alternative.is_none() {
        return;
    }
    let secure = if ctx.flash_cookies.secure() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{CHANNEL_COOKIE}={}; Path=/; Max-Age={CHOICE_MAX_AGE_SECS}; HttpOnly; SameSite=Lax{secure}",
        channel.as_str()
    );
    if let (Some(options), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        options.append_header(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_names_a_known_channel_or_nothing() {
        assert_eq!(requested_channel(None), Ok(None));
        assert_eq!(requested_channel(Some(" ")), Ok(None));
        assert_eq!(
            requested_channel(Some("whatsapp")),
            Ok(Some(Channel::WhatsApp))
        );
        assert_eq!(requested_channel(Some("sms")), Ok(Some(Channel::Sms)));
        assert_eq!(
            requested_channel(Some("carrier-pigeon")),
            Err(AuthError::BadRequest)
        );
    }
}
