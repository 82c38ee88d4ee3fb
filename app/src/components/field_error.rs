use leptos::prelude::*;

/// A live region under a form field: always in the page (so screen readers watch it) and
/// filled with the current error message, if any.
#[component]
pub fn FieldError(
    /// The element id that the input's `aria-describedby` points at.
    id: &'static str,
    /// The message to show, or `None` for none.
    #[prop(into)]
    message: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <p id=id class="field-error" role="alert" aria-live="assertive">
            {move || message.get()}
        </p>
    }
}
