//! Request and response guards: cross-site request refusal, host checks, who may read the
//! developer and operator pages, and security headers.

mod body_limit;
mod client_ip;
mod csrf;
mod dev_guard;
mod headers;
mod host_check;
mod no_store;
mod ops_guard;
mod request_id;

pub use body_limit::buffer_api_bodies;
pub use client_ip::{attach_client_ip, ClientIpSource};
pub use csrf::{reject_cross_site_posts, OriginPolicy};
pub use dev_guard::{only_loopback_peers, DevExposure};
pub use headers::security_headers;
pub use host_check::{known_hosts_only, state_changes_need_a_known_host, HostPolicy};
pub use no_store::no_store_for_personal_answers;
pub use ops_guard::{only_local_operators, OpsExposure};
pub use request_id::{assign_request_id, REQUEST_ID};
