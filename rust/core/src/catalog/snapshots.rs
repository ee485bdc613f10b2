//! A table's history: its snapshots (through the snapshot log of `storage::snapshot`), time
//! travel to one of them, rollback, expiry of old ones, and removal of files no snapshot names.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::catalog::commit::{CommitOutcome, CommitRequest, Operation};
use crate::catalog::ddl::data_dir;
use crate::catalog::Catalog;
use crate::storage::manifest;
use crate::storage::records::{now_ms, DataFile, LogRef, Manifest, SnapshotEntry, TableRecord};
use crate::storage::snapshot;
use crate::storage::store;
use crate::zk::lock::LockHolder;
use crate::{err, Result};

/// `FOR VERSION AS OF`'s value: a bigint, or text that must read as one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Version {
    Id(i64),
    Text(String),
}

/// One row of `"t$snapshots"`.
pub type SnapshotInfo = SnapshotEntry;

/// What `remove_orphan_files` found (and removed unless it was a dry run).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OrphanReport {
    pub dry_run: bool,
    pub files: Vec<String>,
}

/// The snapshots of the table whose manifests are still there (expiry removes them), newest
/// first.
fn live_history(record: &TableRecord) -> Result<Vec<SnapshotEntry>> {
    let dir = Path::new(&record.metadata_location);
    let current = manifest::read(dir, &record.current_manifest)?;
    let present: HashSet<String> = store::list(dir)
        .map_err(|e| err!(IoError, "cannot list '{}': {e}", dir.display()))?
        .into_iter()
        .map(|e| e.name)
        .collect();
    Ok(snapshot::history(dir, &current, &record.current_manifest)?
        .into_iter()
        .filter(|e| present.contains(&e.manifest))
        .collect())
}

/// The metadata files (names) and data files that the table's remaining snapshots name.
pub(crate) fn referenced(record: &TableRecord) -> Result<(HashSet<String>, Vec<DataFile>)> {
    let live: Vec<String> = live_history(record)?
        .into_iter()
        .map(|e| e.manifest)
        .collect();
    snapshot::referenced_files(Path::new(&record.metadata_location), &live)
}

impl Catalog {
    /// `"t$snapshots"`: newest first.
    pub async fn snapshots(&self, schema: &str, table: &str) -> Result<Vec<SnapshotInfo>> {
        live_history(&self.require_table(schema, table).await?)
    }

    /// The manifest of snapshot `snapshot_id` (time travel), or of the current snapshot. The
    /// current one is read directly; an older one is found through the snapshot log.
    pub async fn snapshot_at(
        &self,
        record: &TableRecord,
        snapshot_id: Option<i64>,
    ) -> Result<Manifest> {
        let id = match snapshot_id {
            Some(id) if id != record.current_snapshot_id => id,
            _ => return self.current_manifest(record).await,
        };
        let dir = Path::new(&record.metadata_location);
        let current = self.current_manifest(record).await?;
        let found = snapshot::find_entry(
            dir,
            &current,
            &record.current_manifest,
            |l: &LogRef| l.first_snapshot_id <= id && id <= l.last_snapshot_id,
            |e| e.snapshot_id == id,
        )?;
        match found {
            Some(e) if manifest::exists(dir, &e.manifest)? => manifest::read(dir, &e.manifest),
            _ => Err(err!(
                SnapshotNotFound,
                "{}.{} has no snapshot {id} (it never existed or was expired); see its $snapshots table",
                record.schema,
                record.name
            )),
        }
    }

    /// The data files of snapshot `snapshot_id`, or of the current snapshot.
    pub async fn files_at(
        &self,
        record: &TableRecord,
        snapshot_id: Option<i64>,
    ) -> Result<Vec<DataFile>> {
        let m = self.snapshot_at(record, snapshot_id).await?;
        snapshot::files_of(Path::new(&record.metadata_location), &m)
    }

