//! `VONAGE_APPLICATION_ID` and `VONAGE_PRIVATE_KEY`: the Vonage application the app's Verify v2
//! client authenticates as (RS256 JWTs) instead of the API key and secret.

use crate::config::ConfigError;
use crate::emulator::ApplicationAuth;
use crate::verify::VonageApplication;
use secrecy::{ExposeSecret, SecretSlice};

const ID: &str = "VONAGE_APPLICATION_ID";
const KEY: &str = "VONAGE_PRIVATE_KEY";

fn fail(variable: &'static str, problem: String) -> ConfigError {
    ConfigError { variable, problem }
}

/// Reads the application for Vonage Verify v2: none when neither variable is set; both or
/// neither must be. `VONAGE_APPLICATION_ID` is a UUID; `VONAGE_PRIVATE_KEY` the path of the
/// application's PEM private key, or the PEM text itself when it starts with `-----BEGIN`
/// (line breaks may be written `\n`). The key must be an RSA private key that signs.
pub(super) fn parse_vonage_application(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<VonageApplication>, ConfigError> {
    let (application_id, key) = match (get(ID), get(KEY)) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(fail(
                KEY,
                format!(
                "required with {ID}: the application's private key (a PEM file's path or its text)"
            ),
            ))
        }
        (None, Some(_)) => {
            return Err(fail(
                ID,
                format!("required with {KEY}: the id of the Vonage application the key belongs to"),
            ))
        }
        (Some(id), Some(key)) => (id, key),
    };
    if uuid::Uuid::parse_str(&application_id).is_err() {
        return Err(fail(
            ID,
            format!(
                "`{application_id}` is not a UUID (the application's id in Vonage's dashboard, \
                 like `aaaaaaaa-bbbb-cccc-dddd-0123456789ab`)"
            ),
        ));
    }
    let pem = read_pem(key)?;
    VonageApplication::from_pem(application_id, pem.expose_secret())
        .map(Some)
        .map_err(|problem| fail(KEY, problem))
}

/// The PEM text in `value`, or in the file it names.
fn read_pem(value: String) -> Result<SecretSlice<u8>, ConfigError> {
    if value.starts_with("-----BEGIN") {
        // One-line environments (a container's `-e`, a CI secret) often carry `\n` escapes.
        let text = if value.contains('\n') {
            value
        } else {
            value.replace("\\n", "\n")
        };
        return Ok(SecretSlice::from(text.into_bytes()));
    }
    std::fs::read(&value).map(SecretSlice::from).map_err(|e| {
        fail(
            KEY,
            format!(
                "cannot read `{value}`: {e}; give the path of the application's private key \
                 file (the `private.key` Vonage's dashboard downloads) or its PEM text"
            ),
        )
    })
}

/// For the in-process emulator spoken to with Verify v2: the application, which the
/// emulator must be configured to accept (`EMULATOR_APPLICATION_ID` with the same id), or
/// every call would answer 401.
pub(super) fn parse_for_emulator(
    get: &impl Fn(&str) -> Option<String>,
    emulator: Option<&ApplicationAuth>,
) -> Result<Option<VonageApplication>, ConfigError> {
    let Some(application) = parse_vonage_application(get)? else {
        return Ok(None);
    };
    match emulator {
        None => Err(fail(
            ID,
            "the emulator accepts JWTs only from the application it is given: set \
             EMULATOR_APPLICATION_ID to the same id (and EMULATOR_PUBLIC_KEY to the key's \
             public half, `openssl pkey -in private.key -pubout`)"
                .to_owned(),
        )),
        Some(accepted) if accepted.application_id != application.application_id() => Err(fail(
            ID,
            format!(
                "`{}` is not EMULATOR_APPLICATION_ID (`{}`): the emulator would refuse its JWTs",
                application.application_id(),
                accepted.application_id
            ),
        )),
        Some(_) => Ok(Some(application)),
    }
}

/// For a client without application authentication (`speaks`, e.g.
/// `VERIFY_PROVIDER=twilio`): both variables must be unset.
pub(super) fn refuse(
    get: &impl Fn(&str) -> Option<String>,
    speaks: &str,
) -> Result<(), ConfigError> {
    let set = [ID, KEY]
        .into_iter()
        .find(|variable| get(variable).is_some());
    match set {
        None => Ok(()),
        Some(variable) => Err(fail(
            variable,
            format!(
                "{speaks} has no Vonage application authentication (only Vonage Verify v2 has: \
                 VERIFY_PROVIDER=vonage, or the emulator with EMULATOR_API=vonage); unset \
                 {ID} and {KEY}"
            ),
        )),
    }
}

#[cfg(test)]
mod tests;
