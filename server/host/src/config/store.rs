//! `SESSION_STORE` (and `REDIS_CA_FILE`): where sessions and rate-limit counters live.

use super::ConfigError;
use std::path::PathBuf;

/// Where sessions live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionStoreConfig {
    /// `memory`: lost on restart; for tests.
    Memory,
    /// `sqlite://PATH`: a file, created if missing.
    Sqlite(PathBuf),
    /// `redis://HOST:PORT[/DB]` or `rediss://…` (TLS): shared by every instance pointed at it.
    Redis(RedisSettings),
}

/// How to reach Redis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisSettings {
    /// `SESSION_STORE`: `redis://` (plain TCP) or `rediss://` (TLS) URL.
    pub url: String,
    /// `REDIS_CA_FILE`: PEM file of extra trusted roots for `rediss://` (a private CA); the
    /// system's roots are always trusted.
    pub ca_file: Option<PathBuf>,
}

impl SessionStoreConfig {
    /// Reads `SESSION_STORE` (default `sqlite://data/sessions.db`) and, for Redis,
    /// `REDIS_CA_FILE`; blank values count as unset.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let fail = |problem: String| ConfigError {
            variable: "SESSION_STORE",
            problem,
        };
        let store = get("SESSION_STORE").unwrap_or_else(|| "sqlite://data/sessions.db".to_owned());
        Ok(match store.as_str() {
            "memory" => Self::Memory,
            s if s.starts_with("sqlite://") && s.len() > "sqlite://".len() => {
                Self::Sqlite(PathBuf::from(&s["sqlite://".len()..]))
            }
            s if s.starts_with("redis://") || s.starts_with("rediss://") => {
                Self::Redis(RedisSettings {
                    url: parse_redis_url(s).map_err(fail)?,
                    ca_file: get("REDIS_CA_FILE").map(PathBuf::from),
                })
            }
            other => return Err(fail(format!(
                "`{other}` is not `memory`, `sqlite://PATH`, `redis://HOST:PORT` or `rediss://HOST:PORT`"
            ))),
        })
    }
}

/// Checks a `redis://` URL names a host (and at most a database number as its path); the
/// client library reads the rest.
fn parse_redis_url(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("`{raw}` is not a URL: {e}"))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{raw}` has no host; use redis://HOST:PORT"));
    }
    let db = url.path().trim_start_matches('/');
    if !db.is_empty() && db.parse::<u8>().is_err() {
        return Err(format!(
            "`{raw}`: the path must be a database number such as /0"
        ));
    }
    Ok(raw.to_owned())
}
