//! `ACCOUNT_STORE`: where accounts live.

use super::ConfigError;
use std::path::PathBuf;

/// Where accounts live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountStoreConfig {
    /// `memory`: lost on restart; for tests.
    Memory,
    /// `sqlite://PATH`: a file, created if missing (default `sqlite://data/accounts.db`).
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`: shared by every instance pointed at it.
    Postgres(String),
}

/// Reads `ACCOUNT_STORE`.
pub(super) fn parse_account_store(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<AccountStoreConfig, ConfigError> {
    let raw = get("ACCOUNT_STORE").unwrap_or_else(|| "sqlite://data/accounts.db".to_owned());
    let sqlite = raw.strip_prefix("sqlite://").filter(|p| !p.is_empty());
    let postgres = url::Url::parse(&raw)
        .is_ok_and(|u| matches!(u.scheme(), "postgres" | "postgresql") && u.host().is_some());
    if raw == "memory" {
        Ok(AccountStoreConfig::Memory)
    } else if let Some(path) = sqlite {
        Ok(AccountStoreConfig::Sqlite(PathBuf::from(path)))
    } else if postgres {
        Ok(AccountStoreConfig::Postgres(raw))
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
        parse_account_store(&|_: &str| value.map(str::to_owned))
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
            AccountStoreConfig::Postgres(url.into())
        );
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
