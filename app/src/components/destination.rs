//! Going where a sign-in leads: a same-site path through the router, another site (an
//! `AUTH_REDIRECT_HOSTS` host, already checked by the server) by loading it.

use leptos::prelude::window;
use leptos_router::NavigateOptions;

/// Navigates to `destination` as the server answered it: a path with `navigate` (no new
/// document), an absolute URL with a full page load.
pub fn go_to(navigate: &impl Fn(&str, NavigateOptions), destination: &str) {
    if destination.starts_with('/') {
        navigate(destination, NavigateOptions::default());
    } else if let Err(error) = window().location().set_href(destination) {
        leptos::logging::error!("could not leave for {destination}: {error:?}");
    }
}

/// `/login?next=<path>` for the page at `path` (its query kept), with the characters that
/// would end or change the `next` value (`&`, `#`, `+`, `%`, spaces, non-ASCII) escaped.
pub fn login_for(path: &str) -> String {
    let mut next = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'&' | b'#' | b'+' | b'%' | b'"' | b'<' | b'>' => {
                next.push_str(&format!("%{byte:02X}"))
            }
            b if b.is_ascii_graphic() => next.push(char::from(b)),
            b => next.push_str(&format!("%{b:02X}")),
        }
    }
    format!("/login?next={next}")
}

#[cfg(test)]
mod tests {
    use super::login_for;

    #[test]
    fn keeps_plain_paths_readable_and_escapes_the_rest() {
        assert_eq!(login_for("/account"), "/login?next=/account");
        assert_eq!(login_for("/a?x=1&y=2"), "/login?next=/a?x=1%26y=2");
        assert_eq!(login_for("/é #"), "/login?next=/%C3%A9%20%23");
    }
}
