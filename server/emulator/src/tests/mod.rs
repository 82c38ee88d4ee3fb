//! The emulator's wire contract checked with raw HTTP over loopback, one file per topic;
//! `support` has the shared client helpers.

mod channels;
mod credentials;
mod dev_clock;
mod faults;
mod http_v1;
mod http_v2;
mod jwt_auth;
mod message_language;
mod outcome_faults;
mod silent_auth;
mod support;
mod timing_v1;
mod timing_v2;
mod v1_bodies;
