//! Metric names recorded by the login (exported in Prometheus format by the server at
//! `/metrics`). Counters go through the `metrics` facade: without a recorder they cost nothing.

/// Codes sent, by `channel` (`sms`, `voice`).
pub const CODE_SENDS: &str = "passwordless_code_sends_total";
/// Code checks, by `outcome` (`ok`, `wrong`, `exhausted`, `expired`, `throttled`, `error`).
pub const CODE_CHECKS: &str = "passwordless_code_checks_total";
/// Successful sign-ins.
pub const SIGN_INS: &str = "passwordless_sign_ins_total";
/// Metric: sign-ins of test numbers (`TEST_NUMBERS`), which send nothing.
pub const TEST_NUMBER_SIGN_INS: &str = "passwordless_test_number_sign_ins_total";
/// Requests refused by a limit, by `scope` (`number`, `ip`, `session`, `global`, `checks`).
pub const LIMIT_HITS: &str = "passwordless_limit_hits_total";
/// Session or counter store failures.
pub const STORE_ERRORS: &str = "passwordless_store_errors_total";

/// Counts one code check with its outcome.
pub fn check(outcome: &'static str) {
    metrics::counter!(CODE_CHECKS, "outcome" => outcome).increment(1);
}

/// Counts one refusal by a limit.
pub fn limit_hit(scope: &'static str) {
    metrics::counter!(LIMIT_HITS, "scope" => scope).increment(1);
}

/// Counts one code sent on `channel`.
pub fn send(channel: &'static str) {
    metrics::counter!(CODE_SENDS, "channel" => channel).increment(1);
}

/// Sign-ins with a passkey (each one a sign-in without a message).
pub const PASSKEY_SIGN_INS: &str = "passwordless_passkey_sign_ins_total";
/// Messages not sent because a passkey signed the person in instead (one per passkey
/// sign-in: the SMS a phone sign-in would have sent at least).
pub const MESSAGES_AVOIDED: &str = "passwordless_messages_avoided_total";
/// Passkey events, by `event` (`added`, `removed`, `refused`).
pub const PASSKEY_EVENTS: &str = "passwordless_passkey_events_total";

/// Counts one passkey event.
pub fn passkey_event(event: &'static str) {
    metrics::counter!(PASSKEY_EVENTS, "event" => event).increment(1);
}
