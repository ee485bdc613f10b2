//! Creating, publishing, renaming and dropping tables. A table appears in one ZooKeeper create
//! (its first manifest is written before), so a half-made table is never visible.

pub use crate::storage::records::ColumnSpec;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use zookeeper_client as zk;

use crate::catalog::locations::{self, LocationClaim};
use crate::catalog::names::normalize;
use crate::catalog::Catalog;
use crate::presto::types::arrow_type;
use crate::storage::records::{now_ms, ColumnRecord, DataFile, TableRecord};
use crate::storage::snapshot;
use crate::storage::store;
use crate::storage::writer::Compression;
use crate::zk::lock::LockHolder;
use crate::{err, Error, Result};

/// Table properties zkarrow understands (CREATE TABLE ... WITH (...)).
pub const TABLE_PROPERTIES: [&str; 2] = ["compression", "location"];

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
    /// The query whose writers fill it (CREATE TABLE AS): their files start with it, which is
    /// how an abort knows what it may remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_id: Option<String>,
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

    /// Validates a new table and gives it an id and a location; writes nothing. A location the
    /// user names must lie under `zkarrow.allowed-locations`, be empty (or not exist yet) and not
    /// lie inside or around another table's location.
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
        let mut properties = properties.clone();
        let mut chosen_location = None;
        for (key, value) in &properties {
            match key.as_str() {
                "compression" => {
                    Compression::from_str(value)?;
                }
                "location" => chosen_location = Some(self.check_new_location(value).await?),
                other => {
                    return Err(err!(
                        InvalidArgument,
                        "unknown table property '{other}'; zkarrow knows {}",
                        TABLE_PROPERTIES.join(", ")
                    ))
                }
            }
        }
        if !properties.contains_key("compression") {
            let default = self.settings().get("default_compression");
            properties.insert("compression".into(), default);
        }
        let id = uuid::Uuid::new_v4().to_string();
        let location = match chosen_location {
            Some(l) => {
                properties.insert("location".into(), l.to_string_lossy().to_string());
                l
            }
            // resolved like user paths, so that claims compare alike
            None => {
                let default = self.config().warehouse.join(&schema);
                locations::resolve(&default.join(format!("{table}-{id}")).to_string_lossy())?
            }
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
            query_id: None,
        })
    }

    /// A user-chosen location for a new table, resolved: allowed, empty, and not shared.
    async fn check_new_location(&self, given: &str) -> Result<PathBuf> {
        let location = locations::confine(self.config(), given)?;
        if !locations::is_absent_or_empty(&location)? {
            return Err(err!(
                LocationInUse,
                "location '{given}' is not empty: a table zkarrow writes must own its directory; give a new or empty directory"
            ));
        }
        let (claims, _) = self.location_claims().await?;
        check_unclaimed(&location, &claims)?;
        Ok(location)
    }

    /// The claimed locations (`<root>/locations`) and the version of their parent, which every
    /// claim and registration bumps so that two racing CREATEs cannot both pass the check.
    pub(crate) async fn location_claims(&self) -> Result<(Vec<PathBuf>, i32)> {
        let parent = self.path(&["locations"]);
        self.zk().sync(&parent).await?;
        let version = match self.zk().get_raw(&parent).await? {
            Some((_, stat)) => stat.version,
            None => {
                self.zk().mkdirs(&parent).await?;
                0
            }
        };
        let names = self.zk().children(&parent).await?.unwrap_or_default();
        Ok((
            names
                .iter()
                .filter_map(|n| locations::claimed_path(n))
                .collect(),
            version,
        ))
    }

    /// Writes the first manifest (listing `files`) and creates the table record, the claim on
    /// its location (tables zkarrow writes) and a bump of the claims' version in one multi. An
    /// unknown outcome is settled by reading back; the manifest is removed only when the record
    /// certainly does not name it. The data files are the caller's.
    pub async fn publish_table(
        &self,
        new: NewTable,
        operation: &str,
        files: Vec<DataFile>,
    ) -> Result<TableRecord> {
        let metadata_dir = PathBuf::from(&new.metadata_location);
        let first = snapshot::write_next(
            &metadata_dir,
            &new.id,
            None,
            operation,
            None,
            snapshot::Change::Overwrite(files),
            &new.columns,
        )?;
        let manifest_name = first.name.clone();
        let record = TableRecord {
            format_version: 2,
            id: new.id.clone(),
            schema: new.schema.clone(),
            name: new.table.clone(),
            location: new.location.clone(),
            metadata_location: new.metadata_location.clone(),
            external: new.external,
            last_column_id: new.columns.iter().map(|c| c.id).max().unwrap_or(0),
            columns: new.columns.clone(),
            current_snapshot_id: 1,
            current_manifest: manifest_name.clone(),
            totals: first.manifest.totals,
            created_at_ms: now_ms(),
            properties: new.properties.clone(),
        };
        let remove_manifest = || {
            first.discard(&metadata_dir);
            store::remove_dir_if_empty(&metadata_dir);
        };
        match self.create_table_record(&new, &record).await {
            Ok(()) => Ok(record),
            Err(Outcome::Refused(e)) => {
                remove_manifest();
                Err(e)
            }
            Err(Outcome::Unknown(e)) => {
                let path = self.table_path(&new.schema, &new.table);
                match self.read_back(&path).await {
                    Ok(Some(found)) if found.id == new.id => Ok(record),
                    Ok(_) => {
                        remove_manifest();
                        Err(err!(
                            ZookeeperUnavailable,
                            "{}.{} was not created ({}): nothing changed; run the statement again",
                            new.schema,
                            new.table,
                            e.message
                        ))
                    }
                    Err(read) => Err(err!(
                        ZookeeperUnavailable,
                        "creating {}.{} has an unknown outcome ({}), and reading it back failed too ({}): check SHOW TABLES before running it again",
                        new.schema,
                        new.table,
                        e.message,
                        read.message
                    )),
                }
            }
        }
    }

    /// One multi: bump the claims' version, claim the location (unless registered), create the
    /// record. Retried when another claim or registration landed between the check and the write.
    async fn create_table_record(
        &self,
        new: &NewTable,
        record: &TableRecord,
    ) -> std::result::Result<(), Outcome> {
        let (schema, table) = (&new.schema, &new.table);
        let data = crate::zk::session::to_json(record).map_err(Outcome::Refused)?;
        let location = PathBuf::from(&new.location);
        for _ in 0..64 {
            let (claims, version) = self.location_claims().await.map_err(Outcome::Unknown)?;
            if new.external {
                check_unclaimed(&location, &claims).map_err(Outcome::Refused)?;
            } else if claims.iter().any(|c| locations::overlap(c, &location)) {
                return Err(Outcome::Refused(err!(
                    LocationInUse,
                    "location '{}' of {schema}.{table} lies inside or around another table's location",
                    new.location
                )));
            }
            let claim = LocationClaim {
                location: new.location.clone(),
                table_id: new.id.clone(),
            };
            let claim_data = crate::zk::session::to_json(&claim).map_err(Outcome::Refused)?;
            let claim_path = self.path(&["locations", &locations::claim_name(&location)]);
            let client = self.zk().client();
            let mut multi = client.new_multi_writer();
            let options = self.zk().create_options(zk::CreateMode::Persistent);
            let mut built = multi.add_set_data(&self.path(&["locations"]), b"", Some(version));
            if !new.external {
                built = built.and_then(|_| multi.add_create(&claim_path, &claim_data, &options));
            }
            built
                .and_then(|_| multi.add_create(&self.table_path(schema, table), &data, &options))
                .map_err(|e| Outcome::Refused(err!(Internal, "cannot build the create: {e}")))?;
            let record_index = if new.external { 1 } else { 2 };
            match multi.commit().await {
                Ok(_) => return Ok(()),
                Err(zk::MultiWriteError::OperationFailed {
                    index: 0,
                    source: zk::Error::BadVersion,
                }) => continue,
                Err(zk::MultiWriteError::OperationFailed {
                    index,
                    source: zk::Error::NodeExists,
                }) if index == record_index => {
                    return Err(Outcome::Refused(err!(
                        TableExists,
                        "table '{schema}.{table}' already exists"
                    )))
                }
                Err(zk::MultiWriteError::OperationFailed {
                    index: 1,
                    source: zk::Error::NodeExists,
                }) => {
                    return Err(Outcome::Refused(err!(
                        LocationInUse,
                        "location '{}' belongs to another table",
                        new.location
                    )))
                }
                Err(zk::MultiWriteError::OperationFailed {
                    index,
                    source: zk::Error::NoNode,
                }) if index == record_index => {
                    return Err(Outcome::Refused(err!(
                        SchemaNotFound,
                        "cannot create '{schema}.{table}': schema '{schema}' does not exist"
                    )))
                }
                Err(zk::MultiWriteError::OperationFailed { source, .. }) => {
                    return Err(Outcome::Refused(err!(
                        ZookeeperError,
                        "cannot create '{schema}.{table}': {source}"
                    )))
                }
                Err(zk::MultiWriteError::RequestFailed { source }) => {
                    return Err(Outcome::Unknown(err!(
                        ZookeeperUnavailable,
                        "ZooKeeper create of {schema}.{table}: {source}"
                    )))
                }
            }
        }
        Err(Outcome::Refused(err!(
            CommitConflict,
            "{schema}.{table}: other tables kept claiming locations; run the statement again"
        )))
    }

    /// Removes what the writers of a planned table that was never published (a failed CREATE
    /// TABLE AS) wrote: the files named with its query's prefix in its data directory, then the
    /// directories it made if they are empty. Refused when a table with that id is in the catalog.
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
        let data = new.data_dir();
        if let Some(query) = new.query_id.as_deref().filter(|q| !q.is_empty()) {
            for (path, _) in files_in(&data)? {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                let ours = name.starts_with(&format!("{query}-"))
                    || name.starts_with(&format!(".{query}-"));
                if ours {
                    remove_owned_file(&path)?;
                }
            }
        }
        for dir in [data, PathBuf::from(&new.metadata_location)] {
            store::remove_dir_if_empty(&dir);
        }
        if !new.external {
            store::remove_dir_if_empty(Path::new(&new.location));
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

    /// DROP TABLE, under the table lock: one multi (fenced by the lock node) deletes the record at
    /// the version read and the claim on its location; then the files the table owns go: the data
    /// files its snapshots name inside its own data directory, its manifests, and the directories
    /// zkarrow made once they are empty. Nothing else is touched; registered data never is.
    pub async fn drop_table(&self, schema: &str, table: &str, holder: LockHolder) -> Result<()> {
        let (schema, table) = (normalize("schema", schema)?, normalize("table", table)?);
        let path = self.table_path(&schema, &table);
        let timeout = self.settings().lock_wait_timeout;
        let dropped = self
            .with_table_lock(&schema, &table, &holder, timeout, async |lock| {
                self.drop_locked(&schema, &table, &path, lock).await
            })
            .await;
        let record = dropped?;
        self.remove_owned_files(&record)
    }

    async fn drop_locked(
        &self,
        schema: &str,
        table: &str,
        path: &str,
        lock: &zk::LockClient<'_>,
    ) -> Result<TableRecord> {
        self.zk().sync(path).await?;
        let (record, stat) = self
            .zk()
            .get_json::<TableRecord>(path)
            .await?
            .ok_or_else(|| err!(TableNotFound, "table '{schema}.{table}' does not exist"))?;
        let claim_path = self.claim_path_of(&record).await?;
        let mut multi = lock.new_check_writer();
        let mut built = multi.add_delete(path, Some(stat.version));
        if let Some(claim) = &claim_path {
            built = built.and_then(|_| multi.add_delete(claim, None));
        }
        built.map_err(|e| err!(Internal, "cannot build the drop: {e}"))?;
        match multi.commit().await {
            Ok(_) => Ok(record),
            Err(zk::CheckWriteError::CheckFailed { .. }) => Err(err!(
                CommitFenced,
                "the lock on {schema}.{table} was lost (ZooKeeper session expired): the table was not dropped; run DROP TABLE again"
            )),
            Err(zk::CheckWriteError::OperationFailed { source, .. }) => Err(err!(
                ZookeeperError,
                "cannot drop {schema}.{table}: {source}"
            )),
            Err(zk::CheckWriteError::RequestFailed { source }) => {
                match self.read_back(path).await {
                    Ok(Some(now)) if now.id == record.id => Err(err!(
                        ZookeeperUnavailable,
                        "{schema}.{table} was not dropped ({source}): run DROP TABLE again"
                    )),
                    Ok(_) => Ok(record),
                    Err(read) => Err(err!(
                        ZookeeperUnavailable,
                        "dropping {schema}.{table} has an unknown outcome ({source}); reading it back failed too ({}): run DROP TABLE again",
                        read.message
                    )),
                }
            }
        }
    }

    /// The claim znode of the table's location, when it holds this table's id (tables created
    /// before claims existed have none).
    async fn claim_path_of(&self, record: &TableRecord) -> Result<Option<String>> {
        let name = locations::claim_name(Path::new(&record.location));
        let path = self.path(&["locations", &name]);
        Ok(match self.zk().get_json::<LocationClaim>(&path).await {
            Ok(Some((claim, _))) if claim.table_id == record.id => Some(path),
            _ => None,
        })
    }

    /// Deletes what a dropped table owns (see `drop_table`).
    pub(crate) fn remove_owned_files(&self, record: &TableRecord) -> Result<()> {
        let metadata = PathBuf::from(&record.metadata_location);
        let data = data_dir(&record.metadata_location);
        // everything any snapshot still there names (unreadable history removes less, never more)
        let (metadata_files, data_files) =
            crate::catalog::snapshots::referenced(record).unwrap_or_default();
        let mut failures = Vec::new();
        for f in &data_files {
            let file = Path::new(&f.path);
            if file.parent() == Some(data.as_path()) {
                if let Err(e) = remove_owned_file(file) {
                    failures.push(e.message);
                }
            }
        }
        for name in &metadata_files {
            if let Err(e) = remove_owned_file(&metadata.join(name)) {
                failures.push(e.message);
            }
        }
        for dir in [&data, &metadata] {
            store::remove_dir_if_empty(dir); // orphans stay for the operator
        }
        if !record.external {
            store::remove_dir_if_empty(Path::new(&record.location));
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(err!(
                IoError,
                "{}.{} is dropped but some of its files could not be removed: {}",
                record.schema,
                record.name,
                failures.join("; ")
            ))
        }
    }

    /// ALTER TABLE ... RENAME TO, under the table's lock: one multi (fenced by the lock node)
    /// creates the new record and deletes the old one at the version read. The location claim
    /// names the table id, so it needs no change.
    pub async fn rename_table(
        &self,
        schema: &str,
        table: &str,
        new_schema: &str,
        new_table: &str,
        holder: LockHolder,
    ) -> Result<()> {
        let (schema, table) = (normalize("schema", schema)?, normalize("table", table)?);
        let (new_schema, new_table) = (
            normalize("schema", new_schema)?,
            normalize("table", new_table)?,
        );
        if !self.schema_exists(&new_schema).await? {
            return Err(err!(SchemaNotFound, "schema '{new_schema}' does not exist"));
        }
        let timeout = self.settings().lock_wait_timeout;
        let target = (new_schema.as_str(), new_table.as_str());
        let outcome = self
            .with_table_lock(&schema, &table, &holder, timeout, async |lock| {
                self.rename_locked(&schema, &table, target, lock).await
            })
            .await;
        self.forget(&new_schema, &new_table);
        outcome
    }

    async fn rename_locked(
        &self,
        schema: &str,
        table: &str,
        (new_schema, new_table): (&str, &str),
        lock: &zk::LockClient<'_>,
    ) -> Result<()> {
        let old_path = self.table_path(schema, table);
        let new_path = self.table_path(new_schema, new_table);
        self.zk().sync(&old_path).await?;
        let (mut record, stat) = self
            .zk()
            .get_json::<TableRecord>(&old_path)
            .await?
            .ok_or_else(|| err!(TableNotFound, "table '{schema}.{table}' does not exist"))?;
        record.schema = new_schema.to_string();
        record.name = new_table.to_string();
        let data = crate::zk::session::to_json(&record)?;
        let mut multi = lock.new_check_writer();
        let options = self.zk().create_options(zk::CreateMode::Persistent);
        multi
            .add_create(&new_path, &data, &options)
            .and_then(|_| multi.add_delete(&old_path, Some(stat.version)))
            .map_err(|e| err!(Internal, "cannot build the rename: {e}"))?;
        match multi.commit().await {
            Ok(_) => Ok(()),
            Err(zk::CheckWriteError::OperationFailed {
                index: 0,
                source: zk::Error::NodeExists,
            }) => Err(err!(
                TableExists,
                "table '{new_schema}.{new_table}' already exists"
            )),
            Err(zk::CheckWriteError::CheckFailed { .. }) => Err(err!(
                CommitFenced,
                "the lock on {schema}.{table} was lost (ZooKeeper session expired): it was not renamed"
            )),
            Err(zk::CheckWriteError::OperationFailed { source, .. }) => Err(err!(
                ZookeeperError,
                "cannot rename {schema}.{table}: {source}"
            )),
            Err(zk::CheckWriteError::RequestFailed { source }) => {
                match self.read_back(&new_path).await {
                    Ok(Some(now)) if now.id == record.id => Ok(()),
                    Ok(_) => Err(err!(
                        ZookeeperUnavailable,
                        "{schema}.{table} was not renamed ({source}): run the statement again"
                    )),
                    Err(read) => Err(err!(
                        ZookeeperUnavailable,
                        "renaming {schema}.{table} has an unknown outcome ({source}); reading it back failed too ({}): check SHOW TABLES",
                        read.message
                    )),
                }
            }
        }
    }
}