    /// Time travel: the snapshot `FOR VERSION AS OF <version>` (a snapshot id, or text that reads
    /// as one) or `FOR TIMESTAMP AS OF <timestamp_ms>` selects; with `before`, `FOR ... BEFORE`.
    /// Exactly one of `version` and `timestamp_ms`.
    pub async fn resolve_version(
        &self,
        schema: &str,
        table: &str,
        version: Option<&Version>,
        timestamp_ms: Option<i64>,
        before: bool,
    ) -> Result<i64> {
        let record = self.require_table(schema, table).await?;
        let name = format!("{}.{}", record.schema, record.name);
        let find = |may_hold: &dyn Fn(&LogRef) -> bool, wanted: &dyn Fn(&SnapshotEntry) -> bool| {
            let dir = Path::new(&record.metadata_location);
            let current = manifest::read(dir, &record.current_manifest)?;
            let found =
                snapshot::find_entry(dir, &current, &record.current_manifest, may_hold, wanted)?;
            // an expired snapshot is not there to travel to
            match found {
                Some(e) if manifest::exists(dir, &e.manifest)? => Ok::<_, crate::Error>(Some(e)),
                _ => Ok(None),
            }
        };
        match (version, timestamp_ms) {
            (Some(version), None) => {
                let id = match version {
                    Version::Id(id) => Some(*id),
                    Version::Text(text) => text.trim().parse::<i64>().ok(),
                };
                let Some(id) = id else {
                    let text = match version {
                        Version::Id(id) => id.to_string(),
                        Version::Text(text) => text.clone(),
                    };
                    return Err(err!(
                        InvalidArgument,
                        "zkarrow table versions are bigint snapshot ids, not '{text}': use FOR VERSION AS OF <snapshot id> (see \"{}$snapshots\")",
                        record.name
                    ));
                };
                let found = if before {
                    find(&|l| l.first_snapshot_id < id, &|e| e.snapshot_id < id)?
                } else {
                    find(
                        &|l| l.first_snapshot_id <= id && id <= l.last_snapshot_id,
                        &|e| e.snapshot_id == id,
                    )?
                };
                found.map(|e| e.snapshot_id).ok_or_else(|| {
                    let op = if before { "before " } else { "" };
                    err!(SnapshotNotFound, "Table {name} has no snapshot {op}{id}")
                })
            }
            // newest first: the first committed at or before the time was current then
            (None, Some(millis)) => if before {
                find(&|l| l.min_committed_at_ms < millis, &|e| {
                    e.committed_at_ms < millis
                })?
            } else {
                find(&|l| l.min_committed_at_ms <= millis, &|e| {
                    e.committed_at_ms <= millis
                })?
            }
            .map(|e| e.snapshot_id)
            .ok_or_else(|| {
                let op = if before { "before " } else { "at or before " };
                err!(
                    SnapshotNotFound,
                    "Table {name} has no snapshot committed {op}{} (or it has expired)",
                    crate::units::format_instant_iso(millis)
                )
            }),
            _ => Err(err!(
                InvalidArgument,
                "resolve_version takes exactly one of version and timestamp_ms"
            )),
        }
    }

    /// Makes the files of snapshot `snapshot_id` current again, as a new snapshot.
    pub async fn rollback_to_snapshot(
        &self,
        schema: &str,
        table: &str,
        snapshot_id: i64,
        holder: LockHolder,
        lock_timeout: Duration,
    ) -> Result<CommitOutcome> {
        let record = self.require_table(schema, table).await?;
        if snapshot_id == record.current_snapshot_id {
            return Err(err!(
                InvalidArgument,
                "snapshot {snapshot_id} of {schema}.{table} is already current"
            ));
        }
        let manifest = self.snapshot_at(&record, Some(snapshot_id)).await?;
        let target = snapshot::files_of(Path::new(&record.metadata_location), &manifest)?;
        let request = CommitRequest {
            schema: schema.into(),
            table: table.into(),
            operation: Operation::Rollback,
            files: target,
            removed_files: Vec::new(),
            base_snapshot_id: None,
            table_id: Some(record.id.clone()),
            holder,
            lock_timeout,
        };
        self.commit_restoring(request, manifest.column_stats).await
    }

    /// Deletes the manifests of snapshots older than `older_than_ms` beyond the newest
    /// `retain_last`; returns the expired ids. Their data files become orphans for
    /// `remove_orphan_files` unless a kept snapshot still names them.
    pub async fn expire_snapshots(
        &self,
        schema: &str,
        table: &str,
        older_than_ms: i64,
        retain_last: usize,
    ) -> Result<Vec<i64>> {
        if retain_last == 0 {
            return Err(err!(
                InvalidArgument,
                "retain_last must be at least 1: the current snapshot always stays"
            ));
        }
        let record = self.require_table(schema, table).await?;
        let dir = PathBuf::from(&record.metadata_location);
        let mut expired = Vec::new();
        // only snapshot manifests go: data manifests and log segments they shared with kept
        // snapshots stay, and the ones nothing names any more are orphans
        for (i, e) in live_history(&record)?.into_iter().enumerate() {
            if i >= retain_last && e.committed_at_ms < older_than_ms {
                let name = &e.manifest;
                store::remove_file(&dir.join(name))
                    .map_err(|e| err!(IoError, "cannot remove manifest '{name}': {e}"))?;
                expired.push(e.snapshot_id);
            }
        }
        Ok(expired)
    }

