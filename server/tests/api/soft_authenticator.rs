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

/// The few CBOR items WebAuthn needs (RFC 8949): integers, byte and text strings, maps.
mod cbor {
    fn head(out: &mut Vec<u8>, major: u8, value: u64) {
        let major = major << 5;
        // Each arm's value fits the width it is written in.
        match value {
            0..=23 => out.push(major | value as u8),
            24..=0xff => out.extend_from_slice(&[major | 24, value as u8]),
            0x100..=0xffff => {
                out.push(major | 25);
                out.extend_from_slice(&(value as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(major | 26);
                out.extend_from_slice(&(value as u32).to_be_bytes());
            }
            _ => {
                out.push(major | 27);
                out.extend_from_slice(&value.to_be_bytes());
            }
        }
    }

    /// Major type 0 (unsigned) or 1 (negative: -1 - n).
    pub fn int(out: &mut Vec<u8>, value: i64) {
        if value >= 0 {
            head(out, 0, value.unsigned_abs());
        } else {
            // -1 - value, without overflow for i64::MIN.
            head(out, 1, (value + 1).unsigned_abs());
        }
    }

    /// Major type 2.
    pub fn bytes(out: &mut Vec<u8>, value: &[u8]) {
        head(out, 2, value.len() as u64);
        out.extend_from_slice(value);
    }

    /// Major type 3.
    pub fn text(out: &mut Vec<u8>, value: &str) {
        head(out, 3, value.len() as u64);
        out.extend_from_slice(value.as_bytes());
    }

    /// Major type 5: the header of a map of `pairs` pairs; the caller writes key, value, ….
    pub fn map(out: &mut Vec<u8>, pairs: usize) {
        head(out, 5, pairs as u64);
    }
}

mod tests {
    use super::*;
    use app_core::auth::server::passkeys::RelyingParty;
    use webauthn_rs::prelude::{
        DiscoverableKey, Passkey, PublicKeyCredential, RegisterPublicKeyCredential, Uuid,
    };

    const ORIGIN: &str = "http://localhost:3000";

    fn relying_party() -> RelyingParty {
        RelyingParty::new(None, "Test").expect("localhost is a relying party")
    }

    fn register(rp: &RelyingParty, authenticator: &mut SoftAuthenticator, user: Uuid) -> Passkey {
        let (ccr, state) = rp
            .webauthn()
            .start_passkey_registration(user, "name", "Name", None)
            .expect("registration starts");
        let options = serde_json::to_string(&ccr).expect("options serialise");
        let response = authenticator
            .register(ORIGIN, &options)
            .expect("the authenticator registers");
        let credential: RegisterPublicKeyCredential =
            serde_json::from_str(&response).expect("a registration response");
        rp.webauthn()
            .finish_passkey_registration(&credential, &state)
            .expect("the server accepts the registration")
    }

    /// A discoverable sign-in from `origin`: the server's verdict on the assertion.
    fn sign_in(
        rp: &RelyingParty,
        authenticator: &mut SoftAuthenticator,
        origin: &str,
        passkey: &Passkey,
        user: Uuid,
    ) -> Result<webauthn_rs::prelude::AuthenticationResult, String> {
        let (rcr, state) = rp
            .webauthn()
            .start_discoverable_authentication()
            .expect("authentication starts");
        let options = serde_json::to_string(&rcr).expect("options serialise");
        let response = authenticator
            .sign_in(origin, &options)
            .expect("the authenticator signs");
        let credential: PublicKeyCredential =
            serde_json::from_str(&response).expect("an assertion");
        let (identified, _) = rp
            .webauthn()
            .identify_discoverable_authentication(&credential)
            .expect("the user handle names the account");
        assert_eq!(identified, user);
        rp.webauthn()
            .finish_discoverable_authentication(
                &credential,
                state,
                &[DiscoverableKey::from(passkey)],
            )
            .map_err(|e| e.to_string())
    }

    #[test]
    fn registers_and_signs_in_against_webauthn_rs() {
        let rp = relying_party();
        let mut authenticator = SoftAuthenticator::new();
        let user = Uuid::new_v4();
        let passkey = register(&rp, &mut authenticator, user);
        assert_eq!(authenticator.credential_count(), 1);

        let result = sign_in(&rp, &mut authenticator, ORIGIN, &passkey, user)
            .expect("the server accepts the assertion");
        assert_eq!(result.counter(), 1);
        assert!(result.user_verified());
        assert_eq!(result.cred_id(), passkey.cred_id());
    }

    #[test]
    fn a_counter_going_back_is_refused() {
        let rp = relying_party();
        let mut authenticator = SoftAuthenticator::new();
        let user = Uuid::new_v4();
        let mut passkey = register(&rp, &mut authenticator, user);
        let result = sign_in(&rp, &mut authenticator, ORIGIN, &passkey, user).expect("first");
        passkey.update_credential(&result);

        authenticator.set_counter(0);
        let error = sign_in(&rp, &mut authenticator, ORIGIN, &passkey, user)
            .expect_err("a counter that went back is refused");
        assert!(error.to_lowercase().contains("compromise"), "{error}");
    }

    #[test]
    fn a_copied_authenticator_is_caught_by_its_counter() {
        let rp = relying_party();
        let mut original = SoftAuthenticator::new();
        let user = Uuid::new_v4();
        let mut passkey = register(&rp, &mut original, user);
        let mut copy = original.clone();

        let result = sign_in(&rp, &mut original, ORIGIN, &passkey, user).expect("original");
        passkey.update_credential(&result);
        let error = sign_in(&rp, &mut copy, ORIGIN, &passkey, user)
            .expect_err("the copy signs with a counter already seen");
        assert!(error.contains("compromise"), "{error}");
        let result = sign_in(&rp, &mut original, ORIGIN, &passkey, user).expect("original again");
        assert_eq!(result.counter(), 2);
    }

    #[test]
    fn an_assertion_from_another_origin_is_refused() {
        let rp = relying_party();
        let mut authenticator = SoftAuthenticator::new();
        let user = Uuid::new_v4();
        let passkey = register(&rp, &mut authenticator, user);
        let error = sign_in(
            &rp,
            &mut authenticator,
            "http://evil.example",
            &passkey,
            user,
        )
        .expect_err("the origin is not the relying party's");
        assert!(error.contains("origin"), "{error}");
    }

    #[test]
    fn a_registration_from_another_origin_is_refused() {
        let rp = relying_party();
        let (ccr, state) = rp
            .webauthn()
            .start_passkey_registration(Uuid::new_v4(), "name", "Name", None)
            .expect("registration starts");
        let options = serde_json::to_string(&ccr).expect("options serialise");
        let response = SoftAuthenticator::new()
            .register("http://evil.example", &options)
            .expect("the authenticator registers");
        let credential: RegisterPublicKeyCredential =
            serde_json::from_str(&response).expect("a registration response");
        let error = rp
            .webauthn()
            .finish_passkey_registration(&credential, &state)
            .expect_err("the origin is not the relying party's")
            .to_string();
        assert!(error.contains("origin"), "{error}");
    }

    #[test]
    fn an_excluded_credential_is_not_registered_twice() {
        let rp = relying_party();
        let mut authenticator = SoftAuthenticator::new();
        let user = Uuid::new_v4();
        let passkey = register(&rp, &mut authenticator, user);
        let (ccr, _) = rp
            .webauthn()
            .start_passkey_registration(user, "name", "Name", Some(vec![passkey.cred_id().clone()]))
            .expect("registration starts");
        let options = serde_json::to_string(&ccr).expect("options serialise");
        assert_eq!(
            authenticator.register(ORIGIN, &options),
            Err("InvalidStateError".to_owned())
        );
        assert_eq!(authenticator.credential_count(), 1);
        // Another authenticator does not hold it.
        SoftAuthenticator::new()
            .register(ORIGIN, &options)
            .expect("a second authenticator registers");
    }

    #[test]
    fn sign_in_uses_the_newest_credential_or_the_allowed_one() {
        let rp = relying_party();
        let mut authenticator = SoftAuthenticator::new();
        let first = register(&rp, &mut authenticator, Uuid::new_v4());
        let second_user = Uuid::new_v4();
        let second = register(&rp, &mut authenticator, second_user);
        assert_eq!(authenticator.credential_count(), 2);

        // Discoverable: the newest.
        let result = sign_in(&rp, &mut authenticator, ORIGIN, &second, second_user)
            .expect("the newest credential answers");
        assert_eq!(result.cred_id(), second.cred_id());

        // Allow list: the first one, even though it is older.
        let (rcr, state) = rp
            .webauthn()
            .start_passkey_authentication(std::slice::from_ref(&first))
            .expect("authentication starts");
        let options = serde_json::to_string(&rcr).expect("options serialise");
        let response = authenticator.sign_in(ORIGIN, &options).expect("signs");
        let credential: PublicKeyCredential =
            serde_json::from_str(&response).expect("an assertion");
        let result = rp
            .webauthn()
            .finish_passkey_authentication(&credential, &state)
            .expect("the server accepts the assertion");
        assert_eq!(result.cred_id(), first.cred_id());
        assert_eq!(result.counter(), 1);
    }

    #[test]
    fn nothing_to_sign_with_is_not_allowed() {
        let rp = relying_party();
        let (rcr, _) = rp
            .webauthn()
            .start_discoverable_authentication()
            .expect("authentication starts");
        let options = serde_json::to_string(&rcr).expect("options serialise");
        assert_eq!(
            SoftAuthenticator::new().sign_in(ORIGIN, &options),
            Err("NotAllowedError".to_owned())
        );
    }

    #[test]
    fn cbor_encodes_like_rfc_8949() {
        let cases: &[(i64, &str)] = &[
            (0, "00"),
            (23, "17"),
            (24, "1818"),
            (100, "1864"),
            (1000, "1903e8"),
            (1_000_000, "1a000f4240"),
            (1_000_000_000_000, "1b000000e8d4a51000"),
            (-1, "20"),
            (-10, "29"),
            (-100, "3863"),
            (-1000, "3903e7"),
        ];
        for (value, expected) in cases {
            let mut out = Vec::new();
            cbor::int(&mut out, *value);
            assert_eq!(hex(&out), *expected, "{value}");
        }
        let mut out = Vec::new();
        cbor::int(&mut out, i64::MIN);
        assert_eq!(hex(&out), "3b7fffffffffffffff");

        let mut out = Vec::new();
        cbor::text(&mut out, "");
        cbor::text(&mut out, "a");
        cbor::bytes(&mut out, &[1, 2, 3, 4]);
        assert_eq!(hex(&out), "6061614401020304");

        let mut out = Vec::new();
        cbor::map(&mut out, 2);
        for n in 1..=4 {
            cbor::int(&mut out, n);
        }
        assert_eq!(hex(&out), "a201020304");
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
