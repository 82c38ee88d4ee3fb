//! The login's use cases as ordinary async functions: parse, call the provider, move the
//! session between states (signed out → pending → signed in), log an audit event.

mod account;
mod challenge;
mod claims;
mod device_sessions;
mod finish;
mod guard;
mod lifecycle;
#[cfg(test)]
mod lifecycle_model;
mod ownership;
mod passkey_manage;
mod passkey_sign_in;
mod provider_start;
mod resend;
mod sends;
mod silent;
mod start;
mod status;

pub use account::account;
pub use device_sessions::{current_user, end_other_sessions, end_session};
pub use finish::finish_login;
pub use passkey_manage::{
    begin_passkey_registration, finish_passkey_registration, remove_passkey,
    PASSKEY_CHANGE_WINDOW_SECS,
};
pub use passkey_sign_in::{begin_passkey_sign_in, finish_passkey_sign_in};
pub use resend::{change_number, resend_code};
pub use silent::{silent_result, SilentReturn, SILENT_RETURN_PATH};
pub use start::start_login;
pub use status::{logout, status};

use super::rate_limit::LimitRefusal;
use super::{AuthContext, PendingLogin};
use crate::auth::AuthError;

fn expires_at(ctx: &AuthContext, pending: &PendingLogin) -> u64 {
    pending.started_at.saturating_add(ctx.pending_ttl.as_secs())
}

fn is_expired(ctx: &AuthContext, pending: &PendingLogin, now: u64) -> bool {
    now >= expires_at(ctx, pending)
}

fn refusal_error(refusal: LimitRefusal) -> AuthError {
    match refusal {
        LimitRefusal::Limited {
            retry_after_secs, ..
        } => AuthError::TooManyRequests { retry_after_secs },
        LimitRefusal::StoreUnavailable => AuthError::TemporarilyUnavailable,
    }
}

/// The wait for [`AuthError::Throttled`] when the provider named none.
const THROTTLED_RETRY_SECS: u64 = 60;

/// The error for a provider's throttling: its own `Retry-After` when it gave one.
fn throttled(ctx: &AuthContext) -> AuthError {
    AuthError::Throttled {
        retry_after_secs: ctx
            .provider
            .throttled_for_secs()
            .unwrap_or(THROTTLED_RETRY_SECS),
    }
}
