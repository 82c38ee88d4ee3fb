//! Which numbers the channels that depend on the phone can reach: RCS (the phone must
//! support it), WhatsApp (the number must have an account) and silent authentication (the
//! mobile network must confirm the number). SMS and voice reach every number.
//!
//! Contract:
//! - by default every channel reaches every number;
//! - [`EmulatorConfig::no_rcs`](crate::EmulatorConfig::no_rcs) (host: `EMULATOR_NO_RCS`),
//!   [`no_whatsapp`](crate::EmulatorConfig::no_whatsapp) (`EMULATOR_NO_WHATSAPP`) and
//!   [`silent_auth_fails`](crate::EmulatorConfig::silent_auth_fails)
//!   (`EMULATOR_SILENT_AUTH_FAIL`) list numbers (E.164, `+` optional) a channel does not
//!   reach from the start;
//! - `POST /dev/reachability` changes it at run time with a JSON body
//!   `{"number"?: "447700900001", "rcs"?: bool, "whatsapp"?: bool, "silent_auth"?: bool}`:
//!   each flag given says whether that channel reaches `number` (with or without `+`), or,
//!   without `number`, every number that has no flag of its own for that channel; flags left
//!   out keep their value. It answers 200 with the whole state (as `GET`); an unreadable body,
//!   a bad number or no flag at all answers 422 `application/problem+json` and changes
//!   nothing. At most [`MAX_NUMBERS`] numbers are kept;
//! - `GET /dev/reachability` answers 200 `{"default": {"rcs": true, "whatsapp": true,
//!   "silent_auth": true}, "numbers": {"+447700900001": {"rcs": false}}}`;
//! - `DELETE /dev/reachability` goes back to the configured lists and answers like `GET`;
//! - a change applies to steps made after it, never to deliveries already made.
//!
//! What an unreachable channel does: an RCS or WhatsApp step fails as soon as it is made,
//! nothing is delivered on it and the next step is made at the same moment (outbox cause
//! `fallback`), or the request ends when it was the last step. A silent-authentication step
//! fails when the device opens its `check_url` (see [`crate::v2_routes`]).

mod routes;

use crate::timeline::Channel;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub(crate) use routes::routes;

/// Numbers with flags of their own kept at most (configured ones included).
pub const MAX_NUMBERS: usize = 10_000;

/// A change of reachability, the body of `POST /dev/reachability`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReachabilitySetting {
    /// The number the flags are for (E.164, `+` optional); `None`: the default of every
    /// number without a flag of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Whether an RCS step reaches the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rcs: Option<bool>,
    /// Whether a WhatsApp step reaches the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whatsapp: Option<bool>,
    /// Whether silent authentication succeeds for the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silent_auth: Option<bool>,
}

/// Some or all of the three flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
struct Flags {
    #[serde(skip_serializing_if = "Option::is_none")]
    rcs: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    whatsapp: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    silent_auth: Option<bool>,
}

impl Flags {
    fn get(self, channel: Channel) -> Option<bool> {
        match channel {
            Channel::Rcs => self.rcs,
            Channel::WhatsApp => self.whatsapp,
            Channel::SilentAuth => self.silent_auth,
            Channel::Sms | Channel::Voice => Some(true),
        }
    }

    fn merge(&mut self, setting: &ReachabilitySetting) {
        self.rcs = setting.rcs.or(self.rcs);
        self.whatsapp = setting.whatsapp.or(self.whatsapp);
        self.silent_auth = setting.silent_auth.or(self.silent_auth);
    }
}

/// The reachability in force and the configured one it resets to.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reachability {
    configured: BTreeMap<String, Flags>,
    numbers: BTreeMap<String, Flags>,
    default: Flags,
}

impl Reachability {
    /// Every channel reaches every number except the listed ones (E.164, `+` optional;
    /// entries that are not numbers are ignored).
    pub(crate) fn configured(
        no_rcs: &[String],
        no_whatsapp: &[String],
        no_silent: &[String],
    ) -> Self {
        let mut numbers: BTreeMap<String, Flags> = BTreeMap::new();
        let lists = [
            (no_rcs, Channel::Rcs),
            (no_whatsapp, Channel::WhatsApp),
            (no_silent, Channel::SilentAuth),
        ];
        for (list, channel) in lists {
            for number in list.iter().filter_map(|n| normalise(n)) {
                let flags = numbers.entry(number).or_default();
                match channel {
                    Channel::Rcs => flags.rcs = Some(false),
                    Channel::WhatsApp => flags.whatsapp = Some(false),
                    _ => flags.silent_auth = Some(false),
                }
            }
        }
        Self {
            configured: numbers.clone(),
            numbers,
            default: Flags::default(),
        }
    }

    /// Whether `channel` reaches `number` (E.164 with `+`).
    pub(crate) fn reaches(&self, number: &str, channel: Channel) -> bool {
        let own = self.numbers.get(number).and_then(|f| f.get(channel));
        own.or_else(|| self.default.get(channel)).unwrap_or(true)
    }

    /// Applies a change; `Err` says what is wrong with it and nothing changes.
    pub(crate) fn apply(&mut self, setting: &ReachabilitySetting) -> Result<(), String> {
        if setting.rcs.is_none() && setting.whatsapp.is_none() && setting.silent_auth.is_none() {
            return Err("give at least one of rcs, whatsapp, silent_auth (true or false)".into());
        }
        match setting.number.as_deref() {
            None => self.default.merge(setting),
            Some(raw) => {
                let number = normalise(raw).ok_or_else(|| {
                    format!("`{raw}` is not an E.164 number such as 447700900001")
                })?;
                if !self.numbers.contains_key(&number) && self.numbers.len() >= MAX_NUMBERS {
                    return Err(format!(
                        "at most {MAX_NUMBERS} numbers are kept; DELETE to reset"
                    ));
                }
                self.numbers.entry(number).or_default().merge(setting);
            }
        }
        Ok(())
    }

    /// Back to the configured lists.
    pub(crate) fn reset(&mut self) {
        self.numbers = self.configured.clone();
        self.default = Flags::default();
    }

    /// The state as `GET /dev/reachability` shows it.
    pub(crate) fn view(&self) -> Value {
        let default = Flags {
            rcs: Some(self.default.rcs.unwrap_or(true)),
            whatsapp: Some(self.default.whatsapp.unwrap_or(true)),
            silent_auth: Some(self.default.silent_auth.unwrap_or(true)),
        };
        json!({ "default": default, "numbers": self.numbers })
    }
}

/// `447700900001` or `+447700900001` as `+447700900001`; `None` if it is not E.164.
fn normalise(raw: &str) -> Option<String> {
    let digits = raw.trim();
    let digits = digits.strip_prefix('+').unwrap_or(digits);
    crate::valid_number(digits).then(|| format!("+{digits}"))
}

#[cfg(test)]
mod tests;
