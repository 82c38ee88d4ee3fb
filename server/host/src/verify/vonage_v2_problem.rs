//! Reading Vonage Verify v2 error answers: RFC 7807 problem bodies, the operator faults
//! behind 401/402/403, and which parameter a 422 names.

use super::{excerpt, truncate_chars};
use app_core::auth::server::verify_port::{ControlFailure, OperatorFault};
use reqwest::StatusCode;
use serde::Deserialize;

/// The operator's mistake behind 401 (credentials), 402 (balance) and 403 (account).
pub(super) fn operator_fault(status: StatusCode) -> Option<OperatorFault> {
    match status {
        StatusCode::UNAUTHORIZED => Some(OperatorFault::Credentials),
        StatusCode::PAYMENT_REQUIRED => Some(OperatorFault::Balance),
        StatusCode::FORBIDDEN => Some(OperatorFault::Account),
        _ => None,
    }
}

pub(super) fn control_failure(status: StatusCode, reply: &[u8]) -> ControlFailure {
    match operator_fault(status) {
        Some(fault) => ControlFailure::OperatorFault(fault, describe(status, reply)),
        None => ControlFailure::Unavailable(describe(status, reply)),
    }
}

/// `to`, `workflow[0].to` and the like name the number.
pub(super) fn is_number_parameter(name: &str) -> bool {
    name == "to" || name.ends_with(".to") || name.ends_with("[to]")
}

/// The RFC 7807 fields we read from an error body; all optional, unknown fields ignored.
#[derive(Default, Deserialize)]
pub(super) struct Problem {
    title: Option<String>,
    detail: Option<String>,
    pub(super) request_id: Option<String>,
    #[serde(default)]
    invalid_parameters: Vec<InvalidParameter>,
}

#[derive(Deserialize)]
struct InvalidParameter {
    name: Option<String>,
}

impl Problem {
    /// The first parameter a 422 names, lower-cased.
    pub(super) fn invalid_parameter(&self) -> Option<String> {
        self.invalid_parameters
            .iter()
            .find_map(|p| p.name.as_deref())
            .map(str::to_ascii_lowercase)
    }
}

pub(super) fn problem(body: &[u8]) -> Problem {
    serde_json::from_slice(body).unwrap_or_default()
}

/// `HTTP <status>: <title>: <detail>` from a problem body, or a raw excerpt, for logs.
pub(super) fn describe(status: StatusCode, body: &[u8]) -> String {
    let problem = problem(body);
    match (problem.title, problem.detail) {
        (None, None) => format!("HTTP {status}: {}", excerpt(body)),
        (title, detail) => format!(
            "HTTP {status}: {}: {}",
            truncate_chars(title.as_deref().unwrap_or("-"), 100),
            truncate_chars(detail.as_deref().unwrap_or("-"), 200)
        ),
    }
}
