//! The catalog of one Presto catalog: schemas and tables as JSON znodes under the root, snapshots
//! as manifest files, registration of existing Arrow files, and split planning.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::arrow_file;
use crate::commit::LockHolder;
use crate::config::CatalogConfig;
use crate::ddl::NewTable;
use crate::live::Live;
use crate::locations;
use crate::manifest;
use crate::membership::preferred_node;
use crate::model::{now_ms, ColumnRecord, DataFile, Manifest, SchemaRecord, TableRecord};
use crate::names::normalize;
use crate::pruning::{file_may_match, ColumnDomain};
use crate::runtime;
use crate::settings::Settings;
use crate::types::presto_type_of_field;
use crate::zk::ZkSession;
use crate::{err, Result};

pub struct Catalog {
    config: CatalogConfig,
    zk: Arc<ZkSession>,
    live: Arc<Live>,
    watcher: tokio::task::JoinHandle<()>,
}

impl Drop for Catalog {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct TableName {
    pub schema: String,
    pub table: String,
}

/// A unit of scan work: a range of record batches of one file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Split {
    /// `host:port` of the registered node that rendezvous hashing of the file picks, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_node: Option<String>,
    pub path: String,
    pub batch_start: usize,
    pub batch_end: usize,
    pub bytes: u64,
    pub rows: u64,
}

pub const DEFAULT_SPLIT_BYTES: u64 = 64 << 20;

impl Catalog {
    /// Connects to ZooKeeper and makes sure the catalog's root layout exists.
    pub async fn open(config: CatalogConfig) -> Result<Self> {
        let live = Arc::new(Live::new(
            &config.root,
            config.settings.clone(),
            config.node.clone(),
        )?);
        let zk = Arc::new(ZkSession::connect(&config).await?);
        for dir in ["schemas", "locks", "nodes", "locations"] {
            zk.mkdirs(&format!("{}/{dir}", config.root)).await?;
        }
        live.reload_config(&zk).await?;
        live.ensure_registered(&zk).await?;
        let watcher = runtime::handle().spawn(crate::live::watch(zk.clone(), live.clone()));
        Ok(Catalog {
            config,
            zk,
            live,
            watcher,
        })
    }

    /// Removes this node's registration; the watch stops when the catalog is dropped.
    pub async fn close(&self) {
        self.live.deregister(&self.zk).await;
    }

    pub fn live(&self) -> &Live {
        &self.live
    }

    /// Drops a table from this node's cache right after this node changed it (other nodes hear
    /// of it through their watch).
    pub(crate) fn forget(&self, schema: &str, table: &str) {
        self.live.cache.invalidate(&format!("{schema}/{table}"));
    }

    pub fn settings(&self) -> Settings {
        self.live.settings()
    }

    pub fn config(&self) -> &CatalogConfig {
        &self.config
    }

    pub fn zk(&self) -> &ZkSession {
        &self.zk
    }

    pub(crate) fn path(&self, parts: &[&str]) -> String {
        let mut p = self.config.root.clone();
        for part in parts {
            p.push('/');
            p.push_str(part);
        }
        p
    }

    pub(crate) fn schema_path(&self, schema: &str) -> String {
        self.path(&["schemas", schema])
    }

    pub(crate) fn table_path(&self, schema: &str, table: &str) -> String {
        self.path(&["schemas", schema, table])
    }

    pub async fn list_schemas(&self) -> Result<Vec<String>> {
        Ok(self
            .zk
            .children(&self.path(&["schemas"]))
            .await?
            .unwrap_or_default())
    }

    pub async fn schema_exists(&self, schema: &str) -> Result<bool> {
        let schema = normalize("schema", schema)?;
        Ok(self
            .zk
            .get_json::<SchemaRecord>(&self.schema_path(&schema))
            .await?
            .is_some())
    }

    pub async fn create_schema(&self, schema: &str) -> Result<()> {
        let schema = normalize("schema", schema)?;
        let record = SchemaRecord {
            name: schema.clone(),
            created_at_ms: now_ms(),
        };
        if !self
            .zk
            .create_json(&self.schema_path(&schema), &record)
            .await?
        {
            return Err(err!(SchemaExists, "schema '{schema}' already exists"));
        }
        Ok(())
    }

