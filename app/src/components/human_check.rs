use crate::auth::ChallengeWidget;
use app_core::i18n::{t, use_i18n};
use leptos::html::Div;
use leptos::prelude::*;
use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};
use leptos::web_sys::js_sys::{Function, Object, Reflect};
use leptos::web_sys::Element;

/// The human check (Turnstile or hCaptcha widget) the server asked for before sending a
/// code. Loads the provider's script only now, renders its widget in place (with the action
/// the server names, which siteverify must answer back) and hands each
/// token to `on_token`; every change of `resets` (a token spent or refused) makes the widget
/// ask again. Without JavaScript it says plainly that the check needs it.
#[component]
pub fn HumanCheck(
    /// The widget the server named (provider, public site key, script URL).
    widget: ChallengeWidget,
    /// Receives each token the widget yields.
    on_token: Callback<String>,
    /// Bumped to reset the widget for a new token.
    resets: Signal<u32>,
    /// Set when the widget's script cannot load.
    on_unavailable: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let slot = NodeRef::<Div>::new();
    // Effects run only in a browser running the app: until then the page says the check
    // needs JavaScript (a `<noscript>` is not shown by every browser that has it off).
    let scripted = RwSignal::new(false);
    Effect::new(move |_| scripted.set(true));
    // The widget's id (a string for both providers); no JS value kept, so the server can
    // render and drop this component on any thread.
    let widget_id = StoredValue::new(None::<String>);
    let global = widget.provider.global();
    let widget = StoredValue::new(widget);
    Effect::new(move |_| {
        let Some(slot) = slot.get() else {
            return;
        };
        let element: Element = slot.into();
        let render = move || {
            let (site_key, action) = widget.with_value(|w| (w.site_key.clone(), w.action.clone()));
            let id = provider_api(global).and_then(|api| {
                render_widget(&api, &element, &site_key, action.as_deref(), on_token)
            });
            match id {
                Some(id) => widget_id.set_value(id.as_string()),
                None => on_unavailable.run(()),
            }
        };
        if provider_api(global).is_some() {
            render();
        } else {
            let url = widget.with_value(|w| w.script_url.clone());
            load_script(&url, render, move || on_unavailable.run(()));
        }
    });
    Effect::new(move |previous: Option<u32>| {
        let now = resets.get();
        if previous.is_some_and(|p| p != now) {
            if let (Some(api), Some(id)) = (provider_api(global), widget_id.get_value()) {
                call(&api, "reset", &JsValue::from_str(&id));
            }
        }
        now
    });

    view! {
        <div class="human-check" node_ref=slot></div>
        <p class="hint" hidden=move || scripted.get()>
            {t!(i18n, phone.check_needs_js)}
        </p>
    }
}

/// The provider's global (`window.turnstile`, `window.hcaptcha`) once its script has run.
fn provider_api(global: &str) -> Option<Object> {
    Reflect::get(&window(), &JsValue::from_str(global))
        .ok()
        .filter(JsValue::is_object)
        .map(Object::from)
}

/// `api.render(element, {sitekey, action, callback})`; answers the widget id.
fn render_widget(
    api: &Object,
    element: &Element,
    site_key: &str,
    action: Option<&str>,
    on_token: Callback<String>,
) -> Option<JsValue> {
    let options = Object::new();
    Reflect::set(&options, &"sitekey".into(), &site_key.into()).ok()?;
    if let Some(action) = action {
        Reflect::set(&options, &"action".into(), &action.into()).ok()?;
    }
    let callback = Closure::<dyn Fn(JsValue)>::new(move |token: JsValue| {
        if let Some(token) = token.as_string() {
            on_token.run(token);
        }
    });
    Reflect::set(&options, &"callback".into(), callback.as_ref()).ok()?;
    // The widget calls back for as long as the page lives.
    callback.forget();
    let render: Function = Reflect::get(api, &"render".into()).ok()?.dyn_into().ok()?;
    render.call2(api, element, &options).ok()
}

fn call(api: &Object, method: &str, argument: &JsValue) {
    if let Some(function) = Reflect::get(api, &method.into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    {
        let _ = function.call1(api, argument);
    }
}

/// Appends `<script src=url async>`, calling `loaded` or `failed` when it settles.
fn load_script(url: &str, loaded: impl FnOnce() + 'static, failed: impl FnOnce() + 'static) {
    let document = document();
    let (Ok(script), Some(body)) = (document.create_element("script"), document.body()) else {
        failed();
        return;
    };
    let _ = script.set_attribute("src", url);
    let _ = script.set_attribute("async", "");
    let on_load = Closure::once_into_js(loaded);
    let on_error = Closure::once_into_js(failed);
    let _ = script.add_event_listener_with_callback("load", on_load.unchecked_ref());
    let _ = script.add_event_listener_with_callback("error", on_error.unchecked_ref());
    let _ = body.append_child(&script);
}
