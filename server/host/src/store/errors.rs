//! The adapters' store failures as the ports' [`StoreError`], one helper per backend, so
//! every SQLite, PostgreSQL and Redis adapter classifies its errors the same way: an answer
//! this code cannot read is [`StoreError::Corrupt`], anything else (connection, pool,
//! timeout, I/O, a refused statement or script) [`StoreError::Unavailable`].

use app_core::auth::server::StoreError;
use fred::error::{Error as RedisError, ErrorKind as RedisErrorKind};

/// A SQLite failure (the session database's counters, locks and blocks; the SQLite
/// account store).
pub(crate) fn sqlite(error: sqlx::Error) -> StoreError {
    from_sqlx("sqlite", &error)
}

/// A PostgreSQL failure (the PostgreSQL account store).
pub(crate) fn postgres(error: sqlx::Error) -> StoreError {
    from_sqlx("postgres", &error)
}

/// A Redis failure (counters, locks and blocks). A reply fred cannot convert to the type
/// asked for (`Parse`, or `NotFound` for a nil where a number or key was expected) is
/// corrupt; anything else is unavailable.
pub(crate) fn redis(error: RedisError) -> StoreError {
    match error.kind() {
        RedisErrorKind::Parse | RedisErrorKind::NotFound => StoreError::corrupt("redis", &error),
        _ => StoreError::unavailable("redis", &error),
    }
}

/// A row or column that cannot be read (missing column, unknown type, undecodable value) is
/// corrupt; anything else is unavailable.
fn from_sqlx(backend: &'static str, error: &sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::ColumnIndexOutOfBounds { .. }
        | sqlx::Error::TypeNotFound { .. } => StoreError::corrupt(backend, error),
        _ => StoreError::unavailable(backend, error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corrupt(error: &StoreError) -> bool {
        matches!(error, StoreError::Corrupt { .. })
    }

    #[test]
    fn unreadable_rows_are_corrupt_and_everything_else_unavailable() {
        let column = sqlite(sqlx::Error::ColumnNotFound("count".into()));
        assert!(corrupt(&column), "{column}");
        assert_eq!(column.backend(), "sqlite");
        let decode = postgres(sqlx::Error::Decode("not a number".into()));
        assert!(corrupt(&decode), "{decode}");
        assert_eq!(decode.backend(), "postgres");
        for error in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::RowNotFound,
            sqlx::Error::Io(std::io::Error::other("disk gone")),
        ] {
            let mapped = sqlite(error);
            assert!(!corrupt(&mapped), "{mapped}");
        }
    }

    #[test]
    fn unconvertible_redis_replies_are_corrupt_and_everything_else_unavailable() {
        for kind in [RedisErrorKind::Parse, RedisErrorKind::NotFound] {
            let mapped = redis(RedisError::new(kind, "odd reply"));
            assert!(corrupt(&mapped), "{mapped}");
            assert_eq!(mapped.backend(), "redis");
        }
        for kind in [
            RedisErrorKind::IO,
            RedisErrorKind::Timeout,
            RedisErrorKind::Canceled,
            RedisErrorKind::Unknown,
        ] {
            let mapped = redis(RedisError::new(kind, "down"));
            assert!(!corrupt(&mapped), "{mapped}");
            assert!(mapped.to_string().ends_with(": down"), "{mapped}");
        }
    }
}