    /// Drops an empty schema; ZooKeeper itself refuses to delete a znode with children, so a table
    /// created concurrently can never be orphaned.
    pub async fn drop_schema(&self, schema: &str) -> Result<()> {
        let schema = normalize("schema", schema)?;
        match self.zk.delete(&self.schema_path(&schema), None).await? {
            Ok(()) => Ok(()),
            Err(zookeeper_client::Error::NoNode) => {
                Err(err!(SchemaNotFound, "schema '{schema}' does not exist"))
            }
            Err(zookeeper_client::Error::NotEmpty) => Err(err!(
                SchemaNotEmpty,
                "schema '{schema}' still holds tables: drop or unregister them first"
            )),
            Err(e) => Err(err!(ZookeeperError, "cannot drop schema '{schema}': {e}")),
        }
    }

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

    /// Registers Arrow IPC files that another tool wrote as a table: infers the columns from the
    /// first file, checks that every file agrees, and commits a first snapshot that lists them with
    /// their statistics. The data is never moved or changed.
    pub async fn register_table(
        &self,
        schema: &str,
        table: &str,
        path: &str,
    ) -> Result<TableRecord> {
        let (schema, table) = (normalize("schema", schema)?, normalize("table", table)?);
        let location = locations::confine(&self.config, path)?;
        let (schema, table) = self.check_new_table_name(&schema, &table).await?;
        let (columns, files) = describe_files(&location)?;
        let id = uuid::Uuid::new_v4().to_string();
        // Registered data stays where it is; zkarrow's manifests go under the warehouse.
        let metadata_location = self
            .config
            .warehouse
            .join(&schema)
            .join(format!("{table}-{id}"))
            .join("metadata");
        let new = NewTable {
            schema,
            table,
            id,
            location: location.to_string_lossy().to_string(),
            metadata_location: metadata_location.to_string_lossy().to_string(),
            external: true,
            columns,
            properties: Default::default(),
            query_id: None,
        };
        self.publish_table(new, "register", files).await
    }

    /// Removes a registered table: its record goes under the table lock, then what zkarrow
    /// wrote for it (manifests, rows inserted through zkarrow); the registered data files stay.
    pub async fn unregister_table(
        &self,
        schema: &str,
        table: &str,
        holder: LockHolder,
    ) -> Result<()> {
        let record = self.require_table(schema, table).await?;
        if !record.external {
            return Err(err!(
                InvalidArgument,
                "table '{schema}.{table}' was written by zkarrow, not registered: use DROP TABLE"
            ));
        }
        self.drop_table(schema, table, holder).await
    }

    /// Splits of the table's current snapshot: runs of whole record batches of one file, each about
    /// `target_bytes` of Arrow body.
    pub async fn plan_splits(
        &self,
        schema: &str,
        table: &str,
        snapshot_id: Option<i64>,
        domains: &[ColumnDomain],
        target_bytes: Option<u64>,
    ) -> Result<Vec<Split>> {
        let record = self.require_table(schema, table).await?;
        let manifest = self.manifest_at(&record, snapshot_id).await?;
        let files: Vec<DataFile> = manifest
            .files
            .into_iter()
            .filter(|f| file_may_match(f, domains))
            .collect();
        let mut splits = plan_file_splits(&files, target_bytes.unwrap_or(DEFAULT_SPLIT_BYTES));
        let nodes = self.nodes().await?;
        for split in &mut splits {
            split.preferred_node =
                preferred_node(&split.path, &nodes).map(|n| n.http_address.clone());
        }
        Ok(splits)
    }
}

/// Columns and file descriptions of the Arrow files at `location`; every file must have the same
/// column names and Presto types as the first.
fn describe_files(location: &Path) -> Result<(Vec<ColumnRecord>, Vec<DataFile>)> {
    let paths = arrow_file::list_data_files(location)?;
    let mut columns: Option<Vec<ColumnRecord>> = None;
    let mut first_path = String::new();
    let mut files = Vec::with_capacity(paths.len());
    for path in &paths {
        let (schema, file) = arrow_file::describe(path)?;
        let mut these = Vec::with_capacity(schema.fields().len());
        for (i, field) in schema.fields().iter().enumerate() {
            let presto_type = presto_type_of_field(field).map_err(|mut e| {
                e.message = format!("{} (in '{}')", e.message, path.display());
                e
            })?;
            these.push(ColumnRecord {
                id: i as u32 + 1,
                name: field.name().to_lowercase(),
                presto_type,
                file_name: Some(field.name().clone()),
            });
        }
        match &columns {
            None => {
                check_unique_names(&these, path)?;
                columns = Some(these);
                first_path = path.display().to_string();
            }
            Some(expected) => check_same_columns(expected, &these, &first_path, path)?,
        }
        files.push(file);
    }
    Ok((columns.unwrap_or_default(), files))
}

