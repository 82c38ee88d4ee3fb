//! Server-only half of the login: the provider port, the session wrapper and the login
//! service the server functions call.

/// Time as a dependency (also used by the emulator, which is why it lives outside `ssr`).
pub use crate::clock;
pub mod challenge;
pub mod channel_choice;
mod context;
pub mod flash_cookie;
pub mod guard;
mod ip_buckets;
mod limit_policy;
mod limit_rule;
pub mod locale;
mod login_session;
pub mod metrics_names;
pub mod passkeys;
pub mod rate_limit;
mod redirect_hosts;
mod request_facts;
mod scope;
pub mod service;
pub mod session_description;
mod signed_in;
pub mod store;
pub mod test_numbers;
pub mod verify_port;

pub use context::AuthContext;
pub use flash_cookie::FlashCookies;
pub use login_session::{LoginSession, PendingLogin, SignedInUser};
pub use redirect_hosts::RedirectHosts;
pub use request_facts::RequestFacts;
pub use scope::{
    error_status_for_fetch, form_redirect, is_html_form_post, keep_flash, keep_notice_for_form,
    request_scope, take_flash_cookie, ClientIp,
};
pub use signed_in::{signed_in, signed_in_with};
pub use store::StoreError;
