//! The middleware that applies the current [`Fault`] to each Vonage-compatible API call (see
//! [`super::faults`] for the contract of each kind).

use super::fault_listener::ResetHandle;
use super::faults::{Call, Fault, FaultSwitch, Operation, VendorApi};
use super::outcomes::{v1_body, v2_problem, Asked};
use super::problem::problem;
use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Map;
use std::sync::Arc;
use std::time::Duration;

/// Largest real body the `truncated` fault reads before cutting it (emulator replies are tiny).
const MAX_BODY_BYTES: usize = 1 << 20;

/// What the `garbage` fault sends: an HTML error page, labelled as JSON.
const GARBAGE: &str = "<html><head><title>502 Bad Gateway</title></head>\
<body><h1>Bad Gateway</h1><p>upstream fault injected by the emulator</p></body></html>\n";

/// Middleware for the API routes: takes one fault from the switch and applies it.
pub(crate) async fn inject(
    State(switch): State<Arc<FaultSwitch>>,
    request: Request,
    next: Next,
) -> Response {
    let fault = switch.take(classify(request.method(), request.uri().path()));
    if fault != Fault::None {
        tracing::info!(
            target: "emulator",
            ?fault,
            method = %request.method(),
            path = request.uri().path(),
            "emulator fault injected"
        );
    }
    match fault {
        Fault::None => next.run(request).await,
        Fault::Latency { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        Fault::Status { status } => status_reply(status),
        Fault::Timeout { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            injected(StatusCode::GATEWAY_TIMEOUT)
        }
        Fault::Reset => reset(&request),
        Fault::Truncated => truncate(next.run(request).await).await,
        Fault::Garbage => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            GARBAGE,
        )
            .into_response(),
        Fault::WrongContentType => {
            let mut response = next.run(request).await;
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            response
        }
        Fault::V1Status { status, parameter } => {
            v1_status_reply(request, status, parameter.as_deref()).await
        }
        Fault::V2Problem { status, parameter } => {
            let path = request.uri().path();
            let asked = Asked {
                operation: classify(request.method(), path).operation,
                request_id: v2_request_id(path),
                cmd: None,
                parameter: parameter.as_deref(),
            };
            v2_problem(status, &asked)
        }
    }
}

/// Which API and operation a call is, from its method and path. Routes of other vendors
/// (none yet) are unknown: only unscoped, vendor-neutral faults reach them.
pub(crate) fn classify(method: &Method, path: &str) -> Call {
    let (api, operation) = match path {
        "/v2/verify" => (VendorApi::VonageV2, Operation::Start),
        "/verify/json" => (VendorApi::VonageV1, Operation::Start),
        "/verify/check/json" => (VendorApi::VonageV1, Operation::Check),
        "/verify/control/json" => (VendorApi::VonageV1, Operation::Control),
        _ if path.starts_with("/v2/Services/") => (VendorApi::Twilio, twilio_operation(path)),
        _ => match path.strip_prefix("/v2/verify/") {
            Some(rest) if rest.ends_with("/next_workflow") || method == Method::DELETE => {
                (VendorApi::VonageV2, Operation::Control)
            }
            Some(_) => (VendorApi::VonageV2, Operation::Check),
            None => return Call::default(),
        },
    };
    Call {
        api: Some(api),
        operation: Some(operation),
    }
}

/// Twilio: `…/Verifications` starts (or resends), `…/VerificationCheck` checks and
/// `…/Verifications/{sid}` cancels or reads.
fn twilio_operation(path: &str) -> Operation {
    if path.ends_with("/VerificationCheck") {
        Operation::Check
    } else if path.ends_with("/Verifications") {
        Operation::Start
    } else {
        Operation::Control
    }
}

/// The `{request_id}` of a v2 path, if it has one.
fn v2_request_id(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/v2/verify/")?;
    Some(rest.strip_suffix("/next_workflow").unwrap_or(rest))
}

/// The v1 answer for `status`, naming the call's `request_id` and `cmd` where the status
/// text does (read from the query string and the form or JSON body).
async fn v1_status_reply(request: Request, status: u8, parameter: Option<&str>) -> Response {
    let call = classify(request.method(), request.uri().path());
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, MAX_BODY_BYTES).await.unwrap_or_default();
    let params = super::v1_params::params(&parts.uri, &parts.headers, &body).unwrap_or_default();
    let asked = Asked {
        operation: call.operation,
        request_id: params.get("request_id").map(String::as_str),
        cmd: params.get("cmd").map(String::as_str),
        parameter,
    };
    axum::Json(v1_body(status, &asked)).into_response()
}

