//! The commit protocol (DESIGN.md): a new manifest is written first, then the table record moves
//! to it under the table lock, through one multi that also checks that the lock node still exists
//! (a writer whose session expired is fenced) and that the record is at the version read (no lost
//! update). Appends that meet a newer snapshot re-base and retry; an overwrite that meets one fails.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use zookeeper_client as zk;

use crate::catalog::names::normalize;
use crate::catalog::Catalog;
use crate::storage::manifest;
use crate::storage::records::{DataFile, TableRecord};
use crate::storage::snapshot::{self, Change};
use crate::storage::store;
use crate::storage::table_stats::TableStats;
use crate::zk::lock::LockHolder;
use crate::{err, Result};

/// How a commit combines its files with the snapshot it lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Adds files; commutes with any other append, so it re-bases on newer snapshots.
    Append,
    /// Replaces every file (TRUNCATE, DELETE without predicate, CREATE TABLE AS's first snapshot):
    /// valid only on the snapshot it was planned on.
    Overwrite,
    /// Makes an older snapshot's files current again (rollback_to_snapshot).
    Rollback,
    /// Replaces `removed_files` with `files` (compaction): commutes with appends (it re-bases
    /// while every removed file is still current) and conflicts with anything that removed one.
    Replace,
}

#[derive(Debug, Clone)]
pub struct CommitRequest {
    pub schema: String,
    pub table: String,
    pub operation: Operation,
    pub files: Vec<DataFile>,
    /// Paths of the current files that `Replace` takes out (empty for the other operations).
    pub removed_files: Vec<String>,
    /// The snapshot the writer started from (what an overwrite must still find).
    pub base_snapshot_id: Option<i64>,
    /// The id of the table the writer started on: a table dropped or renamed away and re-created
    /// under the same name has another id, and the commit must not land in it.
    pub table_id: Option<String>,
    /// Who commits, recorded in the lock node and the manifest.
    pub holder: LockHolder,
    pub lock_timeout: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommitOutcome {
    pub snapshot_id: i64,
    pub manifest: String,
    /// How many times the commit re-based on a snapshot that landed first.
    pub retries: u32,
}

const MAX_ATTEMPTS: u32 = 100;

/// Fault injection for tests: `ZKARROW_FAULT_PAUSE_BEFORE_SWAP_MS` makes every commit hold its lock,
/// with its manifest written, for that long before it moves the table record, so that a test can
/// expire the session or kill the process at the worst moment.
fn fault_pause_before_swap() -> Option<Duration> {
    let ms: u64 = std::env::var("ZKARROW_FAULT_PAUSE_BEFORE_SWAP_MS")
        .ok()?
        .parse()
        .ok()?;
    Some(Duration::from_millis(ms))
}

enum Attempt {
    Committed(CommitOutcome),
    /// The record changed outside the lock: try again from the start.
    VersionMoved,
}

impl Catalog {
    /// Commits `request` as one new snapshot of the table. The lock is taken before the record is
    /// read, so commits queue on it instead of racing; an append whose base snapshot was passed
    /// re-bases onto the current one (counted in `retries`).
    pub async fn commit(&self, request: CommitRequest) -> Result<CommitOutcome> {
        self.commit_restoring(request, None).await
    }

    /// [`Catalog::commit`]; a rollback gives its snapshot the column statistics `restored` (those
    /// of the snapshot it makes current again).
    pub(crate) async fn commit_restoring(
        &self,
        mut request: CommitRequest,
        restored: Option<TableStats>,
    ) -> Result<CommitOutcome> {
        request.schema = normalize("schema", &request.schema)?;
        request.table = normalize("table", &request.table)?;
        for _ in 0..MAX_ATTEMPTS {
            let (schema, table) = (&request.schema, &request.table);
            let attempt = self
                .with_table_lock(
                    schema,
                    table,
                    &request.holder,
                    request.lock_timeout,
                    async |lock| self.commit_locked(&request, restored.as_ref(), lock).await,
                )
                .await;
            match attempt? {
                Attempt::Committed(outcome) => return Ok(outcome),
                Attempt::VersionMoved => continue,
            }
        }
        Err(err!(
            CommitConflict,
            "{}.{}: gave up after {MAX_ATTEMPTS} attempts: the table record kept changing outside the table lock",
            request.schema,
            request.table
        ))
    }

