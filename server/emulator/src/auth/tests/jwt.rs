//! The JWT rules: signature, algorithm, `application_id`, `jti`, and the time claims.

use super::*;

fn check(claims: &Value, verify_signatures: bool) -> Result<(), String> {
    application(verify_signatures).check(&sign(claims, APP_PRIVATE), now())
}

fn with(field: &str, value: Value) -> Value {
    let mut claims = claims();
    claims[field] = value;
    claims
}

fn without(field: &str) -> Value {
    let mut claims = claims();
    claims.as_object_mut().expect("object").remove(field);
    claims
}

#[test]
fn a_signed_token_with_the_documented_claims_passes() {
    assert_eq!(check(&claims(), true), Ok(()));
    assert_eq!(check(&claims(), false), Ok(()));
    // Used again while valid: Vonage documents no replay check.
    let token = sign(&claims(), APP_PRIVATE);
    for _ in 0..2 {
        assert_eq!(application(true).check(&token, now()), Ok(()));
    }
}

#[test]
fn another_keys_signature_fails_only_when_a_public_key_is_configured() {
    let forged = sign(&claims(), OTHER_PRIVATE);
    let error = application(true).check(&forged, now()).expect_err("forged");
    assert!(error.contains("signature"), "{error}");
    assert_eq!(
        application(false).check(&forged, now()),
        Ok(()),
        "no key: claims only"
    );
}

#[test]
fn a_tampered_payload_or_an_hmac_token_fails() {
    use base64::Engine as _;
    let token = sign(&claims(), APP_PRIVATE);
    let parts: Vec<&str> = token.split('.').collect();
    let longer = with("exp", json!(at(3600))).to_string();
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(longer.as_bytes());
    let tampered = format!("{}.{payload}.{}", parts[0], parts[2]);
    assert!(application(true).check(&tampered, now()).is_err());
    let hmac = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims(),
        &EncodingKey::from_secret(APP_PUBLIC.as_bytes()),
    )
    .expect("sign HS256");
    for verify in [true, false] {
        let error = application(verify).check(&hmac, now()).expect_err("HS256");
        assert!(error.contains("RS256"), "{error}");
    }
}

#[test]
fn unsigned_and_garbage_tokens_fail() {
    use base64::Engine as _;
    let b64 = |v: &Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
    };
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims())
    );
    for token in [none.as_str(), "", "abc", "a.b.c", "a.b"] {
        for verify in [true, false] {
            assert!(application(verify).check(token, now()).is_err(), "{token}");
        }
    }
}

#[test]
fn another_application_or_no_application_id_fails() {
    let error = check(&with("application_id", json!("other-app")), true).expect_err("other");
    assert!(error.contains("other-app"), "{error}");
    assert!(check(&without("application_id"), false).is_err());
    assert!(check(&with("application_id", json!(42)), false).is_err());
}

#[test]
fn jti_is_required() {
    let error = check(&without("jti"), true).expect_err("no jti");
    assert!(error.contains("jti"), "{error}");
    assert!(check(&with("jti", json!("")), true).is_err());
    assert!(check(&with("jti", json!(7)), true).is_err());
}

#[test]
fn iat_is_required_and_not_in_the_future() {
    let error = check(&without("iat"), true).expect_err("no iat");
    assert!(error.contains("iat"), "{error}");
    assert!(
        check(&with("iat", json!(at(61))), true).is_err(),
        "too far ahead"
    );
    assert_eq!(
        check(&with("iat", json!(at(59))), true),
        Ok(()),
        "clock skew"
    );
    assert!(
        check(&with("iat", json!(at(0).to_string())), true).is_err(),
        "a string"
    );
}

#[test]
fn an_expired_token_fails() {
    let expired = with("exp", json!(at(-1)));
    let error = check(&expired, true).expect_err("expired");
    assert!(error.contains("expired"), "{error}");
    assert!(
        check(&with("exp", json!(at(0))), true).is_err(),
        "exp is exclusive"
    );
}

#[test]
fn without_exp_a_token_lives_15_minutes() {
    let mut claims = without("exp");
    claims["iat"] = json!(at(-899));
    assert_eq!(check(&claims, true), Ok(()));
    claims["iat"] = json!(at(-900));
    assert!(check(&claims, true).is_err());
}

#[test]
fn no_token_lives_more_than_24_hours_after_iat() {
    let mut claims = claims();
    claims["iat"] = json!(at(-24 * 3600));
    claims["exp"] = json!(at(3600));
    assert!(check(&claims, true).is_err());
    claims["iat"] = json!(at(-24 * 3600 + 1));
    assert_eq!(check(&claims, true), Ok(()));
}

#[test]
fn nbf_is_honoured() {
    assert!(check(&with("nbf", json!(at(120))), true).is_err());
    assert_eq!(check(&with("nbf", json!(at(-1))), true), Ok(()));
}

#[test]
fn only_public_keys_are_configured() {
    assert!(PublicKey::from_pem(APP_PUBLIC.as_bytes()).is_ok());
    let error = PublicKey::from_pem(APP_PRIVATE.as_bytes()).expect_err("private");
    assert!(error.contains("-pubout"), "{error}");
    assert!(PublicKey::from_pem(b"not a key").is_err());
}
