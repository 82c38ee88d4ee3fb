use leptos::prelude::*;
use std::sync::OnceLock;

/// The site's stylesheet link, `<link id="leptos" rel="stylesheet" href="/pkg/NAME.HASH.css">`,
/// as `leptos_meta::HashedStylesheet` writes it, but with the name worked out once per
/// process: that component reads cargo-leptos' hash file from disk on every page render.
#[component]
pub fn CachedStylesheet(
    /// Site settings (output name, pkg dir, whether names are hashed).
    options: LeptosOptions,
) -> impl IntoView {
    static HREF: OnceLock<String> = OnceLock::new();
    let href = HREF.get_or_init(|| stylesheet_href(&options)).clone();
    view! { <link id="leptos" rel="stylesheet" href=href /> }
}

/// `/{pkg}/{output_name}[.{css hash}].css`, the hash read from the hash file beside the
/// running binary when `hash_files` is on and the file is there.
fn stylesheet_href(options: &LeptosOptions) -> String {
    let mut name = options.output_name.to_string();
    if options.hash_files {
        let hash_file = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
        let hashes = hash_file.and_then(|path| std::fs::read_to_string(path).ok());
        let css_hash = hashes.as_deref().and_then(|text| {
            text.lines()
                .filter_map(|line| line.trim().split_once(':'))
                .find(|(file, _)| *file == "css")
                .map(|(_, hash)| hash.trim().to_owned())
        });
        if let Some(hash) = css_hash {
            name.push('.');
            name.push_str(&hash);
        }
    }
    format!("/{}/{name}.css", options.site_pkg_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unhashed_names_are_the_output_name() {
        let options = LeptosOptions::builder().output_name("passwordless").build();
        assert_eq!(stylesheet_href(&options), "/pkg/passwordless.css");
    }
}
