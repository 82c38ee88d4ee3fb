//! The one error every store port answers (counters, number locks, guard blocks, accounts),
//! whichever backend keeps them.

use std::fmt::Display;

/// A shared store (memory, SQLite, Redis, PostgreSQL) failed. Callers log it (the detail is
/// for logs only) and answer "temporarily unavailable"; no store detail reaches a user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The store could not be reached or did not answer (connection, pool, timeout, I/O).
    #[error("{backend} store unavailable: {detail}")]
    Unavailable {
        /// The backend: `memory`, `sqlite`, `redis` or `postgres`.
        backend: &'static str,
        /// What failed, for the log.
        detail: String,
    },
    /// The store answered something this code cannot read (an unexpected script answer, an
    /// unreadable row, a poisoned in-process lock).
    #[error("{backend} store answered something unreadable: {detail}")]
    Corrupt {
        /// The backend: `memory`, `sqlite`, `redis` or `postgres`.
        backend: &'static str,
        /// What was unreadable, for the log.
        detail: String,
    },
}

impl StoreError {
    /// [`StoreError::Unavailable`]: `backend` could not be reached or did not answer.
    pub fn unavailable(backend: &'static str, detail: impl Display) -> Self {
        Self::Unavailable {
            backend,
            detail: detail.to_string(),
        }
    }

    /// [`StoreError::Corrupt`]: `backend` answered something this code cannot read.
    pub fn corrupt(backend: &'static str, detail: impl Display) -> Self {
        Self::Corrupt {
            backend,
            detail: detail.to_string(),
        }
    }

    /// The backend that failed (`memory`, `sqlite`, `redis` or `postgres`).
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Unavailable { backend, .. } | Self::Corrupt { backend, .. } => backend,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_backend_and_the_kind() {
        let down = StoreError::unavailable("redis", "timed out");
        assert_eq!(down.to_string(), "redis store unavailable: timed out");
        assert_eq!(down.backend(), "redis");
        let odd = StoreError::corrupt("memory", "lock map poisoned");
        assert_eq!(
            odd.to_string(),
            "memory store answered something unreadable: lock map poisoned"
        );
        assert_eq!(odd.backend(), "memory");
    }
}
