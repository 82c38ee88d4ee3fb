//! The wait a provider asked for with its last `429 Too Many Requests` (`Retry-After`), so
//! the user and API clients are told the provider's own figure. Throttling is per account,
//! so the hint is shared by every request through one client.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest provider wait passed on (a bogus huge header must not lock users out for days).
const LONGEST: Duration = Duration::from_secs(3600);

/// Until when the provider asked us to wait.
#[derive(Clone, Debug, Default)]
pub(crate) struct Backoff(Arc<Mutex<Option<Instant>>>);

impl Backoff {
    /// Records a 429's `Retry-After` (delta-seconds; an HTTP date or garbage is ignored).
    pub(crate) fn note(&self, headers: &reqwest::header::HeaderMap) {
        let seconds = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if let (Some(seconds), Ok(mut until)) = (seconds, self.0.lock()) {
            *until = Some(Instant::now() + Duration::from_secs(seconds).min(LONGEST));
        }
    }

    /// Whole seconds left of the provider's last requested wait, if any.
    pub(crate) fn remaining_secs(&self) -> Option<u64> {
        let until = (*self.0.lock().ok()?)?;
        let left = until.checked_duration_since(Instant::now())?;
        Some(left.as_secs_f64().ceil() as u64).filter(|s| *s > 0)
    }
}

/// Sends `request`, recording `Retry-After` on a 429; answers status and body.
pub(crate) async fn send_noting(
    request: reqwest::RequestBuilder,
    backoff: &Backoff,
) -> Result<(reqwest::StatusCode, Vec<u8>), String> {
    let response = request.send().await.map_err(super::transport_detail)?;
    let status = response.status();
    if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        backoff.note(response.headers());
    }
    let body = response.bytes().await.map_err(super::transport_detail)?;
    Ok((status, body.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &'static str) -> reqwest::header::HeaderMap {
        let mut map = reqwest::header::HeaderMap::new();
        map.insert(
            reqwest::header::RETRY_AFTER,
            reqwest::header::HeaderValue::from_static(value),
        );
        map
    }

    #[test]
    fn keeps_the_providers_wait_and_ignores_nonsense() {
        let backoff = Backoff::default();
        assert_eq!(backoff.remaining_secs(), None);
        backoff.note(&headers("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(backoff.remaining_secs(), None);
        backoff.note(&headers("17"));
        assert!(matches!(backoff.remaining_secs(), Some(16 | 17)));
        backoff.note(&headers("999999"));
        assert!(backoff.remaining_secs().is_some_and(|s| s <= 3600));
    }
}
