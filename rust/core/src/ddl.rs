//! Creating, publishing, renaming and dropping tables. A table appears in one ZooKeeper create
//! (its first manifest is written before), so a half-made table is never visible.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use zookeeper_client as zk;

use crate::catalog::Catalog;
use crate::manifest;
use crate::model::{now_ms, ColumnRecord, DataFile, Manifest, TableRecord};
use crate::names::normalize;
use crate::presto_type::arrow_type;
use crate::table_writer::Compression;
use crate::{err, ErrorCode, Result};

/// Table properties zkarrow understands (CREATE TABLE ... WITH (...)).
pub const TABLE_PROPERTIES: [&str; 2] = ["compression", "location"];

/// A column as a CREATE TABLE statement names it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ColumnSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub presto_type: String,
    /// The table column's id, when writing into an existing table (stored in the files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u32>,
}

/// A table that has an id and a place but is not in the catalog yet: writers of CREATE TABLE AS
/// write into its location before it is published.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NewTable {
    pub schema: String,
    pub table: String,
    pub id: String,
    pub location: String,
    pub metadata_location: String,
    pub external: bool,
    pub columns: Vec<ColumnRecord>,
    pub properties: BTreeMap<String, String>,
}

impl NewTable {
    pub fn data_dir(&self) -> PathBuf {
        data_dir(&self.metadata_location)
    }
}

/// Where zkarrow writes a table's data files: beside its metadata directory, so that rows inserted
/// into a registered table never land among the files another tool owns.
pub fn data_dir(metadata_location: &str) -> PathBuf {
    let metadata = Path::new(metadata_location);
    metadata.parent().unwrap_or(metadata).join("data")
}

impl Catalog {
    /// Normalizes the name of a table about to be made: its schema must exist and the name be free.
    pub(crate) async fn check_new_table_name(
        &self,
        schema: &str,
        table: &str,
    ) -> Result<(String, String)> {
        let (schema, table) = (normalize("schema", schema)?, normalize("table", table)?);
        if !self.schema_exists(&schema).await? {
            return Err(err!(
                SchemaNotFound,
                "schema '{schema}' does not exist: CREATE SCHEMA it first"
            ));
        }
        if self.get_table(&schema, &table).await?.is_some() {
            return Err(err!(TableExists, "table '{schema}.{table}' already exists"));
        }
        Ok((schema, table))
    }

    /// Validates a new table and gives it an id and a location; writes nothing.
    pub async fn plan_new_table(
        &self,
        schema: &str,
        table: &str,
        columns: &[ColumnSpec],
        properties: &BTreeMap<String, String>,
    ) -> Result<NewTable> {
        let (schema, table) = self.check_new_table_name(schema, table).await?;
        if columns.is_empty() {
            return Err(err!(
                InvalidArgument,
                "table '{schema}.{table}' needs at least one column"
            ));
        }
        let mut records = Vec::with_capacity(columns.len());
        for (i, c) in columns.iter().enumerate() {
            let name = c.name.to_lowercase();
            if records.iter().any(|r: &ColumnRecord| r.name == name) {
                return Err(err!(InvalidArgument, "column '{name}' appears twice"));
            }
            arrow_type(&c.presto_type)?;
            records.push(ColumnRecord {
                id: i as u32 + 1,
                name,
                presto_type: c.presto_type.clone(),
                file_name: None,
            });
        }
        for (key, value) in properties {
            match key.as_str() {
                "compression" => {
                    Compression::from_str(value)?;
                }
                "location" if !Path::new(value).is_absolute() => {
                    return Err(err!(
                        InvalidArgument,
                        "location '{value}' must be an absolute directory path"
                    ))
                }
                "location" => {}
                other => {
                    return Err(err!(
                        InvalidArgument,
                        "unknown table property '{other}'; zkarrow knows {}",
                        TABLE_PROPERTIES.join(", ")
                    ))
                }
            }
        }
        let mut properties = properties.clone();
        if !properties.contains_key("compression") {
            let default = self.settings().get("default_compression");
            properties.insert("compression".into(), default);
        }
        let id = uuid::Uuid::new_v4().to_string();
        let location = match properties.get("location") {
            Some(l) => PathBuf::from(l),
            None => self
                .config()
                .warehouse
                .join(&schema)
                .join(format!("{table}-{id}")),
        };
        Ok(NewTable {
            schema,
            table,
            id,
            metadata_location: location.join("metadata").to_string_lossy().to_string(),
            location: location.to_string_lossy().to_string(),
            external: false,
            columns: records,
            properties,
        })
    }

    /// Writes the first manifest (listing `files`) and creates the table record in one ZooKeeper
    /// create. On failure the manifest is removed again; the data files are the caller's.
    pub async fn publish_table(
        &self,
        new: NewTable,
        operation: &str,
        files: Vec<DataFile>,
    ) -> Result<TableRecord> {
        let metadata_dir = PathBuf::from(&new.metadata_location);
        let first = Manifest::child_of(&new.id, None, operation, files, None);
        let manifest_name = manifest::write(&metadata_dir, &first)?;
        let record = TableRecord {
            format_version: 1,
            id: new.id,
            schema: new.schema.clone(),
            name: new.table.clone(),
            location: new.location,
            metadata_location: new.metadata_location,
            external: new.external,
            last_column_id: new.columns.iter().map(|c| c.id).max().unwrap_or(0),
            columns: new.columns,
            current_snapshot_id: 1,
            current_manifest: manifest_name.clone(),
            created_at_ms: now_ms(),
            properties: new.properties,
        };
        let (schema, table) = (&new.schema, &new.table);
        let created = self
            .zk()
            .create_json(&self.table_path(schema, table), &record)
            .await;
        let failure = match created {
            Ok(true) => return Ok(record),
            Ok(false) => err!(TableExists, "table '{schema}.{table}' already exists"),
            Err(e) if e.code == ErrorCode::ZookeeperError => {
                err!(
                    SchemaNotFound,
                    "cannot create '{schema}.{table}': {}",
                    e.message
                )
            }
            Err(e) => e,
        };
        let _ = std::fs::remove_file(metadata_dir.join(&manifest_name));
        let _ = std::fs::remove_dir(&metadata_dir);
        Err(failure)
    }

