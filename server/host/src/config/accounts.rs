//! `ACCOUNT_STORE`: where accounts live; `ACCOUNT_STORE_TIMEOUT_MS`: how long PostgreSQL
//! may take.

use super::ConfigError;
use std::path::PathBuf;
use std::time::Duration;

/// `ACCOUNT_STORE_TIMEOUT_MS` by default: a stuck database answers 503 within a few seconds.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// Where accounts live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountStoreConfig {
    /// `memory`: lost on restart; for tests.
    Memory,
    /// `sqlite://PATH`: a file, created if missing (default `sqlite://data/accounts.db`).
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`: shared by every instance pointed at it.
    Postgres {
        /// The connection URL (its password is never printed).
        url: String,
        /// `ACCOUNT_STORE_TIMEOUT_MS` (default 3000): PostgreSQL's `statement_timeout` on
        /// every connection, and the longest wait for a free connection.
        timeout: Duration,
    },
}

/// Reads `ACCOUNT_STORE`.
pub(super) fn parse_account_store(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<AccountStoreConfig, ConfigError> {
    let raw = get("ACCOUNT_STORE").unwrap_or_else(|| "sqlite://data/accounts.db".to_owned());
    let timeout = parse_timeout(get)?;
    let sqlite = raw.strip_prefix("sqlite://").filter(|p| !p.is_empty());
    let postgres = url::Url::parse(&raw)
        .is_ok_and(|u| matches!(u.scheme(), "postgres" | "postgresql") && u.host().is_some());
    if raw == "memory" {
        Ok(AccountStoreConfig::Memory)
    } else if let Some(path) = sqlite {
        Ok(AccountStoreConfig::Sqlite(PathBuf::from(path)))
    } else if postgres {
        Ok(AccountStoreConfig::Postgres { url: raw, timeout })
    } else {
        Err(ConfigError {
            variable: "ACCOUNT_STORE",
            problem: format!(
                "`{}` is not `memory`, `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DB`",
                redacted(&raw)
            ),
        })
    }
}

/// Reads `ACCOUNT_STORE_TIMEOUT_MS` (100–60000, default 3000).
fn parse_timeout(get: &impl Fn(&str) -> Option<String>) -> Result<Duration, ConfigError> {
    let Some(raw) = get("ACCOUNT_STORE_TIMEOUT_MS") else {
        return Ok(DEFAULT_TIMEOUT);
    };
    match raw.parse::<u64>() {
        Ok(ms) if (100..=60_000).contains(&ms) => Ok(Duration::from_millis(ms)),
        _ => Err(ConfigError {
            variable: "ACCOUNT_STORE_TIMEOUT_MS",
            problem: format!("`{raw}` is not a number of milliseconds from 100 to 60000"),
        }),
    }
}

/// The setting as it may be printed: a password in it is hidden.
fn redacted(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        _ => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: Option<&str>) -> Result<AccountStoreConfig, ConfigError> {
        parse_account_store(&|name: &str| {
            (name == "ACCOUNT_STORE").then(|| value.map(str::to_owned))?
        })
    }

    fn parse_with_timeout(url: &str, timeout: &str) -> Result<AccountStoreConfig, ConfigError> {
        parse_account_store(&|name: &str| match name {
            "ACCOUNT_STORE" => Some(url.to_owned()),
            "ACCOUNT_STORE_TIMEOUT_MS" => Some(timeout.to_owned()),
            _ => None,
        })
    }

    #[test]
    fn sqlite_by_default_memory_or_postgres_on_request() {
        assert_eq!(
            parse(None).expect("default"),
            AccountStoreConfig::Sqlite("data/accounts.db".into())
        );
        assert_eq!(
            parse(Some("memory")).expect("memory"),
            AccountStoreConfig::Memory
        );
        let url = "postgres://app:pw@127.0.0.1:5432/passwordless";
        assert_eq!(
            parse(Some(url)).expect("pg"),
            AccountStoreConfig::Postgres {
                url: url.into(),
                timeout: Duration::from_secs(3),
            }
        );
    }

    #[test]
    fn postgres_statements_time_out_after_three_seconds_unless_set() {
        let url = "postgres://app:pw@127.0.0.1:5432/passwordless";
        assert_eq!(
            parse_with_timeout(url, "500").expect("valid"),
            AccountStoreConfig::Postgres {
                url: url.into(),
                timeout: Duration::from_millis(500),
            }
        );
        for bad in ["0", "99", "60001", "3s", "-1"] {
            let e = parse_with_timeout(url, bad).expect_err(bad);
            assert_eq!(e.variable, "ACCOUNT_STORE_TIMEOUT_MS", "{bad}");
        }
    }

    #[test]
    fn a_bad_value_names_the_variable_and_hides_a_password() {
        for bad in [
            "mysql://u:secretpw@h/db",
            "sqlite://",
            "postgres://",
            "redis://h:6379",
        ] {
            let e = parse(Some(bad)).expect_err(bad);
            assert_eq!(e.variable, "ACCOUNT_STORE");
            assert!(!e.problem.contains("secretpw"), "{}", e.problem);
        }
    }
}