/// How a ZooKeeper write ended when it did not succeed.
enum Outcome {
    /// Certainly not applied.
    Refused(Error),
    /// Maybe applied (connection lost with the request in flight): read back to know.
    Unknown(Error),
}

/// Refuses `location` when it lies inside or around a claimed location.
fn check_unclaimed(location: &Path, claims: &[PathBuf]) -> Result<()> {
    match claims.iter().find(|c| locations::overlap(c, location)) {
        Some(c) => Err(err!(
            LocationInUse,
            "'{}' lies inside or around '{}', the location of another table",
            location.display(),
            c.display()
        )),
        None => Ok(()),
    }
}

/// The regular files directly in `dir` (none when it does not exist), with their last
/// modification (milliseconds since the epoch).
pub(crate) fn files_in(dir: &Path) -> Result<Vec<(PathBuf, i64)>> {
    match store::list(dir) {
        Ok(entries) => Ok(entries
            .into_iter()
            .map(|e| (dir.join(e.name), e.modified_ms))
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(err!(IoError, "cannot list '{}': {e}", dir.display())),
    }
}

/// Removes one file zkarrow wrote; one that is already gone is fine.
pub(crate) fn remove_owned_file(path: &Path) -> Result<()> {
    store::remove_file(path)
        .map(|_| ())
        .map_err(|e| err!(IoError, "cannot remove '{}': {e}", path.display()))
}
