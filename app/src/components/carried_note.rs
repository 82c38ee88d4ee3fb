//! A note one step leaves for the next across a client-side navigation: what the server's
//! one-shot flash does for no-JavaScript posts.

use crate::auth::Flash;
use leptos::prelude::*;

/// Provided once by [`crate::App`]; the PIN step leaves the reason a login ended and the
/// number to fill in again, and the phone step takes it when it appears.
#[derive(Clone, Copy, Default)]
pub struct CarriedNote(RwSignal<Option<Flash>>);

impl CarriedNote {
    /// Leaves `note` for the next step (replacing any earlier one).
    pub fn leave(note: Flash) {
        if let Some(carried) = use_context::<Self>() {
            carried.0.set(Some(note));
        }
    }

    /// Takes the note left for this step, if any; it is shown once.
    pub fn take() -> Option<Flash> {
        use_context::<Self>().and_then(|carried| carried.0.try_update(Option::take).flatten())
    }
}
