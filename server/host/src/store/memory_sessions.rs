//! Sessions in this process (`SESSION_STORE=memory`) that are forgotten once expired:
//! `tower_sessions`' own memory store refuses an expired session but keeps it, so a flood of
//! anonymous visitors would grow the process for as long as it runs.

use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::sync::Mutex;
use tower_sessions::session::{Id, Record};
use tower_sessions::{session_store, SessionStore};

/// Fewest sessions worth a sweep.
const SWEEP_FLOOR: usize = 1024;

/// The records and the size at which expired ones are next swept out.
#[derive(Debug, Default)]
struct Records {
    map: HashMap<Id, Record>,
    sweep_at: usize,
}

impl Records {
    /// Forgets expired records when the map has doubled since the last sweep, so memory
    /// stays within twice the live sessions at an amortised constant cost per write.
    fn sweep_if_grown(&mut self, now: OffsetDateTime) {
        if self.map.len() >= self.sweep_at.max(SWEEP_FLOOR) {
            self.map.retain(|_, record| record.expiry_date > now);
            self.sweep_at = self.map.len() * 2;
        }
    }
}

/// In-process sessions, shared by clones; an expired session reads as absent and is
/// forgotten by the next sweep.
#[derive(Clone, Debug, Default)]
pub struct MemorySessions(Arc<Mutex<Records>>);

impl MemorySessions {
    /// Sessions held now, expired ones not yet swept included (for tests and metrics).
    pub async fn len(&self) -> usize {
        self.0.lock().await.map.len()
    }
}

#[async_trait]
impl SessionStore for MemorySessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let mut records = self.0.lock().await;
        records.sweep_if_grown(OffsetDateTime::now_utc());
        while records.map.contains_key(&record.id) {
            record.id = Id::default();
        }
        records.map.insert(record.id, record.clone());
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let mut records = self.0.lock().await;
        records.sweep_if_grown(OffsetDateTime::now_utc());
        records.map.insert(record.id, record.clone());
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let records = self.0.lock().await;
        let now = OffsetDateTime::now_utc();
        Ok(records
            .map
            .get(id)
            .filter(|record| record.expiry_date > now)
            .cloned())
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.0.lock().await.map.remove(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(expiry_date: OffsetDateTime) -> Record {
        Record {
            id: Id::default(),
            data: HashMap::default(),
            expiry_date,
        }
    }

    #[tokio::test]
    async fn expired_sessions_read_as_absent_and_are_forgotten_as_the_store_grows() {
        let store = MemorySessions::default();
        let past = OffsetDateTime::now_utc() - time::Duration::minutes(1);
        let mut gone = record(past);
        store.create(&mut gone).await.expect("create");
        assert_eq!(store.load(&gone.id).await.expect("load"), None);
        for _ in 0..5000 {
            store.create(&mut record(past)).await.expect("create");
        }
        let future = OffsetDateTime::now_utc() + time::Duration::hours(1);
        let mut live = record(future);
        store.create(&mut live).await.expect("create");
        assert!(
            store.len().await < 2 * SWEEP_FLOOR,
            "{} kept",
            store.len().await
        );
        assert_eq!(store.load(&live.id).await.expect("load"), Some(live));
    }
}
