//! Looking tables up: listing them, and their records (through this node's cache) and current
//! manifests. Bulk listings ([`Catalog::table_records`]) keep many ZooKeeper reads in flight on
//! the one session instead of one round trip after the other.

use std::path::Path;

use futures::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};

use crate::catalog::names::normalize;
use crate::catalog::Catalog;
use crate::storage::manifest;
use crate::storage::records::{Manifest, TableRecord};
use crate::{err, Result};

/// How many ZooKeeper reads a bulk listing keeps in flight at once.
pub const READS_IN_FLIGHT: usize = 64;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct TableName {
    pub schema: String,
    pub table: String,
}

impl Catalog {
    /// Tables of one schema, or of every schema when `schema` is `None`.
    pub async fn list_tables(&self, schema: Option<&str>) -> Result<Vec<TableName>> {
        let schemas = match schema {
            Some(s) => vec![normalize("schema", s)?],
            None => self.list_schemas().await?,
        };
        // one listing per schema, all in flight; `buffered` keeps the schemas' order
        let listed: Vec<(String, Vec<String>)> = futures::stream::iter(schemas)
            .map(|schema| async move {
                let path = self.schema_path(&schema);
                let tables = self.zk.children(&path).await?.unwrap_or_default();
                Ok::<_, crate::Error>((schema, tables))
            })
            .buffered(READS_IN_FLIGHT)
            .try_collect()
            .await?;
        Ok(listed
            .into_iter()
            .flat_map(|(schema, tables)| {
                tables.into_iter().map(move |table| TableName {
                    schema: schema.clone(),
                    table,
                })
            })
            .collect())
    }

    /// The records of every table of `schema` (of every schema when `None`), sorted by schema then
    /// table: one listing, then every record read concurrently (through this node's cache). A
    /// table dropped between the listing and its read is left out.
    pub async fn table_records(&self, schema: Option<&str>) -> Result<Vec<TableRecord>> {
        let names = self.list_tables(schema).await?;
        let mut records: Vec<TableRecord> = futures::stream::iter(names)
            .map(|n| async move { self.get_table(&n.schema, &n.table).await })
            .buffer_unordered(READS_IN_FLIGHT)
            .try_filter_map(|found| async move { Ok(found) })
            .try_collect()
            .await?;
        records.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        Ok(records)
    }

    /// A table record, from this node's cache when a watch has not invalidated it.
    pub async fn get_table(&self, schema: &str, table: &str) -> Result<Option<TableRecord>> {
        let (schema, table) = (normalize("schema", schema)?, normalize("table", table)?);
        let ttl = self.settings().metadata_cache_ttl;
        if let Some(record) = self.live.cache.get(&schema, &table, ttl) {
            return Ok(Some(record));
        }
        let generation = self.live.cache.generation();
        let found = self.get_table_uncached(&schema, &table).await?;
        if let Some(record) = &found {
            if !ttl.is_zero() {
                self.live.cache.put(record, generation);
            }
        }
        Ok(found)
    }

    async fn get_table_uncached(&self, schema: &str, table: &str) -> Result<Option<TableRecord>> {
        Ok(self
            .zk
            .get_json::<TableRecord>(&self.table_path(schema, table))
            .await?
            .map(|(t, _)| t))
    }

    /// Whether the table `record` describes is still in the catalog under its name (read from
    /// ZooKeeper, not the cache): a bulk listing leaves out a table dropped while it ran.
    pub async fn still_exists(&self, record: &TableRecord) -> Result<bool> {
        Ok(self
            .get_table_uncached(&record.schema, &record.name)
            .await?
            .is_some_and(|now| now.id == record.id))
    }

    pub async fn require_table(&self, schema: &str, table: &str) -> Result<TableRecord> {
        self.get_table(schema, table)
            .await?
            .ok_or_else(|| err!(TableNotFound, "table '{schema}.{table}' does not exist"))
    }

    /// The manifest of the table's current snapshot.
    pub async fn current_manifest(&self, table: &TableRecord) -> Result<Manifest> {
        manifest::read(Path::new(&table.metadata_location), &table.current_manifest)
    }
}
