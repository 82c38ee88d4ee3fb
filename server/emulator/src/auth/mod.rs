//! Who may call the Vonage APIs: the configured key and secret (v2: HTTP Basic; v1: the
//! `api_key` / `api_secret` parameters or HTTP Basic) and, on v2, a Vonage application's JWT
//! (see [`jwt`]).

pub(crate) mod jwt;

use crate::problem::WRONG_CREDENTIALS;
use crate::state::EmulatorState;
use axum::http::{header, HeaderMap};
use base64::Engine as _;

/// What a request's `Authorization` header holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Presented {
    /// No `Authorization` header.
    Nothing,
    /// `Basic base64(key:secret)`.
    Basic { key: String, secret: String },
    /// `Bearer <token>`.
    Bearer(String),
    /// Another scheme, or a Basic value that is not base64 of `key:secret`.
    Unreadable,
}

/// Reads the `Authorization` header (schemes are case-insensitive).
pub(crate) fn presented(headers: &HeaderMap) -> Presented {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Presented::Nothing;
    };
    let Some((scheme, credentials)) = value.to_str().ok().and_then(|v| v.trim().split_once(' '))
    else {
        return Presented::Unreadable;
    };
    let credentials = credentials.trim();
    if scheme.eq_ignore_ascii_case("bearer") && !credentials.is_empty() {
        return Presented::Bearer(credentials.to_owned());
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return Presented::Unreadable;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(credentials)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match decoded.as_deref().and_then(|d| d.split_once(':')) {
        Some((key, secret)) => Presented::Basic {
            key: key.to_owned(),
            secret: secret.to_owned(),
        },
        None => Presented::Unreadable,
    }
}

/// Verify v2's rule: HTTP Basic with the configured key and secret, or a Bearer JWT of the
/// configured application (checked against the injected clock, which `/dev/clock` does not
/// move: tokens carry the client's wall-clock time). `Err` is the 401's `detail`.
pub(crate) fn v2(state: &EmulatorState, headers: &HeaderMap) -> Result<(), String> {
    match presented(headers) {
        Presented::Basic { key, secret } if state.accepts(&key, &secret) => Ok(()),
        Presented::Bearer(token) => match &state.config().application {
            Some(application) => application.check(&token, state.wall_clock()),
            None => Err("The emulator has no Vonage application configured \
                         (EMULATOR_APPLICATION_ID), so it accepts no JWT; use Basic \
                         authentication with its API key and secret."
                .to_owned()),
        },
        Presented::Nothing | Presented::Basic { .. } | Presented::Unreadable => {
            Err(WRONG_CREDENTIALS.to_owned())
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
