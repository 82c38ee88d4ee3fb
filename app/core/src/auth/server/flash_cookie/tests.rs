//! Written and read back: attributes, staleness, another key, tampering and garbage, size,
//! the clearing cookie and the `__Host-` name.

use super::*;
use crate::auth::AuthError;

const NOW: u64 = 1_700_000_000;

fn flash() -> Flash {
    Flash {
        error: Some(AuthError::BadRequest),
        typed_number: Some("+44 7400 123456".into()),
        notice: Some("We're calling +44 7400 123456 now.".into()),
    }
}

fn cookies(secret: &str, secure: bool) -> FlashCookies {
    FlashCookies::from_secret(secret.as_bytes(), secure).expect("long enough")
}

/// The request headers a browser sends back for the `Set-Cookie` line `set`.
fn request_with(set: &HeaderValue) -> HeaderMap {
    let pair = set
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("name=value")
        .to_owned();
    request_cookie(&pair)
}

fn request_cookie(line: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(header::COOKIE, HeaderValue::from_str(line).expect("header"));
    headers
}

const SECRET: &str = "0123456789abcdef0123456789abcdef-test";

#[test]
fn a_flash_comes_back_as_written() {
    let jar = cookies(SECRET, false);
    let set = jar.set_cookie(&flash(), NOW).expect("small enough");
    let line = set.to_str().expect("ascii");
    assert!(line.starts_with("flash="), "{line}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=60"] {
        assert!(line.contains(attribute), "{attribute} in {line}");
    }
    assert!(!line.contains("Secure"), "{line}");
    // Among the visitor's other cookies, and read by another instance with the same secret.
    let pair = line.split(';').next().expect("pair");
    let headers = request_cookie(&format!("session=abc; {pair}; theme=dark"));
    assert!(jar.is_present(&headers));
    assert_eq!(jar.read(&headers, NOW), Some(flash()));
    assert_eq!(
        cookies(SECRET, false).read(&headers, NOW + 60),
        Some(flash())
    );
    assert_eq!(jar.read(&headers, NOW + 61), None, "stale: a replayed copy");
    assert_eq!(jar.read(&request_cookie("session=abc"), NOW), None);
    assert!(!jar.is_present(&request_cookie("session=abc")));
}

#[test]
fn a_tampered_or_garbage_flash_is_no_message() {
    let jar = cookies(SECRET, false);
    let set = jar.set_cookie(&flash(), NOW).expect("written");
    let pair = set
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("pair");
    let value = &pair["flash=".len()..];
    // The message part (after the 44-character signature) changed by one character.
    let (mac, payload) = value.split_at(44);
    let mut altered: Vec<char> = payload.chars().collect();
    altered[3] = if altered[3] == 'A' { 'B' } else { 'A' };
    let altered: String = altered.into_iter().collect();
    let tampered = request_cookie(&format!("flash={mac}{altered}"));
    assert!(jar.is_present(&tampered));
    assert_eq!(jar.read(&tampered, NOW), None);
    // An unsigned message of the attacker's choosing, and plain garbage.
    let forged = URL_SAFE_NO_PAD.encode(
        serde_json::to_vec(&Sealed {
            flash: flash(),
            until: NOW + 60,
        })
        .expect("json"),
    );
    assert_eq!(
        jar.read(&request_cookie(&format!("flash={forged}")), NOW),
        None
    );
    for garbage in [
        "flash=",
        "flash=%%%",
        "flash=\u{7f}",
        "flash=a=b=c",
        "flash",
    ] {
        if let Ok(value) = HeaderValue::from_str(garbage) {
            let mut headers = HeaderMap::new();
            headers.insert(header::COOKIE, value);
            assert_eq!(jar.read(&headers, NOW), None, "{garbage}");
        }
    }
    let mut binary = HeaderMap::new();
    binary.insert(
        header::COOKIE,
        HeaderValue::from_bytes(b"flash=\xff\xfe").expect("opaque bytes"),
    );
    assert_eq!(jar.read(&binary, NOW), None);
}

#[test]
fn a_flash_signed_with_another_key_is_no_message() {
    let set = cookies(SECRET, false)
        .set_cookie(&flash(), NOW)
        .expect("written");
    let headers = request_with(&set);
    let other = cookies("another secret of at least 32 bytes, ok", false);
    assert_eq!(other.read(&headers, NOW), None);
    assert_eq!(FlashCookies::random(false).read(&headers, NOW), None);
}

#[test]
fn an_oversized_flash_is_dropped_not_written_and_not_read() {
    let jar = cookies(SECRET, false);
    let huge = Flash {
        notice: Some("x".repeat(4 * 1024)),
        ..Flash::default()
    };
    assert_eq!(jar.set_cookie(&huge, NOW), None);
    // A typical message fits with room to spare.
    let line = jar.set_cookie(&flash(), NOW).expect("written");
    assert!(line.len() < MAX_FLASH_COOKIE_BYTES / 4, "{}", line.len());
    // An oversized cookie is refused before any verification.
    let big = request_cookie(&format!("flash={}", "A".repeat(MAX_FLASH_COOKIE_BYTES + 1)));
    assert_eq!(jar.read(&big, NOW), None);
}

#[test]
fn the_clearing_cookie_expires_it_at_once() {
    for secure in [false, true] {
        let jar = cookies(SECRET, secure);
        let clearing = jar.clearing();
        let line = clearing.to_str().expect("ascii");
        assert!(line.starts_with(&format!("{}=;", jar.name())), "{line}");
        assert!(line.contains("Max-Age=0"), "{line}");
        assert!(line.contains("Path=/"), "{line}");
        assert_eq!(line.contains("; Secure"), secure, "{line}");
    }
}

#[test]
fn secure_cookies_are_host_prefixed_and_secure() {
    let jar = cookies(SECRET, true);
    let set = jar.set_cookie(&flash(), NOW).expect("written");
    let line = set.to_str().expect("ascii");
    assert!(line.starts_with("__Host-flash="), "{line}");
    assert!(line.contains("; Secure"), "{line}");
    assert!(line.contains("Path=/"), "{line}");
    assert!(!line.contains("Domain"), "{line}");
    assert_eq!(jar.read(&request_with(&set), NOW), Some(flash()));
    // A plain `flash` cookie (which any sibling host could set) is not read.
    let plain = cookies(SECRET, false)
        .set_cookie(&flash(), NOW)
        .expect("written");
    assert!(!jar.is_present(&request_with(&plain)));
    assert_eq!(jar.read(&request_with(&plain), NOW), None);
}

#[test]
fn a_short_secret_is_refused() {
    let error = FlashCookies::from_secret(b"too short", false).expect_err("short");
    assert_eq!(error, SecretTooShort(9));
    assert!(error.to_string().contains("at least 32 bytes"), "{error}");
    assert!(FlashCookies::from_secret(&[7; 32], false).is_ok());
}