    /// Files zkarrow wrote into the table's own data and metadata directories that no remaining
    /// snapshot names, last changed before `older_than_ms`: data files of failed or expired
    /// commits, leftover temporary files, unreferenced manifests. `older_than_ms` must lie at
    /// least `zkarrow.gc-min-grace` in the past, and the scan and removal run under the table
    /// lock, so a commit never names a file removed here (it checks its files under the lock).
    pub async fn remove_orphan_files(
        &self,
        schema: &str,
        table: &str,
        older_than_ms: i64,
        dry_run: bool,
        holder: LockHolder,
    ) -> Result<OrphanReport> {
        let grace = self.config().gc_min_grace();
        let latest = now_ms() - grace.as_millis() as i64;
        if !dry_run && older_than_ms > latest {
            return Err(err!(
                InvalidArgument,
                "older_than must lie at least {} in the past (zkarrow.gc-min-grace), so that files of writes still running are spared; it was {}",
                crate::units::format_duration(grace),
                crate::units::format_instant(older_than_ms)
            ));
        }
        if dry_run {
            // a listing ($orphan_files) deletes nothing: any cutoff, no lock
            let files = self.orphans_locked(schema, table, older_than_ms).await?;
            return Ok(OrphanReport { dry_run, files });
        }
        let record = self.require_table(schema, table).await?;
        let timeout = self.settings().lock_wait_timeout;
        let outcome = self
            .with_table_lock(&record.schema, &record.name, &holder, timeout, async |_| {
                let files = self.orphans_locked(schema, table, older_than_ms).await?;
                for f in &files {
                    crate::catalog::ddl::remove_owned_file(Path::new(f))?;
                }
                Ok(OrphanReport { dry_run, files })
            })
            .await;
        outcome
    }

    /// The orphans (see `remove_orphan_files`); the caller holds the lock when it deletes them.
    async fn orphans_locked(
        &self,
        schema: &str,
        table: &str,
        older_than_ms: i64,
    ) -> Result<Vec<String>> {
        let path = self.table_path(schema, table);
        let record = self
            .read_back(&path)
            .await?
            .ok_or_else(|| err!(TableNotFound, "table '{schema}.{table}' does not exist"))?;
        let in_flight = self.writes_in_flight(&record.id).await?;
        let metadata = PathBuf::from(&record.metadata_location);
        let data = data_dir(&record.metadata_location);
        let (metadata_files, data_files) = referenced(&record)?;
        let mut live: HashSet<PathBuf> = metadata_files.iter().map(|n| metadata.join(n)).collect();
        live.extend(data_files.iter().map(|f| PathBuf::from(&f.path)));
        let mut files = Vec::new();
        for (dir, written_by_zkarrow) in [
            (&metadata, is_manifest_name as fn(&str) -> bool),
            (&data, is_data_file_name),
        ] {
            for (path, modified_ms) in crate::catalog::ddl::files_in(dir)? {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                let spared = live.contains(&path)
                    || !written_by_zkarrow(&name)
                    || in_flight
                        .iter()
                        .any(|q| name.trim_start_matches('.').starts_with(q));
                if spared {
                    continue;
                }
                if modified_ms < older_than_ms {
                    files.push(path.to_string_lossy().to_string());
                }
            }
        }
        files.sort();
        Ok(files)
    }
}

/// Names zkarrow gives metadata files (`snap-<id>-<uuid>.json`, `manifest-<uuid>.json`,
/// `log-<uuid>.json`, written as `.<name>.tmp`).
fn is_manifest_name(name: &str) -> bool {
    let name = name.strip_prefix('.').unwrap_or(name);
    ["snap-", "manifest-", "log-"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
        && (name.ends_with(".json") || name.ends_with(".json.tmp"))
}

/// Names zkarrow gives data files (`<prefix>-<uuid>.arrow`, written as `.….arrow.tmp`).
fn is_data_file_name(name: &str) -> bool {
    name.ends_with(".arrow") || (name.starts_with('.') && name.ends_with(".arrow.tmp"))
}
