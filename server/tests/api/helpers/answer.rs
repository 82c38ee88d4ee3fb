//! What a request answered: status, headers and body, read once, with the few questions the
//! tests ask of it (a cookie, the session id, a redirect's target).

use reqwest::header::LOCATION;
use reqwest::{Response, StatusCode};

/// A typical JSON (hydrated app) answer.
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    /// The whole `Set-Cookie` line for cookie `name`, if set.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }

    /// Just the value of the `session` cookie, if set.
    pub fn session_id(&self) -> Option<String> {
        self.set_cookie("session").and_then(|line| {
            line.split(';')
                .next()
                .map(|p| p["session=".len()..].to_owned())
        })
    }

    /// The `Location` of a redirect.
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// Reads `response` whole into an [`Answer`].
pub(super) async fn answer(response: reqwest::Result<Response>) -> Answer {
    let response = response.expect("request reaches the server");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body readable");
    Answer {
        status,
        headers,
        body,
    }
}
