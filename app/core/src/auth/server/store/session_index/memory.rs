//! The session index in this process (`SESSION_STORE=memory`, tests), under one mutex.

use super::{DeviceSession, SessionIndex, StoreError};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Sessions per account in memory; an account's expired entries are dropped whenever it is
/// written, and an account left with none is forgotten.
#[derive(Default)]
pub struct MemorySessionIndex(Mutex<HashMap<String, Vec<DeviceSession>>>);

impl MemorySessionIndex {
    fn map(&self) -> Result<MutexGuard<'_, HashMap<String, Vec<DeviceSession>>>, StoreError> {
        self.0
            .lock()
            .map_err(|_| StoreError::corrupt("memory", "session index poisoned"))
    }
}

#[async_trait]
impl SessionIndex for MemorySessionIndex {
    async fn add(&self, account: &str, session: &DeviceSession) -> Result<(), StoreError> {
        let mut map = self.map()?;
        let entries = map.entry(account.to_owned()).or_default();
        entries.retain(|s| s.is_live(session.signed_in_at) && s.handle != session.handle);
        entries.push(session.clone());
        Ok(())
    }

    async fn seen(
        &self,
        account: &str,
        handle: &str,
        now: u64,
        network: &str,
    ) -> Result<bool, StoreError> {
        let mut map = self.map()?;
        let Some(entries) = map.get_mut(account) else {
            return Ok(false);
        };
        entries.retain(|s| s.is_live(now));
        let found = match entries.iter_mut().find(|s| s.handle == handle) {
            Some(entry) => {
                if entry.worth_recording(now, network) {
                    entry.last_seen_at = entry.last_seen_at.max(now);
                    network.clone_into(&mut entry.network);
                }
                true
            }
            None => false,
        };
        if entries.is_empty() {
            map.remove(account);
        }
        Ok(found)
    }

    async fn list(&self, account: &str, now: u64) -> Result<Vec<DeviceSession>, StoreError> {
        let map = self.map()?;
        let mut live: Vec<DeviceSession> = map
            .get(account)
            .map(|entries| entries.iter().filter(|s| s.is_live(now)).cloned().collect())
            .unwrap_or_default();
        live.sort_by(|a, b| (a.signed_in_at, &a.handle).cmp(&(b.signed_in_at, &b.handle)));
        Ok(live)
    }

    async fn end(&self, account: &str, handles: &[String]) -> Result<usize, StoreError> {
        let mut map = self.map()?;
        let Some(entries) = map.get_mut(account) else {
            return Ok(0);
        };
        let before = entries.len();
        entries.retain(|s| !handles.contains(&s.handle));
        let ended = before - entries.len();
        if entries.is_empty() {
            map.remove(account);
        }
        Ok(ended)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::server::store::session_index::SignInFactor;

    fn session(handle: &str, at: u64) -> DeviceSession {
        DeviceSession {
            handle: handle.to_owned(),
            signed_in_at: at,
            last_seen_at: at,
            device: "Firefox on Linux".to_owned(),
            network: "203.0.113.0/24".to_owned(),
            factor: SignInFactor::Code,
        }
    }

    #[tokio::test]
    async fn an_ended_session_is_never_seen_again_and_other_accounts_are_untouched() {
        let index = MemorySessionIndex::default();
        index.add("a", &session("one", 1000)).await.expect("add");
        index.add("a", &session("two", 1010)).await.expect("add");
        index.add("b", &session("three", 1020)).await.expect("add");
        assert!(index.seen("a", "one", 1100, "x").await.expect("seen"));
        assert_eq!(index.end("a", &["one".to_owned()]).await, Ok(1));
        assert_eq!(
            index.end("a", &["one".to_owned()]).await,
            Ok(0),
            "counted once"
        );
        assert!(!index.seen("a", "one", 1200, "x").await.expect("seen"));
        assert_eq!(
            index.end("a", &["three".to_owned()]).await,
            Ok(0),
            "not a's"
        );
        let handles =
            |list: Vec<DeviceSession>| list.into_iter().map(|s| s.handle).collect::<Vec<_>>();
        assert_eq!(handles(index.list("a", 1200).await.expect("list")), ["two"]);
        assert_eq!(
            handles(index.list("b", 1200).await.expect("list")),
            ["three"]
        );
    }
}
