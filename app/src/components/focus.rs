use leptos::html::Input;
use leptos::prelude::*;

/// Focuses the step's field once it is in the page (`autofocus` does nothing after a
/// client-side navigation) and, after a failure, selects what was typed so typing replaces it.
pub fn focus_field(field: NodeRef<Input>, failed: bool) {
    if let Some(input) = field.get() {
        let _ = input.focus();
        if failed {
            input.select();
        }
    }
}
