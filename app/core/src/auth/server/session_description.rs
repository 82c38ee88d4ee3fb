//! How a session is described on `/account`: the browser and system it signed in from, and a
//! coarse network (no address database: the address's own prefix).

use crate::i18n::{td_string, Locale};
use std::net::IpAddr;

/// Browser and system of `user_agent` ("Firefox on Linux"), or "Unknown browser".
pub fn device_name(user_agent: Option<&str>) -> String {
    match super::passkeys::browser_and_system(user_agent) {
        Some(name) if name.starts_with("on ") => format!("Unknown browser {name}"),
        Some(name) => name,
        None => "Unknown browser".to_owned(),
    }
}

/// The network of `ip`, coarse enough to say where without naming the address: an IPv4
/// `/24`, an IPv6 `/48`; "This computer" for loopback; "Unknown network" without one.
pub fn coarse_network(ip: Option<IpAddr>) -> String {
    match ip.map(canonical) {
        None => "Unknown network".to_owned(),
        Some(ip) if ip.is_loopback() => "This computer".to_owned(),
        Some(IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            let private = if v4.is_private() {
                "Local network "
            } else {
                ""
            };
            format!("{private}{a}.{b}.{c}.0/24")
        }
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    }
}

/// A stored device description ([`device_name`]: written once, in English, at sign-in) in
/// `locale`: "Firefox on Linux" becomes "Firefox en Linux"; browser and system names stay.
pub fn device_in(locale: Locale, stored: &str) -> String {
    let unknown = td_string!(locale, sessions.unknown_browser);
    let (browser, system) = match stored.split_once(" on ") {
        Some((browser, system)) => (browser, Some(system)),
        None => (stored, None),
    };
    let browser = if browser == "Unknown browser" {
        unknown
    } else {
        browser
    };
    match system {
        Some(system) => td_string!(locale, sessions.device, browser = browser, system = system),
        None => browser.to_owned(),
    }
}

/// A stored network description ([`coarse_network`], English) in `locale`; the address
/// prefix itself stays as it is.
pub fn network_in(locale: Locale, stored: &str) -> String {
    match stored {
        "This computer" => td_string!(locale, sessions.this_computer).to_owned(),
        "Unknown network" => td_string!(locale, sessions.unknown_network).to_owned(),
        other => match other.strip_prefix("Local network ") {
            Some(prefix) => td_string!(locale, sessions.local_network, prefix = prefix),
            None => other.to_owned(),
        },
    }
}

/// An IPv4 address mapped into IPv6 reads as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_coarse_and_say_what_they_are() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().expect("address"));
        assert_eq!(coarse_network(ip("203.0.113.77")), "203.0.113.0/24");
        assert_eq!(coarse_network(ip("::ffff:203.0.113.77")), "203.0.113.0/24");
        assert_eq!(
            coarse_network(ip("192.168.1.20")),
            "Local network 192.168.1.0/24"
        );
        assert_eq!(
            coarse_network(ip("2001:db8:1234:5678::1")),
            "2001:db8:1234::/48"
        );
        assert_eq!(coarse_network(ip("127.0.0.1")), "This computer");
        assert_eq!(coarse_network(ip("::1")), "This computer");
        assert_eq!(coarse_network(None), "Unknown network");
    }

    #[test]
    fn devices_are_named_by_browser_and_system() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(device_name(Some(firefox)), "Firefox on Linux");
        assert_eq!(device_name(Some("curl/8.0")), "Unknown browser");
        assert_eq!(device_name(None), "Unknown browser");
    }
}
