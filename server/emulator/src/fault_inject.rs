//! The middleware that applies the current [`Fault`] to each Vonage-compatible API call (see
//! [`super::faults`] for the contract of each kind).

use super::fault_listener::ResetHandle;
use super::faults::{Fault, FaultSwitch};
use super::problem::problem;
use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
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
    let fault = switch.take();
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
    }
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
