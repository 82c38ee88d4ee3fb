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
    let credential: PublicKeyCredential = serde_json::from_str(&response).expect("an assertion");
    let (identified, _) = rp
        .webauthn()
        .identify_discoverable_authentication(&credential)
        .expect("the user handle names the account");
    assert_eq!(identified, user);
    rp.webauthn()
        .finish_discoverable_authentication(&credential, state, &[DiscoverableKey::from(passkey)])
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
    let credential: PublicKeyCredential = serde_json::from_str(&response).expect("an assertion");
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
