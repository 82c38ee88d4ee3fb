//! The one-shot message of a submit (a [`Flash`]: a no-JavaScript post's error, the number
//! to type again, a confirmation) carried to the next page render in a short-lived signed
//! cookie instead of the server-side session, so a visitor with nothing else to keep gets
//! no stored session for it.
//!
//! The cookie (`flash`, or `__Host-flash` where cookies are `Secure`) holds the message as
//! JSON (base64url) with the time it goes stale, signed with HMAC-SHA256 (`cookie`'s signed
//! jar): the browser cannot forge or alter the text it is shown, and a copied cookie is
//! refused once stale. It lives [`FLASH_MAX_AGE_SECS`], `HttpOnly`, `SameSite=Lax`, `Path=/`,
//! and is expired by the render that shows it, so the message shows once. Reading never
//! fails: a missing, unsigned, altered, stale, oversized or unreadable cookie is no message.

use crate::auth::Flash;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use cookie::{Cookie, CookieJar, Key, SameSite};
use http::{header, HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};

/// How long a flash waits for the page it is meant for (the redirect is followed at once).
pub const FLASH_MAX_AGE_SECS: u64 = 60;
/// The largest flash cookie written or read, `name=value` and attributes: well under the
/// 4 KB browsers keep per cookie. A bigger message is dropped (only the message is lost).
pub const MAX_FLASH_COOKIE_BYTES: usize = 3 * 1024;
/// The shortest `COOKIE_SECRET`, in bytes: the signing key is derived from it (HKDF-SHA256).
pub const MIN_SECRET_BYTES: usize = 32;

/// A `COOKIE_SECRET` too short to derive a signing key from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "must be at least {MIN_SECRET_BYTES} bytes (it is {0}); generate one with \
     `openssl rand -base64 48`"
)]
pub struct SecretTooShort(pub usize);

/// Writes and reads the signed flash cookie: the signing key and whether cookies are
/// `Secure` (then `__Host-` prefixed), as for the session cookie.
#[derive(Clone, Debug)]
pub struct FlashCookies {
    key: Key,
    secure: bool,
}

/// What the cookie's value carries, under the signature.
#[derive(Serialize, Deserialize)]
struct Sealed {
    /// The message.
    flash: Flash,
    /// Unix seconds after which the message is stale (a replayed copy shows nothing).
    until: u64,
}

impl FlashCookies {
    /// Cookies signed with a key derived from `secret` (`COOKIE_SECRET`, at least
    /// [`MIN_SECRET_BYTES`] random bytes), shared by every instance configured with it.
    pub fn from_secret(secret: &[u8], secure: bool) -> Result<Self, SecretTooShort> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(SecretTooShort(secret.len()));
        }
        Ok(Self {
            key: Key::derive_from(secret),
            secure,
        })
    }

    /// Cookies signed with a random key of this process: a flash written by another
    /// instance (or before a restart) is dropped, which loses only its message.
    pub fn random(secure: bool) -> Self {
        Self {
            key: Key::generate(),
            secure,
        }
    }

    /// `true` when this site's cookies are `Secure` (served over HTTPS, not localhost).
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// The cookie's name: `__Host-flash` when cookies are `Secure`, else `flash`.
    pub fn name(&self) -> &'static str {
        if self.secure {
            "__Host-flash"
        } else {
            "flash"
        }
    }

    /// The `Set-Cookie` value that keeps `flash` for the next render (written at `now`,
    /// Unix seconds); `None` (logged) when the cookie would be over
    /// [`MAX_FLASH_COOKIE_BYTES`].
    pub fn set_cookie(&self, flash: &Flash, now: u64) -> Option<HeaderValue> {
        let sealed = Sealed {
            flash: flash.clone(),
            until: now.saturating_add(FLASH_MAX_AGE_SECS),
        };
        let json = match serde_json::to_vec(&sealed) {
            Ok(json) => json,
            Err(error) => {
                tracing::warn!(%error, "flash not serializable; dropped");
                return None;
            }
        };
        let mut jar = CookieJar::new();
        jar.signed_mut(&self.key)
            .add(Cookie::new(self.name(), URL_SAFE_NO_PAD.encode(json)));
        let signed = jar.get(self.name())?.value().to_owned();
        let line = self.attributes(signed, FLASH_MAX_AGE_SECS).to_string();
        if line.len() > MAX_FLASH_COOKIE_BYTES {
            tracing::warn!(
                bytes = line.len(),
                max = MAX_FLASH_COOKIE_BYTES,
                "flash too large for its cookie; dropped"
            );
            return None;
        }
        HeaderValue::from_str(&line).ok()
    }

    /// `true` when the request's `Cookie` headers carry a flash cookie (valid or not).
    pub fn is_present(&self, headers: &HeaderMap) -> bool {
        self.candidates(headers).next().is_some()
    }

    /// The flash the request's `Cookie` headers carry, when its signature verifies with this
    /// key and it is not stale at `now`; `None` otherwise, never an error.
    pub fn read(&self, headers: &HeaderMap, now: u64) -> Option<Flash> {
        let verifier = CookieJar::new();
        let verifier = verifier.signed(&self.key);
        self.candidates(headers)
            .filter(|cookie| cookie.value().len() <= MAX_FLASH_COOKIE_BYTES)
            .filter_map(|cookie| verifier.verify(cookie))
            .filter_map(|cookie| URL_SAFE_NO_PAD.decode(cookie.value()).ok())
            .filter_map(|json| serde_json::from_slice::<Sealed>(&json).ok())
            .find(|sealed| now <= sealed.until)
            .map(|sealed| sealed.flash)
    }

    /// The `Set-Cookie` value that expires the flash cookie (`Max-Age=0`), sent once it was
    /// read so the message shows once.
    pub fn clearing(&self) -> HeaderValue {
        let line = self.attributes(String::new(), 0).to_string();
        HeaderValue::from_str(&line)
            .unwrap_or_else(|_| HeaderValue::from_static("flash=; Max-Age=0"))
    }

    /// The cookie `name=value` with its attributes, living `max_age` seconds.
    fn attributes(&self, value: String, max_age: u64) -> Cookie<'static> {
        let max_age = i64::try_from(max_age).unwrap_or(i64::MAX);
        Cookie::build((self.name(), value))
            .http_only(true)
            .same_site(SameSite::Lax)
            .path("/")
            .max_age(cookie::time::Duration::seconds(max_age))
            .secure(self.secure)
            .build()
    }

    /// Every cookie of this name in the request's `Cookie` headers.
    fn candidates<'a>(
        &'a self,
        headers: &'a HeaderMap,
    ) -> impl Iterator<Item = Cookie<'static>> + 'a {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|line| line.split(';'))
            .filter_map(|pair| Cookie::parse(pair.trim().to_owned()).ok())
            .filter(|cookie| cookie.name() == self.name())
    }
}

#[cfg(test)]
mod tests;
