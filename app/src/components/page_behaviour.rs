//! The one island every page carries: marks the page interactive and moves focus to the
//! step's field on arrival and after each error, also after islands-router transitions
//! (which swap the HTML in place, so `autofocus` alone does nothing).

use leptos::prelude::*;

/// Renders nothing; in the browser it sets `main[data-hydrated]` and watches `main` for
/// page changes.
#[island]
pub fn PageBehaviour() -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::install();
    });
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::document;
    use std::cell::RefCell;
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{HtmlInputElement, MutationObserver, MutationObserverInit};

    thread_local! {
        /// What the page showed when focus was last placed: URL and error texts.
        static LAST: RefCell<String> = const { RefCell::new(String::new()) };
    }

    /// The URL plus the field error texts: it changes on a new step or a new error, not when
    /// a countdown ticks.
    fn signature() -> String {
        let doc = document();
        let href = doc
            .location()
            .and_then(|l| l.href().ok())
            .unwrap_or_default();
        let errors: String = ["number-error", "code-error"]
            .iter()
            .filter_map(|id| doc.get_element_by_id(id))
            .filter_map(|e| e.text_content())
            .collect();
        format!("{href}|{errors}")
    }

    fn on_change() {
        let doc = document();
        if let Ok(Some(main)) = doc.query_selector("main") {
            let _ = main.set_attribute("data-hydrated", "true");
        }
        let now = signature();
        if LAST.with(|last| *last.borrow() == now) {
            return;
        }
        LAST.with(|last| *last.borrow_mut() = now);
        let field = doc
            .query_selector("main input[autofocus]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
        if let Some(input) = field {
            let _ = input.focus();
            if input.get_attribute("aria-invalid").as_deref() == Some("true") {
                input.select();
            }
        }
    }

    pub fn install() {
        on_change();
        let callback = Closure::<dyn FnMut()>::new(on_change);
        let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) else {
            return;
        };
        // Lives as long as the page.
        callback.forget();
        let options = MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        options.set_character_data(true);
        if let Ok(Some(main)) = document().query_selector("main") {
            let _ = observer.observe_with_options(&main, &options);
        }
    }
}
