//! The phone-number login: shared types and server functions, plus the server-only service.

mod account;
pub mod api;
mod challenge;
mod error;
mod next;
pub mod passkey_api;
pub mod session_api;
mod signed_in;
mod status;

pub use account::{AccountView, PasskeyView, SessionView};
pub use challenge::{CaptchaProvider, ChallengeWidget, TURNSTILE_ACTION};
pub use error::AuthError;
pub use next::{next_candidate, safe_next};
pub use signed_in::SignedInAccount;
pub use status::{
    Channel, ChannelChoice, Flash, LoginStatus, LoginStep, PendingView, SilentOutcome, SilentView,
};

#[cfg(feature = "ssr")]
pub mod server;