    /// Removes the directories of a planned table that was never published (a failed CREATE
    /// TABLE AS). Refused when a table with that id is in the catalog.
    pub async fn abort_new_table(&self, new: &NewTable) -> Result<()> {
        if let Some(existing) = self.get_table(&new.schema, &new.table).await? {
            if existing.id == new.id {
                return Err(err!(
                    InvalidArgument,
                    "{}.{} was published: use DROP TABLE",
                    new.schema,
                    new.table
                ));
            }
        }
        for dir in [new.data_dir(), PathBuf::from(&new.metadata_location)] {
            if dir.exists() {
                std::fs::remove_dir_all(&dir)
                    .map_err(|e| err!(IoError, "cannot remove '{}': {e}", dir.display()))?;
            }
        }
        if !new.external {
            let _ = std::fs::remove_dir(&new.location); // only when empty: a user location may hold more
        }
        Ok(())
    }

    /// CREATE TABLE: an empty first snapshot.
    pub async fn create_table(
        &self,
        schema: &str,
        table: &str,
        columns: &[ColumnSpec],
        properties: &BTreeMap<String, String>,
    ) -> Result<TableRecord> {
        let new = self
            .plan_new_table(schema, table, columns, properties)
            .await?;
        self.publish_table(new, "create", Vec::new()).await
    }

    /// DROP TABLE: the record goes first (with the version read, so a commit that lands in between
    /// makes the drop fail rather than vanish); then zkarrow's own files. Registered (external)
    /// data is never deleted.
    pub async fn drop_table(&self, schema: &str, table: &str) -> Result<()> {
        let (schema, table) = (normalize("schema", schema)?, normalize("table", table)?);
        let path = self.table_path(&schema, &table);
        let (record, stat) = self
            .zk()
            .get_json::<TableRecord>(&path)
            .await?
            .ok_or_else(|| err!(TableNotFound, "table '{schema}.{table}' does not exist"))?;
        let deleted = self.zk().delete(&path, Some(stat.version)).await?;
        self.forget(&schema, &table);
        match deleted {
            Ok(()) => {}
            Err(zk::Error::NoNode) => {
                return Err(err!(
                    TableNotFound,
                    "table '{schema}.{table}' does not exist"
                ))
            }
            Err(zk::Error::BadVersion) => {
                return Err(err!(
                    CommitConflict,
                    "{schema}.{table} changed while it was being dropped: run DROP TABLE again"
                ))
            }
            Err(e) => return Err(err!(ZookeeperError, "cannot drop '{schema}.{table}': {e}")),
        }
        let owned_dir = if record.external {
            data_dir(&record.metadata_location)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        } else {
            PathBuf::from(&record.location)
        };
        if owned_dir.exists() {
            std::fs::remove_dir_all(&owned_dir).map_err(|e| {
                err!(
                    IoError,
                    "{schema}.{table} is dropped but '{}' could not be removed: {e}",
                    owned_dir.display()
                )
            })?;
        }
        Ok(())
    }

    /// ALTER TABLE ... RENAME TO: one multi creates the new record and deletes the old one at the
    /// version read.
    pub async fn rename_table(
        &self,
        schema: &str,
        table: &str,
        new_schema: &str,
        new_table: &str,
    ) -> Result<()> {
        let (schema, table) = (normalize("schema", schema)?, normalize("table", table)?);
        let (new_schema, new_table) = (
            normalize("schema", new_schema)?,
            normalize("table", new_table)?,
        );
        let old_path = self.table_path(&schema, &table);
        let new_path = self.table_path(&new_schema, &new_table);
        let (mut record, stat) = self
            .zk()
            .get_json::<TableRecord>(&old_path)
            .await?
            .ok_or_else(|| err!(TableNotFound, "table '{schema}.{table}' does not exist"))?;
        if !self.schema_exists(&new_schema).await? {
            return Err(err!(SchemaNotFound, "schema '{new_schema}' does not exist"));
        }
        record.schema = new_schema.clone();
        record.name = new_table.clone();
        let data = crate::zk::to_json(&record)?;
        let client = self.zk().client();
        let mut multi = client.new_multi_writer();
        let options = zk::CreateMode::Persistent.with_acls(zk::Acls::anyone_all());
        let built = multi
            .add_create(&new_path, &data, &options)
            .and_then(|_| multi.add_delete(&old_path, Some(stat.version)));
        built.map_err(|e| err!(Internal, "cannot build the rename: {e}"))?;
        let outcome = multi.commit().await;
        self.forget(&schema, &table);
        match outcome {
            Ok(_) => Ok(()),
            Err(zk::MultiWriteError::OperationFailed {
                index: 0,
                source: zk::Error::NodeExists,
            }) => Err(err!(
                TableExists,
                "table '{new_schema}.{new_table}' already exists"
            )),
            Err(zk::MultiWriteError::OperationFailed { index: 1, .. }) => Err(err!(
                CommitConflict,
                "{schema}.{table} changed during the rename: run it again"
            )),
            Err(e) => Err(err!(ZookeeperError, "cannot rename {schema}.{table}: {e}")),
        }
    }
}
