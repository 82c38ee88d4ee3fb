//! A software WebAuthn authenticator and client for the integration tests: it plays a browser
//! with a platform authenticator (like Chromium's virtual authenticator: CTAP2, internal
//! transport, resident keys, user verified) and speaks the JSON our server functions use.
//!
//! [`SoftAuthenticator::register`] takes the server's serialised `CreationChallengeResponse`
//! and returns what `PublicKeyCredential.toJSON()` gives a page for a registration;
//! [`SoftAuthenticator::sign_in`] does the same for a `RequestChallengeResponse` and an
//! assertion. Attestation is `none`; keys are P-256 (ES256).
//!
//! Unlike a browser it does not check that the origin may use the relying-party id: tests
//! forge ceremonies from other origins to see the server refuse them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use openssl::bn::BigNumContext;
use openssl::ec::{EcGroup, EcKey};
use openssl::ecdsa::EcdsaSig;
use openssl::nid::Nid;
use openssl::pkey::Private;
use openssl::sha::sha256;
use serde_json::{json, Value};

/// COSE algorithm identifier of ES256 (ECDSA P-256 with SHA-256).
const ES256: i64 = -7;
/// Authenticator data flags: user present, user verified, attested credential data included.
const FLAG_UP: u8 = 0x01;
const FLAG_UV: u8 = 0x04;
const FLAG_AT: u8 = 0x40;

/// One resident credential.
#[derive(Clone)]
struct Credential {
    id: Vec<u8>,
    key: EcKey<Private>,
    rp_id: String,
    user_handle: Vec<u8>,
    counter: u32,
}

/// A platform authenticator with its browser. A clone is a copied authenticator: same keys,
/// counters moving on independently.
#[derive(Clone, Default)]
pub struct SoftAuthenticator {
    credentials: Vec<Credential>,
}

impl SoftAuthenticator {
    /// An authenticator without credentials.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many credentials it holds (all relying parties).
    pub fn credential_count(&self) -> usize {
        self.credentials.len()
    }

    /// Sets the signature counter of every credential (the next assertion signs `value + 1`):
    /// a cloned authenticator whose counter went back.
    pub fn set_counter(&mut self, value: u32) {
        for credential in &mut self.credentials {
            credential.counter = value;
        }
    }

    /// `navigator.credentials.create()` for the server's `options_json` (a serialised
    /// `CreationChallengeResponse`) from a page at `origin`: the registration's `toJSON()`.
    /// Errors are DOMException names (`InvalidStateError` when an excluded credential is here).
    pub fn register(&mut self, origin: &str, options_json: &str) -> Result<String, String> {
        let options: Value =
            serde_json::from_str(options_json).map_err(|e| format!("options: {e}"))?;
        let public_key = &options["publicKey"];
        let rp_id = text(&public_key["rp"]["id"], "publicKey.rp.id")?;
        let challenge = text(&public_key["challenge"], "publicKey.challenge")?;
        let user_handle = b64_decode(text(&public_key["user"]["id"], "publicKey.user.id")?)?;

        let params = public_key["pubKeyCredParams"].as_array();
        let es256_offered = params.is_none_or(|params| {
            params.is_empty() || params.iter().any(|p| p["alg"].as_i64() == Some(ES256))
        });
        if !es256_offered {
            return Err("NotSupportedError".to_owned());
        }

        if let Some(excluded) = public_key["excludeCredentials"].as_array() {
            for descriptor in excluded {
                let id = b64_decode(text(&descriptor["id"], "excludeCredentials[].id")?)?;
                if self
                    .credentials
                    .iter()
                    .any(|c| c.rp_id == rp_id && c.id == id)
                {
                    return Err("InvalidStateError".to_owned());
                }
            }
        }

        let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).map_err(|e| e.to_string())?;
        let key = EcKey::generate(&group).map_err(|e| e.to_string())?;
        let mut id = vec![0u8; 16];
        openssl::rand::rand_bytes(&mut id).map_err(|e| e.to_string())?;
        let credential = Credential {
            id,
            key,
            rp_id: rp_id.to_owned(),
            user_handle,
            counter: 0,
        };

        let client_data = client_data_json("webauthn.create", challenge, origin);
        let mut auth_data = authenticator_data(rp_id, FLAG_UP | FLAG_UV | FLAG_AT, 0);
        auth_data.extend_from_slice(&[0u8; 16]); // AAGUID
        let id_len = u16::try_from(credential.id.len()).map_err(|e| e.to_string())?;
        auth_data.extend_from_slice(&id_len.to_be_bytes());
        auth_data.extend_from_slice(&credential.id);
        auth_data.extend_from_slice(&cose_key(&credential.key)?);

        let mut attestation_object = Vec::new();
        cbor::map(&mut attestation_object, 3);
        cbor::text(&mut attestation_object, "fmt");
        cbor::text(&mut attestation_object, "none");
        cbor::text(&mut attestation_object, "attStmt");
        cbor::map(&mut attestation_object, 0);
        cbor::text(&mut attestation_object, "authData");
        cbor::bytes(&mut attestation_object, &auth_data);

