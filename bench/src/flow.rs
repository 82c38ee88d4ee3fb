//! One visitor's complete no-JS login, repeated until the time is up.

use crate::server_process::{number, CODE};
use crate::stats::Report;
use reqwest::header::{ACCEPT, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use std::time::{Duration, Instant};

/// Runs `visitors` concurrent visitors for `duration` and collects the results. With several
/// `bases`, each request of a flow goes to the next instance, as a load balancer without
/// sticky sessions would send it.
pub async fn run(bases: &[String], visitors: usize, duration: Duration) -> Report {
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(visitors)
        .build()
        .unwrap_or_default();
    let started = Instant::now();
    let deadline = started + duration;
    let tasks: Vec<_> = (0..visitors)
        .map(|i| {
            let (client, bases) = (client.clone(), bases.to_vec());
            tokio::spawn(async move {
                let (mut ok, mut failed, mut latencies) = (0, 0, Vec::new());
                while Instant::now() < deadline {
                    let t = Instant::now();
                    match one_flow(&client, &bases, i, &number(i)).await {
                        Ok(()) => {
                            ok += 1;
                            latencies.push(t.elapsed());
                        }
                        Err(_) => failed += 1,
                    }
                }
                (ok, failed, latencies)
            })
        })
        .collect();
    let mut report = Report {
        ok: 0,
        failed: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for task in tasks {
        if let Ok((ok, failed, latencies)) = task.await {
            report.ok += ok;
            report.failed += failed;
            report.latencies.extend(latencies);
        }
    }
    report.elapsed = started.elapsed();
    report
}

/// A browser session: just its cookie, and which instance its next request goes to.
struct Visitor<'a> {
    client: &'a Client,
    bases: &'a [String],
    next: usize,
    cookie: Option<String>,
}

impl Visitor<'_> {
    fn base(&mut self) -> String {
        let base = self.bases[self.next % self.bases.len()].clone();
        self.next += 1;
        base
    }

    fn with_cookie(&self, request: RequestBuilder) -> RequestBuilder {
        let request = request.header(ACCEPT, "text/html");
        match &self.cookie {
            Some(cookie) => request.header(COOKIE, cookie.as_str()),
            None => request,
        }
    }

    fn keep_cookie(&mut self, response: &Response) {
        if let Some(cookie) = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("session="))
        {
            self.cookie = cookie.split(';').next().map(str::to_owned);
        }
    }

    async fn get(&mut self, path: &str) -> Result<String, String> {
        let url = format!("{}{path}", self.base());
        let response = self
            .with_cookie(self.client.get(url))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        self.keep_cookie(&response);
        if response.status() != StatusCode::OK {
            return Err(format!("GET {path}: {}", response.status()));
        }
        response.text().await.map_err(|e| e.to_string())
    }

    async fn post(
        &mut self,
        function: &str,
        form: &[(&str, &str)],
        expect_location: &str,
    ) -> Result<(), String> {
        let url = format!("{}/api/{function}", self.base());
        let response = self
            .with_cookie(self.client.post(url).form(form))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        self.keep_cookie(&response);
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if response.status() != StatusCode::SEE_OTHER || location != expect_location {
            return Err(format!(
                "POST {function}: {} to {location}",
                response.status()
            ));
        }
        Ok(())
    }
}

async fn one_flow(
    client: &Client,
    bases: &[String],
    visitor_index: usize,
    number: &str,
) -> Result<(), String> {
    let mut visitor = Visitor {
        client,
        bases,
        next: visitor_index,
        cookie: None,
    };
    visitor.get("/login").await?;
    visitor
        .post("start_login", &[("number", number)], "/verify")
        .await?;
    visitor.get("/verify").await?;
    visitor.post("finish_login", &[("code", CODE)], "/").await?;
    let home = visitor.get("/").await?;
    // The greeting shows the number formatted: +447400100001 as +44 7400 100001.
    let shown = format!("+44 {} {}", &number[3..7], &number[7..]);
    if !home.contains(&shown) {
        return Err("home does not greet the number".into());
    }
    Ok(())
}
