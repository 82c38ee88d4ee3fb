//! Vonage application JWTs: the `Authorization: Bearer` token Verify v2 accepts instead of
//! HTTP Basic, signed RS256 with the application's private key (`VONAGE_APPLICATION_ID`,
//! `VONAGE_PRIVATE_KEY`). Claims `application_id`, `iat`, a fresh `jti` (UUID v4) and
//! `exp` = `iat` + 15 minutes, the Vonage SDKs' default. One token is shared by every call
//! and minted again a minute before its `exp`.

use app_core::clock::{Clock, SystemClock};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::{ExposeSecret, SecretBox, SecretString};
use serde::Serialize;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// How long a token is valid after its `iat` (its `exp` claim).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);
/// How long before its `exp` a token is replaced, so none expires on its way to Vonage.
pub const RENEW_BEFORE_EXPIRY: Duration = Duration::from_secs(60);

/// Where to get an RSA private key, for the errors.
const KEY_HINT: &str = "give the application's RSA private key in PEM: the `private.key` \
     Vonage's dashboard downloads when it generates the application's keys, or one made with \
     `openssl genpkey -algorithm RSA -out private.key` whose public half \
     (`openssl pkey -in private.key -pubout`) is uploaded to the application";

/// A Vonage application the Verify v2 client authenticates as: its id and the private key
/// that signs its JWTs. Clones share the current token.
///
/// `Debug` prints the id only: the key and the tokens are secrets.
#[derive(Clone)]
pub struct VonageApplication {
    application_id: String,
    key: Arc<SecretBox<EncodingKey>>,
    clock: Arc<dyn Clock>,
    current: Arc<Mutex<Option<Minted>>>,
}

/// A token and the times that decide when it is replaced.
struct Minted {
    token: SecretString,
    issued_at: SystemTime,
    renew_at: SystemTime,
}

#[derive(Serialize)]
struct Claims<'a> {
    application_id: &'a str,
    iat: u64,
    jti: String,
    exp: u64,
}

impl VonageApplication {
    /// The application `application_id` with the RSA private key in `pem` (PKCS#8
    /// `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`). Signs one token to prove the
    /// key works, so a call never meets a key that cannot sign. `Err` says what is wrong
    /// with the key and how to get a right one; it never quotes the key.
    pub fn from_pem(application_id: impl Into<String>, pem: &[u8]) -> Result<Self, String> {
        let text = String::from_utf8_lossy(pem);
        if text.contains("PUBLIC KEY-----") || text.contains("CERTIFICATE-----") {
            return Err(format!("this is a public key; {KEY_HINT}"));
        }
        if text.contains("ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED") {
            return Err(format!(
                "the private key is encrypted; decrypt it (`openssl pkey -in encrypted.key \
                 -out private.key`) or {KEY_HINT}"
            ));
        }
        let key = EncodingKey::from_rsa_pem(pem)
            .map_err(|_| format!("not an RSA private key in PEM; {KEY_HINT}"))?;
        let application = Self {
            application_id: application_id.into(),
            key: Arc::new(SecretBox::new(Box::new(key))),
            clock: Arc::new(SystemClock),
            current: Arc::default(),
        };
        application
            .mint(SystemTime::now())
            .map_err(|e| format!("the key cannot sign RS256 tokens ({e}); {KEY_HINT}"))?;
        Ok(application)
    }

    /// The same application with its tokens dated by `clock` (the clock the emulator checks
    /// them with, in development and tests) and no token yet.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self.current = Arc::default();
        self
    }

    /// The application's id, the `application_id` claim.
    pub fn application_id(&self) -> &str {
        &self.application_id
    }

    /// A token valid for at least [`RENEW_BEFORE_EXPIRY`]: the current one, or a new one
    /// when it is that close to its `exp` (or dated after now: the clock went back). Two
    /// calls that find the token stale at once may each mint one; both are valid.
    pub(crate) fn token(&self) -> Result<SecretString, String> {
        let now = self.clock.now();
        if let Some(minted) = self.lock().as_ref() {
            if minted.issued_at <= now && now < minted.renew_at {
                return Ok(minted.token.clone());
            }
        }
        let minted = self.mint(now)?;
        let token = minted.token.clone();
        *self.lock() = Some(minted);
        Ok(token)
    }

    /// `request` with `Authorization: Bearer <token>`. Cannot fail in practice (the key
    /// signed a token when it was read); if signing ever did, the request goes without
    /// credentials and Vonage's 401 surfaces as an operator fault (`Credentials`).
    pub(crate) fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.token() {
            Ok(token) => request.bearer_auth(token.expose_secret()),
            Err(_) => request,
        }
    }

    /// A new token issued at `now`.
    fn mint(&self, now: SystemTime) -> Result<Minted, String> {
        let iat = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_err(|_| "the clock is before 1970".to_owned())?
            .as_secs();
        let claims = Claims {
            application_id: &self.application_id,
            iat,
            jti: uuid::Uuid::new_v4().to_string(),
            exp: iat + TOKEN_LIFETIME.as_secs(),
        };
        let header = Header::new(Algorithm::RS256);
        let token = jsonwebtoken::encode(&header, &claims, self.key.expose_secret())
            .map_err(|e| e.to_string())?;
        let issued_at = SystemTime::UNIX_EPOCH + Duration::from_secs(iat);
        Ok(Minted {
            token: SecretString::from(token),
            issued_at,
            renew_at: issued_at + TOKEN_LIFETIME - RENEW_BEFORE_EXPIRY,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Minted>> {
        // A token is written whole: a panic elsewhere cannot leave half of one.
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for VonageApplication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VonageApplication")
            .field("application_id", &self.application_id)
            .field("private_key", &"[REDACTED]")
            .finish()
    }
}

#[cfg(test)]
mod tests;