    /// Under the lock: read the record, write the manifest, move the record with a write that
    /// checks the lock node (fencing) and the record version.
    async fn commit_locked(
        &self,
        request: &CommitRequest,
        restored: Option<&TableStats>,
        lock: &zk::LockClient<'_>,
    ) -> Result<Attempt> {
        let (schema, table) = (&request.schema, &request.table);
        let table_path = self.table_path(schema, table);
        self.zk().sync(&table_path).await?;
        let (record, stat) = self
            .zk()
            .get_json::<TableRecord>(&table_path)
            .await?
            .ok_or_else(|| {
                err!(
                    TableNotFound,
                    "{schema}.{table} was dropped or renamed while this statement ran: nothing was committed"
                )
            })?;
        if let Some(started_on) = &request.table_id {
            if *started_on != record.id {
                return Err(err!(
                    CommitConflict,
                    "{schema}.{table} was dropped or renamed and re-created while this statement ran (it started on table id {started_on}, the name now holds table id {}): nothing was committed; run the statement again",
                    record.id
                ));
            }
        }
        for file in &request.files {
            let present = store::is_file(std::path::Path::new(&file.path))
                .map_err(|e| err!(IoError, "cannot check '{}': {e}", file.path))?;
            if !present {
                return Err(err!(
                    CommitConflict,
                    "'{}' written by this statement is gone (removed as an orphan?): nothing was committed to {schema}.{table}; run the statement again",
                    file.path
                ));
            }
        }
        let rebased = request
            .base_snapshot_id
            .is_some_and(|base| base != record.current_snapshot_id);
        if rebased && request.operation == Operation::Overwrite {
            return Err(err!(
                CommitConflict,
                "{schema}.{table} moved from snapshot {} to {} while this statement ran; it replaces all rows, so it cannot re-base: run it again",
                request.base_snapshot_id.unwrap_or_default(),
                record.current_snapshot_id
            ));
        }
        let metadata_dir = &PathBuf::from(&record.metadata_location);
        // only the parent's own manifest is read: its files stay in the data manifests it shares
        let parent = manifest::read(metadata_dir, &record.current_manifest)?;
        let files = request.files.clone();
        let removed: HashSet<String> = request.removed_files.iter().cloned().collect();
        let (operation, change) = match request.operation {
            Operation::Append => ("append", Change::Append(files)),
            Operation::Overwrite => ("overwrite", Change::Overwrite(files)),
            Operation::Rollback => (
                "rollback",
                Change::Restore {
                    files,
                    column_stats: restored.cloned(),
                },
            ),
            Operation::Replace => (
                "replace",
                Change::Replace {
                    removed: &removed,
                    added: files,
                },
            ),
        };
        let written = snapshot::write_next(
            metadata_dir,
            &record.id,
            Some((&parent, record.current_manifest.as_str())),
            operation,
            request.holder.query_id.clone(),
            change,
            &record.columns,
        )
        .map_err(|mut e| {
            e.message = format!("{schema}.{table}: {}", e.message);
            e
        })?;
        let (name, manifest) = (written.name.clone(), &written.manifest);
        let remove_manifest = || written.discard(metadata_dir);
        let mut next = record.clone();
        next.current_snapshot_id = manifest.snapshot_id;
        next.current_manifest = name.clone();
        next.totals = manifest.totals;
        let data = crate::zk::session::to_json(&next)?;
        if let Some(pause) = fault_pause_before_swap() {
            tokio::time::sleep(pause).await;
        }
        let committed = Attempt::Committed(CommitOutcome {
            snapshot_id: manifest.snapshot_id,
            manifest: name.clone(),
            retries: u32::from(rebased),
        });
        match lock.set_data(&table_path, &data, Some(stat.version)).await {
            Ok(_) => Ok(committed),
            Err(zk::Error::BadVersion) => {
                remove_manifest();
                Ok(Attempt::VersionMoved)
            }
            Err(zk::Error::NoNode) => {
                remove_manifest();
                Err(err!(
                    TableNotFound,
                    "{schema}.{table} was dropped while this statement ran"
                ))
            }
            Err(zk::Error::RuntimeInconsistent) => {
                remove_manifest();
                Err(err!(
                    CommitFenced,
                    "the lock on {schema}.{table} was lost before the commit (ZooKeeper session expired): nothing was committed"
                ))
            }
            Err(e) => {
                // The write may or may not have applied (a lost reply, or a session that expired
                // with the write in flight): catch up with the leader and read back, never guess.
                match self.read_back(&table_path).await {
                    Ok(Some(now)) if now.current_manifest == name => Ok(committed),
                    Ok(_) => {
                        remove_manifest();
                        Err(err!(
                            ZookeeperUnavailable,
                            "commit to {schema}.{table} did not apply ({e}); the table is unchanged: run the statement again"
                        ))
                    }
                    Err(read) => Err(err!(
                        ZookeeperUnavailable,
                        "commit to {schema}.{table} has an unknown outcome ({e}); reading it back failed too ({}): check the table's snapshots before retrying",
                        read.message
                    )),
                }
            }
        }
    }

    /// Settles a write whose outcome is unknown: `sync` makes this session's server catch up with
    /// the leader (and with every request this session sent before), then the record is read.
    pub(crate) async fn read_back(&self, path: &str) -> Result<Option<TableRecord>> {
        self.zk().sync(path).await?;
        Ok(self
            .zk()
            .get_json::<TableRecord>(path)
            .await?
            .map(|(t, _)| t))
    }
}
