//! Looking tables up: listing them, and their records (through this node's cache) and current
//! manifests.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::catalog::names::normalize;
use crate::catalog::Catalog;
use crate::storage::manifest;
use crate::storage::records::{Manifest, TableRecord};
use crate::{err, Result};

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
        let mut tables = Vec::new();
        for schema in schemas {
            for table in self
                .zk
                .children(&self.schema_path(&schema))
                .await?
                .unwrap_or_default()
            {
                tables.push(TableName {
                    schema: schema.clone(),
                    table,
                });
            }
        }
        Ok(tables)
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
