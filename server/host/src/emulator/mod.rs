//! The host's side of the Verify emulator (the `emulator` crate): the cross-site guard for
//! its developer routes and `server emulator`, the emulator as its own process.

pub mod standalone;
mod time;

pub use time::EmulatorTime;

pub use emulator::*;

/// Wraps the emulator's developer routes (`/dev/faults` changes behaviour) in the same
/// cross-site refusal the site uses, behind a host check (DNS rebinding: 421 unless `Host`
/// is a loopback name or an IP address).
pub fn guard_dev(router: axum::Router) -> axum::Router {
    router
        .layer(axum::middleware::from_fn_with_state(
            crate::security::OriginPolicy::default(),
            crate::security::reject_cross_site_posts,
        ))
        .layer(axum::middleware::from_fn_with_state(
            crate::security::HostPolicy::local_names_or_addresses(),
            crate::security::known_hosts_only,
        ))
}
