//! Passkeys (WebAuthn) for accounts: the relying party, the ceremonies' short-lived state and
//! the browser-facing JSON. The login service uses these to add a passkey after a phone
//! sign-in and to sign in with one instead of a code.

mod ceremony;
mod naming;

pub use ceremony::{Ceremony, CeremonyKind, CEREMONY_TTL_SECS};
pub use naming::{browser_and_system, passkey_name};

use base64::Engine;
use url::Url;
use webauthn_rs::prelude::{Webauthn, WebauthnBuilder};

/// This site as a WebAuthn relying party: its id (a registrable domain, never an IP
/// address) and the origins whose ceremonies it accepts.
pub struct RelyingParty {
    webauthn: Webauthn,
    id: String,
}

impl RelyingParty {
    /// The relying party for `public_origin` (`PUBLIC_URL`), or for `localhost` on any port
    /// when there is none (development and tests). Errors say why passkeys cannot work there
    /// (an IP address has no relying-party id).
    pub fn new(public_origin: Option<&str>, brand: &str) -> Result<Self, String> {
        let (origin, any_port) = match public_origin {
            Some(origin) => (origin.to_owned(), false),
            None => ("http://localhost".to_owned(), true),
        };
        let url = Url::parse(&origin).map_err(|e| format!("`{origin}` is not a URL: {e}"))?;
        let Some(id) = url.domain().map(str::to_owned) else {
            return Err(format!(
                "`{origin}` has no domain name; WebAuthn refuses IP addresses as relying-party ids"
            ));
        };
        let webauthn = WebauthnBuilder::new(&id, &url)
            .map_err(|e| format!("`{origin}`: {e}"))?
            .rp_name(brand)
            // `localhost` is a development origin whatever the port cargo-leptos or a test
            // picked; a public origin is exact.
            .allow_any_port(any_port)
            .build()
            .map_err(|e| format!("`{origin}`: {e}"))?;
        Ok(Self { webauthn, id })
    }

    /// The relying-party id passkeys are bound to (e.g. `login.example.com`, `localhost`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The `webauthn-rs` instance for the ceremonies.
    pub fn webauthn(&self) -> &Webauthn {
        &self.webauthn
    }
}

/// A credential id as stored and shown: base64url without padding.
pub fn credential_id_text(raw: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localhost_in_development_and_a_public_domain_in_production() {
        let dev = RelyingParty::new(None, "Passwordless").expect("localhost");
        assert_eq!(dev.id(), "localhost");
        let public = RelyingParty::new(Some("https://login.example.com"), "P").expect("domain");
        assert_eq!(public.id(), "login.example.com");
    }

    #[test]
    fn an_ip_address_cannot_be_a_relying_party() {
        let error = RelyingParty::new(Some("http://192.0.2.10:3000"), "P")
            .err()
            .expect("an IP address is refused");
        assert!(error.contains("IP address"), "{error}");
    }

    #[test]
    fn credential_ids_are_base64url_without_padding() {
        assert_eq!(credential_id_text(&[0xfb, 0xff, 0x01]), "-_8B");
    }
}
