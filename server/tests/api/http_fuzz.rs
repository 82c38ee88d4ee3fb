//! HTTP fuzzing of every server function: 20,000 random and mutated requests by default
//! (`FUZZ_REQUESTS`; `make soak` sends 1,000,000): random bytes, huge fields, bad encodings,
//! wrong methods and content types, missing or forged cookies, each mix of function, method
//! and content type met hundreds of times. No 5xx, no hang, and a normal login still works
//! afterwards.

use crate::helpers::spawn_app_with;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{Method, StatusCode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const WORKERS: usize = 32;
const FUNCTIONS: &[&str] = &[
    "start_login",
    "finish_login",
    "resend_code",
    "change_number",
    "logout",
    "login_status",
    "account",
    "session_end",
    "session_end_others",
    "passkey_sign_in_start",
    "passkey_sign_in_finish",
    "passkey_register_start",
    "passkey_register_finish",
    "passkey_remove",
];
const FIELDS: &[&str] = &[
    "number",
    "code",
    "next",
    "id",
    "credential",
    "end_sessions",
    "x",
    "",
];

/// Requests to send: `FUZZ_REQUESTS`, else 20,000.
fn requests() -> usize {
    std::env::var("FUZZ_REQUESTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000)
}

fn random_bytes(rng: &mut StdRng, max: usize) -> Vec<u8> {
    let len = rng.random_range(0..=max);
    (0..len).map(|_| rng.random()).collect()
}

fn mutated_form(rng: &mut StdRng) -> Vec<u8> {
    let field = FIELDS[rng.random_range(0..FIELDS.len())];
    let value: String = match rng.random_range(0..6) {
        0 => "+447400123456".into(),
        1 => "%".repeat(rng.random_range(1..50)),
        2 => "9".repeat(rng.random_range(1..60_000)),
        3 => "%FF%FE%00%C0%AF".into(),
        4 => "<script>alert(1)</script>&code=1&code=2".into(),
        _ => String::from_utf8_lossy(&random_bytes(rng, 64)).into_owned(),
    };
    let mut body = format!("{field}={value}").into_bytes();
    // Flip a few bytes: encodings the decoder has never seen.
    for _ in 0..rng.random_range(0..3) {
        if !body.is_empty() {
            let at = rng.random_range(0..body.len());
            body[at] = rng.random();
        }
    }
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_to_every_server_function_cause_no_5xx() {
    let requests = requests();
    let app = Arc::new(spawn_app_with(&[("RUST_LOG", "off")]).await);
    let sent = Arc::new(AtomicUsize::new(0));
    let server_errors = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let (app, sent, server_errors) = (app.clone(), sent.clone(), server_errors.clone());
            tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(0x5eed_0000 + worker as u64);
                while sent.fetch_add(1, Ordering::Relaxed) < requests {
                    let function = FUNCTIONS[rng.random_range(0..FUNCTIONS.len())];
                    let method = [
                        Method::POST,
                        Method::POST,
                        Method::POST,
                        Method::GET,
                        Method::PUT,
                        Method::DELETE,
                    ][rng.random_range(0..6)]
                    .clone();
                    let body = if rng.random_bool(0.5) {
                        mutated_form(&mut rng)
                    } else {
                        random_bytes(&mut rng, 512)
                    };
                    let content_type = [
                        "application/x-www-form-urlencoded",
                        "application/json",
                        "text/plain",
                        "multipart/form-data",
                    ][rng.random_range(0..4)];
                    let mut request = app
                        .client
                        .request(method, format!("{}/api/{function}", app.base))
                        .header("content-type", content_type)
                        .body(body);
                    if rng.random_bool(0.3) {
                        request = request.header(
                            "cookie",
                            format!(
                                "session={}",
                                String::from_utf8_lossy(&random_bytes(&mut rng, 40))
                            )
                            .replace(['\r', '\n'], ""),
                        );
                    }
                    if rng.random_bool(0.3) {
                        request = request.header("accept", "text/html");
                    }
                    match request.send().await {
                        Ok(response) if response.status().is_server_error() => {
                            server_errors.fetch_add(1, Ordering::Relaxed);
                            let status = response.status();
                            let body = response.text().await.unwrap_or_default();
                            panic!("{function}: {status}: {body}");
                        }
                        Ok(response) => drop(response.bytes().await),
                        // A forged header the client itself refuses to send is not a server fault.
                        Err(error) if error.is_builder() => {}
                        Err(error) => panic!("request lost: {error:?}"),
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("worker finished without panicking");
    }
    assert_eq!(server_errors.load(Ordering::Relaxed), 0);

    // Still serving a normal login afterwards.
    let visitor = app.other_browser();
    assert_eq!(
        visitor
            .call("start_login", &[("number", "+447400123200")])
            .await
            .status,
        StatusCode::OK
    );
    let code = visitor.latest_code("+447400123200").await;
    assert_eq!(
        visitor
            .call("finish_login", &[("code", &code)])
            .await
            .status,
        StatusCode::OK
    );
    assert!(visitor.get("/").await.body.contains("+44 7400 123200"));
}
