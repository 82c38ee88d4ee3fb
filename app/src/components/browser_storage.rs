//! `localStorage` and `sessionStorage` as the browser allows them: storage that is off,
//! blocked or full reads as "nothing remembered" and forgets writes.

use leptos::prelude::*;
use leptos::wasm_bindgen::{JsCast, JsValue};
use leptos::web_sys::js_sys::{Function, Reflect};

/// Which storage: `localStorage` (kept) or `sessionStorage` (this tab, until it closes).
#[derive(Clone, Copy)]
pub enum Storage {
    /// `localStorage`.
    Local,
    /// `sessionStorage`.
    Session,
}

impl Storage {
    fn name(self) -> &'static str {
        match self {
            Self::Local => "localStorage",
            Self::Session => "sessionStorage",
        }
    }

    fn call(self, name: &str) -> Option<(JsValue, Function)> {
        // Reading the storage itself throws where storage is blocked.
        let storage = Reflect::get(&window(), &JsValue::from_str(self.name()))
            .ok()
            .filter(JsValue::is_object)?;
        let function = Reflect::get(&storage, &JsValue::from_str(name))
            .ok()?
            .dyn_into::<Function>()
            .ok()?;
        Some((storage, function))
    }

    /// The value stored under `key`, if any.
    pub fn item(self, key: &str) -> Option<String> {
        let (storage, get) = self.call("getItem")?;
        get.call1(&storage, &JsValue::from_str(key))
            .ok()?
            .as_string()
    }

    /// Stores `value` under `key` (silently nothing when storage is unavailable).
    pub fn set_item(self, key: &str, value: &str) {
        if let Some((storage, set)) = self.call("setItem") {
            let _ = set.call2(&storage, &JsValue::from_str(key), &JsValue::from_str(value));
        }
    }
}
