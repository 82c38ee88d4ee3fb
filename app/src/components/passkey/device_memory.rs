//! What this browser remembers about passkeys here, in `localStorage`: that it holds one for
//! this site (added or used here), and until when "Not now" puts off the home page's offer.
//! Only a hint for the offer: the server never relies on it. Storage that is off or full
//! reads as "nothing remembered".

use crate::components::browser_storage::Storage;
use leptos::web_sys::js_sys::Date;

const HAS_PASSKEY: &str = "passwordless.passkey.here";
const PUT_OFF_UNTIL: &str = "passwordless.passkey.offer_put_off_until";
/// How long "Not now" puts the offer off (WorkOS asks again after two weeks).
const PUT_OFF_SECS: u64 = 14 * 24 * 3600;

/// `true` when the home page should offer a passkey: none added or used in this browser,
/// and the offer not put off.
pub fn offer_wanted() -> bool {
    let put_off = item(PUT_OFF_UNTIL)
        .and_then(|until| until.parse::<u64>().ok())
        .is_some_and(|until| now_secs() < until);
    item(HAS_PASSKEY).is_none() && !put_off
}

/// Remembers that this browser holds a passkey for this site.
pub fn remember_passkey() {
    set_item(HAS_PASSKEY, "1");
}

/// Puts the offer off for two weeks.
pub fn put_off_offer() {
    set_item(PUT_OFF_UNTIL, &(now_secs() + PUT_OFF_SECS).to_string());
}

/// Unix seconds, as an integer: float parsing and printing would add about 14 KB of wasm.
fn now_secs() -> u64 {
    (Date::now() / 1000.0) as u64
}

fn item(key: &str) -> Option<String> {
    Storage::Local.item(key)
}

fn set_item(key: &str, value: &str) {
    Storage::Local.set_item(key, value);
}
