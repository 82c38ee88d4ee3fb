//! Documented Vonage error answers the `v1_status` and `v2_problem` faults can force: the v1
//! `status` / `error_text` pairs of the status table and the v2 problem bodies (type, title,
//! detail), worded as Vonage documents them. Vonage documents only the type of v2 401, 402,
//! 403 and 500 ("generic Vonage errors"); their titles and details here are plain wording of
//! that type. Where an answer carries an id the faulted call has none of (v1 "10", v2 409 on
//! start), a fresh id of the right shape is made up.

use super::faults::Operation;
use super::problem::{
    invalid_params, not_found, problem, throttled, unauthorised, WRONG_CREDENTIALS,
};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};

/// The v1 statuses a `v1_status` fault can answer.
pub const V1_STATUSES: [u8; 17] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 16, 17, 19, 20, 29, 101];

/// The HTTP statuses a `v2_problem` fault can answer.
pub const V2_STATUSES: [u16; 9] = [401, 402, 403, 404, 409, 410, 422, 429, 500];

/// What the faulted call asked for, as far as the answer repeats it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Asked<'a> {
    /// The API operation, when known.
    pub operation: Option<Operation>,
    /// The request id in the call (v1 `request_id` parameter, v2 path).
    pub request_id: Option<&'a str>,
    /// v1 `cmd`.
    pub cmd: Option<&'a str>,
    /// The parameter the fault names (v1 "2"/"3", v2 422); else one fitting the operation
    /// (v1: `number`, `code`, `cmd`; v2: `to`, `code`, `request_id`).
    pub parameter: Option<&'a str>,
}

impl Asked<'_> {
    fn v1_parameter(&self) -> &str {
        self.parameter.unwrap_or(match self.operation {
            Some(Operation::Start) | None => "number",
            Some(Operation::Check) => "code",
            Some(Operation::Control) => "cmd",
        })
    }
}

/// The v1 reply body (always sent with HTTP 200) for `status`, one of [`V1_STATUSES`].
pub(crate) fn v1_body(status: u8, asked: &Asked<'_>) -> Value {
    let id = asked.request_id.unwrap_or("");
    let error_text = match status {
        1 => "Throttled".to_owned(),
        2 => format!(
            "Your request is incomplete and missing the mandatory parameter {}",
            asked.v1_parameter()
        ),
        3 => format!("Invalid value for parameter {}", asked.v1_parameter()),
        4 => "Bad credentials".to_owned(),
        5 => "Internal Error".to_owned(),
        6 => match asked.operation {
            Some(Operation::Check) => format!(
                "The Vonage platform was unable to process this message for the following \
                 reason: Request '{id}' was not found or it has been verified already."
            ),
            Some(Operation::Control) => {
                format!("The requestId '{id}' does not exist or its no longer active.")
            }
            _ => "The Vonage platform was unable to process this message for the following \
                  reason: Could not route the message."
                .to_owned(),
        },
        7 => "The number you are trying to verify is blacklisted for verification.".to_owned(),
        8 => "The api_key you supplied is for an account that has been barred from submitting \
              messages."
            .to_owned(),
        9 => "Partner quota exceeded".to_owned(),
        10 => "Concurrent verifications to the same number are not allowed".to_owned(),
        15 => "The destination number is not in a supported network".to_owned(),
        16 => "The code provided does not match the expected value".to_owned(),
        17 => "The wrong code was provided too many times. Request terminated".to_owned(),
        19 if asked.cmd == Some("trigger_next_event") => {
            format!("No more events are left to execute for the request ['{id}']")
        }
        19 => {
            format!("Verification request ['{id}'] can't be cancelled within the first 30 seconds.")
        }
        20 => "This account does not support the parameter: pin_code.".to_owned(),
        29 => "Non-Permitted Destination".to_owned(),
        _ => "No response found".to_owned(),
    };
    let mut body = json!({ "status": status.to_string(), "error_text": error_text });
    if status == 10 {
        // A made-up live request: the fault has no real one to point at.
        body["request_id"] = Value::String(uuid::Uuid::new_v4().simple().to_string());
    } else if status == 7 {
        body["network"] = Value::String("23410".to_owned());
    } else if let Some(id) = asked
        .request_id
        .filter(|_| asked.operation == Some(Operation::Check))
    {
        body["request_id"] = Value::String(id.to_owned());
    }
    body
}

/// The v2 problem reply for `status`, one of [`V2_STATUSES`].
pub(crate) fn v2_problem(status: u16, asked: &Asked<'_>) -> Response {
    let none = Map::new;
    match status {
        401 => unauthorised(WRONG_CREDENTIALS.to_owned()),
        402 => problem(
            StatusCode::PAYMENT_REQUIRED,
            "low-balance",
            "Low balance",
            "This request could not be performed due to your account balance being low.".to_owned(),
            none(),
        ),
        403 => problem(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Forbidden",
            "Your account does not have permission to perform this action.".to_owned(),
            none(),
        ),
        404 => not_found(asked.request_id.unwrap_or("")),
        409 => match asked.operation {
            Some(Operation::Check) => problem(
                StatusCode::CONFLICT,
                "no-code",
                "Conflict",
                "The current Verify workflow step does not support a code.".to_owned(),
                none(),
            ),
            Some(Operation::Control) => problem(
                StatusCode::CONFLICT,
                "no-events",
                "Conflict",
                "There are no more events left to trigger.".to_owned(),
                none(),
            ),
            _ => problem(
                StatusCode::CONFLICT,
                "conflict",
                "Conflict",
                "Concurrent verifications to the same number are not allowed".to_owned(),
                // A made-up live request: the fault has no real one to point at.
                [(
                    "request_id".to_owned(),
                    Value::String(uuid::Uuid::new_v4().to_string()),
                )]
                .into_iter()
                .collect(),
            ),
        },
        410 => problem(
            StatusCode::GONE,
            "expired",
            "Invalid Code",
            "An incorrect code has been provided too many times. Workflow terminated.".to_owned(),
            none(),
        ),
        422 => {
            let name = asked.parameter.unwrap_or(match asked.operation {
                Some(Operation::Start) | None => "to",
                Some(Operation::Check) => "code",
                Some(Operation::Control) => "request_id",
            });
            invalid_params(vec![(name, "Invalid value")])
        }
        429 => throttled(),
        _ => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal-error",
            "Internal Error",
            "Something went wrong.".to_owned(),
            none(),
        ),
    }
}
