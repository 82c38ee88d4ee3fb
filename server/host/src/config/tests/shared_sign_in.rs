//! `AUTH_REDIRECT_HOSTS` and `COOKIE_DOMAIN`.

use super::config;
use crate::config::SharedSignIn;

#[test]
fn both_are_off_by_default() {
    let c = config(&[]).expect("defaults are valid");
    assert_eq!(c.shared_sign_in, SharedSignIn::default());
}

#[test]
fn redirect_hosts_are_read_lowercase_with_optional_ports() {
    let c = config(&[(
        "AUTH_REDIRECT_HOSTS",
        " App.example.com, wiki.example.com:8443 ,,127.0.0.1:9000",
    )])
    .expect("valid");
    assert_eq!(
        c.shared_sign_in.redirect_hosts,
        ["app.example.com", "wiki.example.com:8443", "127.0.0.1:9000"]
    );
}

#[test]
fn redirect_hosts_refuse_urls_paths_wildcards_and_bad_ports() {
    for bad in [
        "https://app.example.com",
        "app.example.com/path",
        "*.example.com",
        "app.example.com:0",
        "app.example.com:99999",
        "-app.example.com",
        "app..example.com",
        "user@app.example.com",
    ] {
        let e = config(&[("AUTH_REDIRECT_HOSTS", bad)]).expect_err(bad);
        assert_eq!(e.variable, "AUTH_REDIRECT_HOSTS", "{bad}");
    }
    let many = (0..33)
        .map(|i| format!("h{i}.example.com"))
        .collect::<Vec<_>>();
    let e = config(&[("AUTH_REDIRECT_HOSTS", &many.join(","))]).expect_err("too many");
    assert_eq!(e.variable, "AUTH_REDIRECT_HOSTS");
}

#[test]
fn cookie_domain_is_a_parent_domain_of_the_public_url() {
    let c = config(&[
        ("COOKIE_DOMAIN", ".Example.com"),
        ("PUBLIC_URL", "https://login.example.com"),
    ])
    .expect("valid");
    assert_eq!(
        c.shared_sign_in.cookie_domain.as_deref(),
        Some("example.com")
    );
    let c = config(&[("COOKIE_DOMAIN", "example.com")]).expect("valid without PUBLIC_URL");
    assert_eq!(
        c.shared_sign_in.cookie_domain.as_deref(),
        Some("example.com")
    );
}

#[test]
fn cookie_domain_refuses_top_levels_addresses_and_other_sites() {
    for bad in [
        "com",
        ".com",
        "127.0.0.1",
        "example.com:443",
        "https://example.com",
    ] {
        let e = config(&[("COOKIE_DOMAIN", bad)]).expect_err(bad);
        assert_eq!(e.variable, "COOKIE_DOMAIN", "{bad}");
    }
    let e = config(&[
        ("COOKIE_DOMAIN", ".example.com"),
        ("PUBLIC_URL", "https://login.example.org"),
    ])
    .expect_err("outside");
    assert_eq!(e.variable, "COOKIE_DOMAIN");
    assert!(e.problem.contains("login.example.org"), "{}", e.problem);
}
