//! Per-node cache of table records. Watch events on `<root>/schemas` invalidate entries; a
//! reconnect clears everything (events can be lost across one); entries also expire after the
//! metadata cache lifetime. Only records that exist are cached, so a table created elsewhere is
//! never hidden by a cached "not found".

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::storage::records::TableRecord;

#[derive(Default)]
pub struct TableCache {
    entries: Mutex<HashMap<(String, String), (TableRecord, Instant)>>,
    /// Bumped by every invalidation: a record read before one must not be cached after it.
    generation: AtomicU64,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
}

impl TableCache {
    pub fn get(&self, schema: &str, table: &str, ttl: Duration) -> Option<TableRecord> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let found = entries
            .get(&(schema.to_string(), table.to_string()))
            .filter(|(_, at)| at.elapsed() < ttl)
            .map(|(r, _)| r.clone());
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Take before reading a record from ZooKeeper, and hand to `put`.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Caches `record`, read when the cache was at `generation`, unless something was invalidated
    /// since (the record may be stale already).
    pub fn put(&self, record: &TableRecord, generation: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        entries.insert(
            (record.schema.clone(), record.name.clone()),
            (record.clone(), Instant::now()),
        );
    }

    /// Forgets what a change at `relative` (a path below `<root>/schemas/`) can affect.
    pub fn invalidate(&self, relative: &str) {
        let mut parts = relative.split('/');
        let (schema, table) = (parts.next().unwrap_or(""), parts.next());
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        match table {
            Some(t) => {
                entries.remove(&(schema.to_string(), t.to_string()));
            }
            None => entries.retain(|(s, _), _| s != schema),
        }
    }

    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
