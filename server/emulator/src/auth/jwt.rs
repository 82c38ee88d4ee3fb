//! Vonage application JWTs, as Verify v2 accepts them: `Authorization: Bearer <JWT>`, signed
//! RS256 with the application's private key, claims `application_id`, `iat` and `jti`
//! required, `exp` and `nbf` optional. Vonage honours a token 15 minutes after `iat` when it
//! has no `exp`, and never more than 24 hours after `iat` whatever its `exp` says. The same
//! token may be used again while it is valid (Vonage documents no replay check on `jti`).

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use std::fmt;
use std::time::{Duration, SystemTime};

/// How long a token without `exp` is honoured after its `iat`.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// How long any token is honoured after its `iat`, whatever its `exp`.
pub const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// How far in the future `iat` and `nbf` may be (the client's clock running ahead).
pub const CLOCK_SKEW: Duration = Duration::from_secs(60);

/// A Vonage application the emulator accepts v2 Bearer JWTs for.
#[derive(Clone, Debug)]
pub struct ApplicationAuth {
    /// The only `application_id` claim accepted (a Vonage application id is a UUID, but any
    /// non-empty text is compared as is).
    pub application_id: String,
    /// The application's RSA public key. `None`: signatures are not verified (any RS256
    /// token with the right claims passes), so the emulator needs no key material.
    pub public_key: Option<PublicKey>,
}

/// An RSA public key that verifies RS256 signatures.
#[derive(Clone)]
pub struct PublicKey(DecodingKey);

impl PublicKey {
    /// Parses a PEM public key (`-----BEGIN PUBLIC KEY-----` or
    /// `-----BEGIN RSA PUBLIC KEY-----`). A private key is refused with a hint on how to get
    /// its public half.
    pub fn from_pem(pem: &[u8]) -> Result<Self, String> {
        if String::from_utf8_lossy(pem).contains("PRIVATE KEY-----") {
            return Err("this is a private key; give its public key \
                        (`openssl rsa -in private.key -pubout`)"
                .to_owned());
        }
        DecodingKey::from_rsa_pem(pem)
            .map(Self)
            .map_err(|e| format!("not an RSA public key in PEM: {e}"))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PublicKey(RSA)")
    }
}

impl ApplicationAuth {
    /// Whether `token` is a JWT this application may call with at `now` (the client's
    /// wall-clock time). `Err` says why not, for the 401's `detail`.
    pub(crate) fn check(&self, token: &str, now: SystemTime) -> Result<(), String> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| "The token is not a JWT.".to_owned())?;
        if header.alg != Algorithm::RS256 {
            return Err(format!(
                "The JWT is signed {:?}; Vonage applications sign RS256.",
                header.alg
            ));
        }
        let claims: Value = match &self.public_key {
            Some(key) => {
                jsonwebtoken::decode(token, &key.0, &claims_untouched())
                    .map_err(|_| {
                        "The JWT's signature does not verify with the application's public key."
                            .to_owned()
                    })?
                    .claims
            }
            None => {
                jsonwebtoken::dangerous::insecure_decode(token)
                    .map_err(|_| "The JWT's claims are not readable JSON.".to_owned())?
                    .claims
            }
        };
        self.check_claims(&claims, now)
    }

    fn check_claims(&self, claims: &Value, now: SystemTime) -> Result<(), String> {
        match claims.get("application_id").and_then(Value::as_str) {
            Some(id) if id == self.application_id => {}
            Some(id) => return Err(format!("The JWT is for application {id}, not this one.")),
            None => return Err("The JWT has no application_id claim.".to_owned()),
        }
        match claims.get("jti").and_then(Value::as_str) {
            Some(jti) if !jti.is_empty() => {}
            _ => return Err("The JWT has no jti claim.".to_owned()),
        }
        let now = seconds(now);
        let skew = CLOCK_SKEW.as_secs_f64();
        let iat = numeric(claims, "iat")?.ok_or("The JWT has no iat claim.")?;
        if iat > now + skew {
            return Err("The JWT's iat is in the future.".to_owned());
        }
        if numeric(claims, "nbf")?.is_some_and(|nbf| nbf > now + skew) {
            return Err("The JWT is not valid yet (nbf).".to_owned());
        }
        let latest = iat + MAX_LIFETIME.as_secs_f64();
        let expires = match numeric(claims, "exp")? {
            Some(exp) => exp.min(latest),
            None => iat + DEFAULT_LIFETIME.as_secs_f64(),
        };
        if now >= expires {
            return Err("The JWT has expired.".to_owned());
        }
        Ok(())
    }
}

/// A signature check only: the time claims are checked by [`ApplicationAuth::check_claims`]
/// (`exp` is optional for Vonage, and capped by `iat`).
fn claims_untouched() -> Validation {
    let mut validation = Validation::new(Algorithm::RS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation
}

/// A NumericDate claim (seconds since the epoch, a JSON number); `Err` when it is present
/// but not a non-negative number.
fn numeric(claims: &Value, name: &str) -> Result<Option<f64>, String> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_f64()
            .filter(|secs| *secs >= 0.0)
            .map(Some)
            .ok_or_else(|| format!("The JWT's {name} claim is not a number of seconds.")),
    }
}

fn seconds(time: SystemTime) -> f64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0.0, |since| since.as_secs_f64())
}
