use leptos::prelude::*;

/// Tells developers that no real message is sent and where the codes are.
#[component]
pub fn DevBanner(
    /// Show the banner only when the emulator is the provider.
    show: bool,
) -> impl IntoView {
    show.then(|| {
        view! {
            <aside class="dev-banner" aria-label="Development mode">
                "Development mode: no SMS is sent. Read your code in the "
                <a href="/dev/outbox" target="_blank" rel="external noopener">"development outbox"</a>
                "."
            </aside>
        }
    })
}
