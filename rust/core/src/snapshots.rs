//! A table's history: the chain of manifests from the current one back through their parents, time
//! travel to one of them, rollback, expiry of old ones, and removal of files no snapshot names.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::commit::{CommitOutcome, CommitRequest, LockHolder, Operation};
use crate::ddl::data_dir;
use crate::manifest;
use crate::model::{now_ms, Manifest, SnapshotSummary, TableRecord};
use crate::{err, Result};

/// One row of `"t$snapshots"`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SnapshotInfo {
    pub snapshot_id: i64,
    pub parent_id: Option<i64>,
    pub committed_at_ms: i64,
    pub operation: String,
    pub query_id: Option<String>,
    pub summary: SnapshotSummary,
    pub total_rows: u64,
    pub total_files: u64,
    pub manifest: String,
}

/// What `remove_orphan_files` found (and removed unless it was a dry run).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrphanReport {
    pub dry_run: bool,
    pub files: Vec<String>,
}

/// Manifests of the table from the current one back to the oldest that is still there.
fn chain(record: &TableRecord) -> Result<Vec<(String, Manifest)>> {
    let dir = Path::new(&record.metadata_location);
    let mut out = Vec::new();
    let mut next = Some(record.current_manifest.clone());
    while let Some(name) = next {
        if !dir.join(&name).exists() && !out.is_empty() {
            break; // the rest of the history was expired
        }
        let m = manifest::read(dir, &name)?;
        next = m.parent_manifest.clone();
        out.push((name, m));
    }
    Ok(out)
}

impl Catalog {
    /// `"t$snapshots"`: newest first.
    pub async fn snapshots(&self, schema: &str, table: &str) -> Result<Vec<SnapshotInfo>> {
        let record = self.require_table(schema, table).await?;
        Ok(chain(&record)?
            .into_iter()
            .map(|(name, m)| SnapshotInfo {
                snapshot_id: m.snapshot_id,
                parent_id: m.parent_snapshot_id,
                committed_at_ms: m.committed_at_ms,
                total_rows: m.row_count(),
                total_files: m.files.len() as u64,
                operation: m.operation,
                query_id: m.query_id,
                summary: m.summary,
                manifest: name,
            })
            .collect())
    }

    /// The manifest of snapshot `snapshot_id` (time travel), or of the current snapshot.
    pub async fn manifest_at(
        &self,
        record: &TableRecord,
        snapshot_id: Option<i64>,
    ) -> Result<Manifest> {
        let Some(id) = snapshot_id else {
            return self.current_manifest(record).await;
        };
        chain(record)?.into_iter().map(|(_, m)| m).find(|m| m.snapshot_id == id).ok_or_else(|| {
            err!(
                SnapshotNotFound,
                "{}.{} has no snapshot {id} (it never existed or was expired); see its $snapshots table",
                record.schema,
                record.name
            )
        })
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
        let target = self.manifest_at(&record, Some(snapshot_id)).await?;
        self.commit(CommitRequest {
            schema: schema.into(),
            table: table.into(),
            operation: Operation::Rollback,
            files: target.files,
            base_snapshot_id: None,
            holder,
            lock_timeout,
        })
        .await
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
        for (i, (name, m)) in chain(&record)?.into_iter().enumerate() {
            if i >= retain_last && m.committed_at_ms < older_than_ms {
                std::fs::remove_file(dir.join(&name))
                    .map_err(|e| err!(IoError, "cannot remove manifest '{name}': {e}"))?;
                expired.push(m.snapshot_id);
            }
        }
        Ok(expired)
    }

    /// Files in the table's own directories that no remaining snapshot names and that are older
    /// than `older_than_ms` (so that files of a commit in progress are spared): data files of
    /// failed or expired commits, leftover temporary files, and unreferenced manifests.
    pub async fn remove_orphan_files(
        &self,
        schema: &str,
        table: &str,
        older_than_ms: i64,
        dry_run: bool,
    ) -> Result<OrphanReport> {
        let record = self.require_table(schema, table).await?;
        let live_chain = chain(&record)?;
        let mut live: HashSet<PathBuf> = HashSet::new();
        for (name, m) in &live_chain {
            live.insert(Path::new(&record.metadata_location).join(name));
            live.extend(m.files.iter().map(|f| PathBuf::from(&f.path)));
        }
        let mut dirs = vec![
            PathBuf::from(&record.metadata_location),
            data_dir(&record.metadata_location),
        ];
        if !record.external {
            dirs.push(PathBuf::from(&record.location));
        }
        let mut files = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(meta) = entry.metadata() else { continue };
                if !meta.is_file() || live.contains(&path) {
                    continue;
                }
                let modified_ms = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_millis() as i64)
                    .unwrap_or(now_ms());
                if modified_ms < older_than_ms {
                    files.push(path.to_string_lossy().to_string());
                }
            }
        }
        files.sort();
        if !dry_run {
            for f in &files {
                std::fs::remove_file(f)
                    .map_err(|e| err!(IoError, "cannot remove orphan '{f}': {e}"))?;
            }
        }
        Ok(OrphanReport { dry_run, files })
    }
}
