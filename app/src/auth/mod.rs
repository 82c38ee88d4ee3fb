//! The phone-number login: shared types and server functions, plus the server-only service.

pub mod api;
mod error;
mod status;

pub use error::AuthError;
pub use status::{Flash, LoginStatus, LoginStep};

#[cfg(feature = "ssr")]
pub mod server;
