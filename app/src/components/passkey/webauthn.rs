//! The browser's WebAuthn API through `js_sys::Reflect`: the server's JSON options go in
//! through `PublicKeyCredential.parse…OptionsFromJSON`, the credential comes back through
//! `credential.toJSON()`, so no JavaScript file of ours is needed. Only called from event
//! handlers and effects, i.e. in a browser running the app.

use app_core::i18n::{td_string, Locale};
use leptos::prelude::*;
use leptos::wasm_bindgen::{JsCast, JsValue};
use leptos::web_sys::js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use wasm_bindgen_futures::JsFuture;

/// Why a ceremony ended without a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebAuthnFailure {
    /// The person closed the prompt, it timed out, or the page aborted it.
    Cancelled,
    /// This authenticator already holds a passkey for the account (creation only).
    AlreadyRegistered,
    /// The browser could not run it (no WebAuthn, bad options, a security error).
    Failed(String),
}

impl WebAuthnFailure {
    /// The sentence shown to the person.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            Self::Cancelled => td_string!(locale, passkey.cancelled),
            Self::AlreadyRegistered => td_string!(locale, passkey.already_here),
            Self::Failed(_) => td_string!(locale, passkey.browser_failed),
        }
        .to_owned()
    }
}

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn method(target: &JsValue, key: &str) -> Option<Function> {
    get(target, key).and_then(|f| f.dyn_into::<Function>().ok())
}

/// `window.navigator` (read through `Reflect`: web-sys's `Navigator` binding is not enabled).
fn navigator() -> JsValue {
    get(&window(), "navigator").unwrap_or(JsValue::UNDEFINED)
}

fn public_key_credential() -> Option<JsValue> {
    get(&window(), "PublicKeyCredential")
}

/// `true` when this browser can run our passkey ceremonies (WebAuthn with the JSON helpers:
/// Chromium 129+, Safari 18.4+, Firefox 119+) on `rp_id`'s host or a subdomain of it.
pub fn passkeys_supported(rp_id: &str) -> bool {
    let host = window().location().hostname().unwrap_or_default();
    let on_site = host == rp_id || host.ends_with(&format!(".{rp_id}"));
    let api = public_key_credential();
    on_site
        && api.as_ref().is_some_and(|pkc| {
            method(pkc, "parseCreationOptionsFromJSON").is_some()
                && method(pkc, "parseRequestOptionsFromJSON").is_some()
        })
        && get(&navigator(), "credentials").is_some()
}

/// `true` when the browser offers passkeys in the autofill of an `autocomplete="… webauthn"`
/// field (conditional mediation).
pub async fn conditional_mediation_available() -> bool {
    let Some(pkc) = public_key_credential() else {
        return false;
    };
    let Some(check) = method(&pkc, "isConditionalMediationAvailable") else {
        return false;
    };
    match check
        .call0(&pkc)
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok())
    {
        Some(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        None => false,
    }
}

/// A new `AbortController`, to end a conditional request when the page starts another.
pub fn abort_controller() -> Option<JsValue> {
    let ctor: Function = get(&window(), "AbortController")?.dyn_into().ok()?;
    Reflect::construct(&ctor, &Array::new()).ok()
}

/// Aborts the request tied to `controller`.
pub fn abort(controller: &JsValue) {
    if let Some(abort) = method(controller, "abort") {
        let _ = abort.call0(controller);
    }
}

/// Runs `navigator.credentials.create` with the server's creation options (JSON text) and
/// answers the new credential as JSON text for the server.
pub async fn create_passkey(options_json: &str) -> Result<String, WebAuthnFailure> {
    let public_key = parse_options(options_json, "parseCreationOptionsFromJSON")?;
    let request = Object::new();
    set(&request, "publicKey", &public_key)?;
    credentials_call("create", &request).await
}

/// Runs `navigator.credentials.get` with the server's request options (JSON text): through
/// the autofill when `conditional`, else as a prompt; `signal` aborts it. Answers the
/// assertion as JSON text for the server.
pub async fn get_passkey(
    options_json: &str,
    conditional: bool,
    signal: Option<&JsValue>,
) -> Result<String, WebAuthnFailure> {
    let public_key = parse_options(options_json, "parseRequestOptionsFromJSON")?;
    let request = Object::new();
    set(&request, "publicKey", &public_key)?;
    if conditional {
        set(&request, "mediation", &JsValue::from_str("conditional"))?;
    }
    if let Some(signal) = signal {
        set(&request, "signal", signal)?;
    }
    credentials_call("get", &request).await
}

fn failed(what: &str) -> WebAuthnFailure {
    WebAuthnFailure::Failed(what.to_owned())
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), WebAuthnFailure> {
    Reflect::set(target, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| failed("set"))
}

/// `PublicKeyCredential[parser](JSON.parse(options_json).publicKey)`.
fn parse_options(options_json: &str, parser: &str) -> Result<JsValue, WebAuthnFailure> {
    let options = JSON::parse(options_json).map_err(|_| failed("options are not JSON"))?;
    let public_key = get(&options, "publicKey").ok_or_else(|| failed("no publicKey"))?;
    let pkc = public_key_credential().ok_or_else(|| failed("no WebAuthn"))?;
    let parse = method(&pkc, parser).ok_or_else(|| failed(parser))?;
    parse
        .call1(&pkc, &public_key)
        .map_err(|e| failed(&describe(&e)))
}

/// `navigator.credentials[name](request)`, then `credential.toJSON()` as text.
async fn credentials_call(name: &str, request: &Object) -> Result<String, WebAuthnFailure> {
    let credentials =
        get(&navigator(), "credentials").ok_or_else(|| failed("no credentials API"))?;
    let call = method(&credentials, name).ok_or_else(|| failed(name))?;
    let promise: Promise = call
        .call1(&credentials, request)
        .map_err(|e| failed(&describe(&e)))?
        .dyn_into()
        .map_err(|_| failed("not a promise"))?;
    let credential = JsFuture::from(promise).await.map_err(|error| {
        match get(&error, "name").and_then(|n| n.as_string()).as_deref() {
            Some("NotAllowedError" | "AbortError") => WebAuthnFailure::Cancelled,
            Some("InvalidStateError") => WebAuthnFailure::AlreadyRegistered,
            _ => failed(&describe(&error)),
        }
    })?;
    if credential.is_null() || credential.is_undefined() {
        return Err(WebAuthnFailure::Cancelled);
    }
    let to_json = method(&credential, "toJSON").ok_or_else(|| failed("no toJSON"))?;
    let json = to_json
        .call0(&credential)
        .map_err(|e| failed(&describe(&e)))?;
    JSON::stringify(&json)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| failed("credential not serialisable"))
}

fn describe(error: &JsValue) -> String {
    get(error, "message")
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

thread_local! {
    /// The abort controller of the autofill (conditional) request in flight, if any.
    static CONDITIONAL: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
}

/// Ends the autofill request in flight (before a prompt, or when leaving the page).
pub fn abort_conditional() {
    if let Some(controller) = CONDITIONAL.with(|c| c.borrow_mut().take()) {
        abort(&controller);
    }
}

/// Keeps `controller` as the autofill request in flight, ending any earlier one.
pub fn set_conditional(controller: JsValue) {
    abort_conditional();
    CONDITIONAL.with(|c| *c.borrow_mut() = Some(controller));
}