/// A problem reply with `status` (checked to be 400–599 when the fault was set).
fn status_reply(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut response = injected(status);
    if matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    ) {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

fn injected(status: StatusCode) -> Response {
    problem(
        status,
        "injected-fault",
        status.canonical_reason().unwrap_or("Injected fault"),
        format!(
            "Fault injected by the Verify emulator: HTTP {}.",
            status.as_u16()
        ),
        Map::new(),
    )
}

/// Aborts the connection the request came on; the returned reply is never delivered. Served
/// without [`super::Emulator::serve`] (no [`ResetHandle`]), answers 502 instead.
fn reset(request: &Request) -> Response {
    match request.extensions().get::<ConnectInfo<ResetHandle>>() {
        Some(ConnectInfo(handle)) => handle.trigger(),
        None => tracing::warn!(
            target: "emulator",
            "reset fault needs Emulator::serve; answering 502 instead"
        ),
    }
    injected(StatusCode::BAD_GATEWAY)
}

/// The real reply with the first half of its body.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return injected(StatusCode::BAD_GATEWAY),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes.slice(..half(bytes.len()))))
}

/// Where a body of `len` bytes is cut: the middle, always dropping at least one byte.
fn half(len: usize) -> usize {
    len / 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_every_vonage_route() {
        let v2 = Some(VendorApi::VonageV2);
        let v1 = Some(VendorApi::VonageV1);
        for (method, path, api, operation) in [
            (Method::POST, "/v2/verify", v2, Operation::Start),
            (Method::POST, "/v2/verify/abc", v2, Operation::Check),
            (Method::DELETE, "/v2/verify/abc", v2, Operation::Control),
            (
                Method::POST,
                "/v2/verify/abc/next_workflow",
                v2,
                Operation::Control,
            ),
            (Method::GET, "/verify/json", v1, Operation::Start),
            (Method::POST, "/verify/check/json", v1, Operation::Check),
            (Method::POST, "/verify/control/json", v1, Operation::Control),
            (
                Method::POST,
                "/v2/Services/VA1/Verifications",
                Some(VendorApi::Twilio),
                Operation::Start,
            ),
            (
                Method::POST,
                "/v2/Services/VA1/VerificationCheck",
                Some(VendorApi::Twilio),
                Operation::Check,
            ),
            (
                Method::POST,
                "/v2/Services/VA1/Verifications/VE1",
                Some(VendorApi::Twilio),
                Operation::Control,
            ),
        ] {
            let want = Call {
                api,
                operation: Some(operation),
            };
            assert_eq!(classify(&method, path), want, "{method} {path}");
        }
        assert_eq!(classify(&Method::GET, "/elsewhere"), Call::default());
        assert_eq!(v2_request_id("/v2/verify/abc/next_workflow"), Some("abc"));
        assert_eq!(v2_request_id("/v2/verify"), None);
    }

    #[test]
    fn cuts_in_the_middle_and_always_drops_something() {
        assert_eq!(half(0), 0);
        assert_eq!(half(1), 0);
        assert_eq!(half(2), 1);
        assert_eq!(half(41), 20);
    }

    #[tokio::test]
    async fn truncate_keeps_status_and_type_and_cuts_the_body() {
        let full = r#"{"request_id":"c11236f4-00bf-4b89-84ba-88b25df97315"}"#;
        let reply = (
            StatusCode::ACCEPTED,
            [(header::CONTENT_TYPE, "application/json")],
            full,
        )
            .into_response();
        let cut = truncate(reply).await;
        assert_eq!(cut.status(), StatusCode::ACCEPTED);
        assert_eq!(cut.headers()[header::CONTENT_TYPE], "application/json");
        let body = to_bytes(cut.into_body(), MAX_BODY_BYTES)
            .await
            .expect("body");
        assert_eq!(&body[..], &full.as_bytes()[..full.len() / 2]);
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
    }

    #[test]
    fn status_replies_are_problems_with_retry_after_when_useful() {
        let busy = status_reply(503);
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.headers()[header::RETRY_AFTER], "1");
        assert_eq!(
            busy.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        assert_eq!(status_reply(429).headers()[header::RETRY_AFTER], "1");
        let broken = status_reply(500);
        assert_eq!(broken.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(broken.headers().get(header::RETRY_AFTER).is_none());
    }
}