fn check_unique_names(columns: &[ColumnRecord], path: &Path) -> Result<()> {
    for (i, c) in columns.iter().enumerate() {
        if columns[..i].iter().any(|o| o.name == c.name) {
            return Err(err!(
                SchemaMismatch,
                "'{}' has two columns named '{}' (names are case-insensitive in Presto)",
                path.display(),
                c.name
            ));
        }
    }
    Ok(())
}

fn check_same_columns(
    expected: &[ColumnRecord],
    got: &[ColumnRecord],
    first: &str,
    path: &Path,
) -> Result<()> {
    for (i, e) in expected.iter().enumerate() {
        match got.get(i) {
            None => {
                return Err(err!(
                    SchemaMismatch,
                    "'{}' lacks column '{}' that '{first}' has",
                    path.display(),
                    e.name
                ))
            }
            Some(g) if g.name != e.name => {
                return Err(err!(
                    SchemaMismatch,
                    "'{}' has column '{}' where '{first}' has '{}' (position {})",
                    path.display(),
                    g.name,
                    e.name,
                    i + 1
                ))
            }
            Some(g) if g.presto_type != e.presto_type => {
                return Err(err!(
                    SchemaMismatch,
                    "column '{}' is {} in '{}' but {} in '{first}'",
                    e.name,
                    g.presto_type,
                    path.display(),
                    e.presto_type
                ))
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = got.get(expected.len()) {
        return Err(err!(
            SchemaMismatch,
            "'{}' has column '{}' that '{first}' lacks",
            path.display(),
            extra.name
        ));
    }
    Ok(())
}

/// Groups consecutive record batches of each file into splits of about `target_bytes`.
pub fn plan_file_splits(files: &[DataFile], target_bytes: u64) -> Vec<Split> {
    let target = target_bytes.max(1);
    let mut splits = Vec::new();
    for file in files {
        let mut start = 0;
        let (mut bytes, mut rows) = (0u64, 0u64);
        for (i, (&b, &r)) in file.batch_bytes.iter().zip(&file.batch_rows).enumerate() {
            bytes += b;
            rows += r;
            if bytes >= target {
                splits.push(Split {
                    preferred_node: None,
                    path: file.path.clone(),
                    batch_start: start,
                    batch_end: i + 1,
                    bytes,
                    rows,
                });
                start = i + 1;
                bytes = 0;
                rows = 0;
            }
        }
        if start < file.batch_bytes.len() {
            splits.push(Split {
                preferred_node: None,
                path: file.path.clone(),
                batch_start: start,
                batch_end: file.batch_bytes.len(),
                bytes,
                rows,
            });
        }
    }
    splits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(batch_bytes: Vec<u64>) -> DataFile {
        DataFile {
            path: "/f".into(),
            rows: batch_bytes.len() as u64 * 10,
            bytes: batch_bytes.iter().sum(),
            batch_rows: vec![10; batch_bytes.len()],
            batch_bytes,
            columns: Default::default(),
        }
    }

    #[test]
    fn splits_group_batches_by_bytes_and_cover_every_batch_once() {
        let splits = plan_file_splits(&[file(vec![40, 40, 40, 10, 100, 5])], 80);
        let ranges: Vec<_> = splits
            .iter()
            .map(|s| (s.batch_start, s.batch_end))
            .collect();
        assert_eq!(ranges, vec![(0, 2), (2, 5), (5, 6)]);
        assert_eq!(splits.iter().map(|s| s.rows).sum::<u64>(), 60);
    }

    #[test]
    fn a_file_without_batches_makes_no_split() {
        assert!(plan_file_splits(&[file(vec![])], 10).is_empty());
    }
}
