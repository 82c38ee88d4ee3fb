//! The host's side of the Verify emulator (the `emulator` crate): the cross-site guard for
//! its developer routes and `server emulator`, the emulator as its own process.

pub mod standalone;

pub use emulator::*;

/// Wraps the emulator's developer routes (`/dev/faults` changes behaviour) in the same
/// cross-site refusal the site uses.
pub fn guard_dev(router: axum::Router) -> axum::Router {
    router.layer(axum::middleware::from_fn_with_state(
        crate::security::OriginPolicy::default(),
        crate::security::reject_cross_site_posts,
    ))
}
