use crate::auth::api::SilentResult;
use crate::auth::{Flash, SilentOutcome};
use crate::components::{go_to, CarriedNote};
use app_core::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

/// `/login/silent`: where the mobile network sends the browser back after silent
/// authentication, with `#request_id=…&code=…` (or `#error=…`) in the address fragment,
/// which only the page's script can read. It hands them to the `silent_result` server
/// function and goes on: signed in, or to the code step saying a code is on its way.
/// Without JavaScript the fragment never leaves the browser: the page offers "Send me a
/// code instead" (a plain post), hidden once the script runs.
#[component]
pub fn SilentReturnPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let report = ServerAction::<SilentResult>::new();
    let error = RwSignal::new(None::<String>);
    // Until the script runs, the page is what a browser without JavaScript keeps.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| {
        hydrated.set(true);
        let fragment = window().location().hash().unwrap_or_default();
        report.dispatch(from_fragment(&fragment));
    });
    let navigate = use_navigate();
    Effect::new(move |_| match report.value().get() {
        Some(Ok(SilentOutcome::SignedIn(destination))) => go_to(&navigate, &destination),
        Some(Ok(SilentOutcome::CodeSent(note))) => {
            CarriedNote::leave(Flash {
                notice: Some(note),
                ..Flash::default()
            });
            navigate("/verify", Default::default());
        }
        Some(Err(failure)) if failure.restarts_login() => {
            CarriedNote::leave(Flash {
                error: Some(failure),
                ..Flash::default()
            });
            navigate("/login", Default::default());
        }
        Some(Err(failure)) => error.set(Some(failure.message(locale))),
        None => {}
    });
    view! {
        <Title text=t_string!(i18n, silent.title) />
        <section class="card">
            <h1>{t!(i18n, silent.title)}</h1>
            <p role="status">{t!(i18n, silent.returning)}</p>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <div hidden=move || hydrated.get()>
                <p>{t!(i18n, silent.no_result)}</p>
                <form method="post" action=SilentResult::url()>
                    <button type="submit">{t!(i18n, silent.send_code)}</button>
                </form>
            </div>
            <Show when=move || error.with(Option::is_some)>
                <a class="button" href="/verify">{t!(i18n, common.try_again)}</a>
            </Show>
        </section>
    }
}

/// The server function's fields from `#request_id=…&code=…` or `#error=…`.
fn from_fragment(fragment: &str) -> SilentResult {
    let mut result = SilentResult {
        request_id: None,
        code: None,
        error: None,
    };
    let pairs = fragment.trim_start_matches('#').trim_start_matches('?');
    for (key, value) in url_pairs(pairs) {
        match key.as_str() {
            "request_id" => result.request_id = Some(value),
            "code" => result.code = Some(value),
            "error" | "error_description" if result.error.is_none() => result.error = Some(value),
            _ => {}
        }
    }
    result
}

/// `a=1&b=2` as decoded pairs (`%xx` and `+`); a pair that does not decode is skipped.
fn url_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            Some((decode(key)?, decode(value)?))
        })
        .collect()
}

fn decode(raw: &str) -> Option<String> {
    let bytes = raw.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(index + 1..index + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                index += 3;
            }
            byte => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_result_or_the_error_from_the_fragment() {
        let ok = from_fragment("#request_id=c1-23&code=si9s%2BfG");
        assert_eq!(ok.request_id.as_deref(), Some("c1-23"));
        assert_eq!(ok.code.as_deref(), Some("si9s+fG"));
        assert_eq!(ok.error, None);
        let failed = from_fragment("#error=network_not_supported&request_id=c1");
        assert_eq!(failed.error.as_deref(), Some("network_not_supported"));
        let nothing = from_fragment("");
        assert_eq!(
            (nothing.request_id, nothing.code, nothing.error),
            (None, None, None)
        );
        assert_eq!(
            from_fragment("#code=%zz").code,
            None,
            "undecodable pairs are skipped"
        );
    }
}