        let id_text = URL_SAFE_NO_PAD.encode(&credential.id);
        self.credentials.push(credential);
        Ok(json!({
            "id": id_text,
            "rawId": id_text,
            "type": "public-key",
            "response": {
                "clientDataJSON": URL_SAFE_NO_PAD.encode(client_data.as_bytes()),
                "attestationObject": URL_SAFE_NO_PAD.encode(&attestation_object),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        })
        .to_string())
    }

    /// `navigator.credentials.get()` for the server's `options_json` (a serialised
    /// `RequestChallengeResponse`) from a page at `origin`: the assertion's `toJSON()`.
    /// Without `allowCredentials` (discoverable sign-in) the newest credential for the
    /// relying party answers, else the first allowed one held here; none is `NotAllowedError`.
    pub fn sign_in(&mut self, origin: &str, options_json: &str) -> Result<String, String> {
        let options: Value =
            serde_json::from_str(options_json).map_err(|e| format!("options: {e}"))?;
        let public_key = &options["publicKey"];
        let rp_id = text(&public_key["rpId"], "publicKey.rpId")?;
        let challenge = text(&public_key["challenge"], "publicKey.challenge")?;

        let allowed = match public_key["allowCredentials"].as_array() {
            Some(list) => list
                .iter()
                .map(|d| text(&d["id"], "allowCredentials[].id").and_then(b64_decode))
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        let index = if allowed.is_empty() {
            self.credentials.iter().rposition(|c| c.rp_id == rp_id)
        } else {
            allowed.iter().find_map(|id| {
                self.credentials
                    .iter()
                    .position(|c| c.rp_id == rp_id && &c.id == id)
            })
        };
        let credential = index
            .and_then(|i| self.credentials.get_mut(i))
            .ok_or_else(|| "NotAllowedError".to_owned())?;

        credential.counter = credential.counter.wrapping_add(1);
        let client_data = client_data_json("webauthn.get", challenge, origin);
        let auth_data = authenticator_data(rp_id, FLAG_UP | FLAG_UV, credential.counter);
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&sha256(client_data.as_bytes()));
        let signature = EcdsaSig::sign(&sha256(&signed), &credential.key)
            .and_then(|s| s.to_der())
            .map_err(|e| e.to_string())?;

        let id_text = URL_SAFE_NO_PAD.encode(&credential.id);
        Ok(json!({
            "id": id_text,
            "rawId": id_text,
            "type": "public-key",
            "response": {
                "clientDataJSON": URL_SAFE_NO_PAD.encode(client_data.as_bytes()),
                "authenticatorData": URL_SAFE_NO_PAD.encode(&auth_data),
                "signature": URL_SAFE_NO_PAD.encode(&signature),
                "userHandle": URL_SAFE_NO_PAD.encode(&credential.user_handle),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        })
        .to_string())
    }
}

fn text<'a>(value: &'a Value, what: &str) -> Result<&'a str, String> {
    value
        .as_str()
        .ok_or_else(|| format!("options: `{what}` is missing or not a string"))
}

/// base64url, with or without padding.
fn b64_decode(text: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|e| format!("`{text}` is not base64url: {e}"))
}

fn client_data_json(kind: &str, challenge: &str, origin: &str) -> String {
    json!({
        "type": kind,
        "challenge": challenge,
        "origin": origin,
        "crossOrigin": false,
    })
    .to_string()
}

/// rpIdHash ‖ flags ‖ signCount (big-endian).
fn authenticator_data(rp_id: &str, flags: u8, counter: u32) -> Vec<u8> {
    let mut data = sha256(rp_id.as_bytes()).to_vec();
    data.push(flags);
    data.extend_from_slice(&counter.to_be_bytes());
    data
}

/// The public key as a COSE_Key (EC2, ES256, P-256), keys in CTAP2 canonical order.
fn cose_key(key: &EcKey<Private>) -> Result<Vec<u8>, String> {
    let mut ctx = BigNumContext::new().map_err(|e| e.to_string())?;
    let mut x = openssl::bn::BigNum::new().map_err(|e| e.to_string())?;
    let mut y = openssl::bn::BigNum::new().map_err(|e| e.to_string())?;
    key.public_key()
        .affine_coordinates(key.group(), &mut x, &mut y, &mut ctx)
        .map_err(|e| e.to_string())?;
    let x = x.to_vec_padded(32).map_err(|e| e.to_string())?;
    let y = y.to_vec_padded(32).map_err(|e| e.to_string())?;

    let mut out = Vec::new();
    cbor::map(&mut out, 5);
    cbor::int(&mut out, 1); // kty
    cbor::int(&mut out, 2); // EC2
    cbor::int(&mut out, 3); // alg
    cbor::int(&mut out, ES256);
    cbor::int(&mut out, -1); // crv
    cbor::int(&mut out, 1); // P-256
    cbor::int(&mut out, -2); // x
    cbor::bytes(&mut out, &x);
    cbor::int(&mut out, -3); // y
    cbor::bytes(&mut out, &y);
    Ok(out)
}

mod cbor;
mod tests;
