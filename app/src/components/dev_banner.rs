use app_core::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

/// Tells developers that no real message is sent and where the codes are.
#[component]
pub fn DevBanner(
    /// Show the banner only when the emulator is the provider.
    show: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    show.then(|| {
        view! {
            <aside class="dev-banner" aria-label=t_string!(i18n, dev.label)>
                {t!(i18n, dev.banner, <outbox> = <a href="/dev/outbox" target="_blank" rel="external noopener" />)}
            </aside>
        }
    })
}
