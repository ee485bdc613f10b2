//! The records zkarrow keeps: schema and table records (JSON znodes) and snapshot manifests (JSON
//! files in the table's metadata directory). Every field is readable with zkCli.sh `get`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::storage::stats::{BatchStats, ColumnStats};

/// `<root>/schemas/<schema>`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SchemaRecord {
    pub name: String,
    pub created_at_ms: i64,
}

/// One column of a table, tracked by id so that renames keep their data.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ColumnRecord {
    pub id: u32,
    pub name: String,
    /// Presto type signature, e.g. `array(bigint)`.
    #[serde(rename = "type")]
    pub presto_type: String,
    /// The column's name inside registered files, which a rename does not change; files zkarrow
    /// writes carry the column id in their field metadata instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
}

/// Field metadata key holding a column's id in the Arrow files zkarrow writes.
pub const COLUMN_ID_KEY: &str = "zkarrow.column_id";

/// `<root>/schemas/<schema>/<table>`: small on purpose, it never lists files.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableRecord {
    pub format_version: u32,
    pub id: String,
    pub schema: String,
    pub name: String,
    /// Where the data files are (a directory or, for a table registered from one file, that file).
    pub location: String,
    /// Directory of this table's snapshot manifests (owned by zkarrow).
    pub metadata_location: String,
    /// True when zkarrow did not write the data (registered files): it never deletes them.
    pub external: bool,
    pub columns: Vec<ColumnRecord>,
    /// The highest column id ever given out: ids of dropped columns are never reused, so data of
    /// a dropped column never reappears under a new one.
    #[serde(default)]
    pub last_column_id: u32,
    pub current_snapshot_id: i64,
    /// File name of the current snapshot's manifest in `metadata_location`.
    pub current_manifest: String,
    /// Rows, files and bytes of the current snapshot, so that describing a table reads no file
    /// (absent in records written before format 2: then the manifest is read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totals: Option<Totals>,
    pub created_at_ms: i64,
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
}

/// One Arrow IPC file of a snapshot with what split planning and pruning need.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DataFile {
    pub path: String,
    pub rows: u64,
    pub bytes: u64,
    /// Rows and body bytes of each record batch, in file order.
    pub batch_rows: Vec<u64>,
    pub batch_bytes: Vec<u64>,
    /// Statistics per column name.
    pub columns: BTreeMap<String, ColumnStats>,
    /// Statistics of each record batch per column name (the keys of `columns`), how planning
    /// skips record batches: absent for a file of one batch (`columns` says the same) and in
    /// manifests written before.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub batch_columns: BTreeMap<String, BatchStats>,
}

impl DataFile {
    /// Describes a finished file from what its writer or reader counted.
    pub fn new(
        path: &std::path::Path,
        bytes: u64,
        batch_rows: Vec<u64>,
        batch_bytes: Vec<u64>,
        columns: BTreeMap<String, ColumnStats>,
    ) -> DataFile {
        DataFile {
            path: path.to_string_lossy().to_string(),
            rows: batch_rows.iter().sum(),
            bytes,
            batch_rows,
            batch_bytes,
            columns,
            batch_columns: BTreeMap::new(),
        }
    }

    /// This file with the statistics of each of its record batches.
    pub fn with_batch_columns(mut self, batch_columns: BTreeMap<String, BatchStats>) -> DataFile {
        self.batch_columns = batch_columns;
        self
    }
}

/// Rows, files and bytes of a set of data files.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Totals {
    pub rows: u64,
    pub files: u64,
    pub bytes: u64,
}

impl Totals {
    pub fn of<'a>(files: impl IntoIterator<Item = &'a DataFile>) -> Totals {
        let mut totals = Totals::default();
        for f in files {
            totals.rows += f.rows;
            totals.files += 1;
            totals.bytes += f.bytes;
        }
        totals
    }

    pub fn plus(self, other: Totals) -> Totals {
        Totals {
            rows: self.rows + other.rows,
            files: self.files + other.files,
            bytes: self.bytes + other.bytes,
        }
    }
}

/// The manifest of one snapshot: `<metadata_location>/snap-<id>-<uuid>.json`.
///
/// Format 2 keeps it small whatever the history: it names the immutable data manifests that
/// hold its files (shared with its parent; an append adds one) and the immutable log segments
/// that index its ancestors, plus the newest few ancestors inline. Format 1 (written before)
/// holds every file inline and reaches its ancestors through `parent_manifest` only; it is
/// still read, and the first commit onto it continues in format 2.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format_version: u32,
    pub table_id: String,
    pub snapshot_id: i64,
    pub parent_snapshot_id: Option<i64>,
    /// File name of the parent's manifest.
    pub parent_manifest: Option<String>,
    pub committed_at_ms: i64,
    pub operation: String,
    /// The Presto query that committed it, when one did.
    #[serde(default)]
    pub query_id: Option<String>,
    #[serde(default)]
    pub summary: SnapshotSummary,
    /// Format 1: every file of the snapshot.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<DataFile>,
    /// Format 2: totals of the snapshot's files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totals: Option<Totals>,
    /// Format 2: the data manifests holding the snapshot's files, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manifests: Vec<ManifestRef>,
    /// Format 2: log segments of the older ancestors, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<LogRef>,
    /// Format 2: the newest ancestors not yet in a log segment, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent_log: Vec<SnapshotEntry>,
    /// Format 2 on top of format 1: the newest format-1 manifest not in the log, whose chain of
    /// parents holds the rest of the history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_parent: Option<String>,
    /// Format 2: statistics of the snapshot's rows per table column id, for the cost-based
    /// optimizer (see `table_stats`); absent when they do not cover every row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column_stats: Option<crate::storage::table_stats::TableStats>,
}

impl Manifest {
    pub fn is_format_1(&self) -> bool {
        self.totals.is_none()
    }

    pub fn totals(&self) -> Totals {
        self.totals.unwrap_or_else(|| Totals::of(&self.files))
    }

    pub fn row_count(&self) -> u64 {
        self.totals().rows
    }

    /// This snapshot as one entry of its descendants' log (and one row of `"t$snapshots"`).
    pub fn entry(&self, manifest: &str) -> SnapshotEntry {
        let totals = self.totals();
        SnapshotEntry {
            snapshot_id: self.snapshot_id,
            parent_id: self.parent_snapshot_id,
            committed_at_ms: self.committed_at_ms,
            operation: self.operation.clone(),
            query_id: self.query_id.clone(),
            summary: self.summary.clone(),
            total_rows: totals.rows,
            total_files: totals.files,
            manifest: manifest.to_string(),
        }
    }
}

/// What a snapshot changed relative to its parent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SnapshotSummary {
    pub added_files: u64,
    pub added_rows: u64,
    pub removed_files: u64,
    pub removed_rows: u64,
}

/// One snapshot of a table's history: an entry of the snapshot log, a row of `"t$snapshots"`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SnapshotEntry {
    pub snapshot_id: i64,
    pub parent_id: Option<i64>,
    pub committed_at_ms: i64,
    pub operation: String,
    pub query_id: Option<String>,
    pub summary: SnapshotSummary,
    pub total_rows: u64,
    pub total_files: u64,
    /// File name of the snapshot's manifest.
    pub manifest: String,
}

/// An immutable file of data file entries, `manifest-<uuid>.json`: written once by the commit
/// that added the files (or a merge of small ones), then shared by every later snapshot.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DataManifest {
    pub format_version: u32,
    pub files: Vec<DataFile>,
}

/// A data manifest as a snapshot names it, with the totals of its files.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ManifestRef {
    pub name: String,
    pub rows: u64,
    pub files: u64,
    pub bytes: u64,
}

impl ManifestRef {
    pub fn totals(&self) -> Totals {
        Totals {
            rows: self.rows,
            files: self.files,
            bytes: self.bytes,
        }
    }
}

/// An immutable file of snapshot log entries, `log-<uuid>.json`, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LogSegment {
    pub format_version: u32,
    pub entries: Vec<SnapshotEntry>,
}

/// A log segment as a snapshot names it, with what a lookup needs to skip it unread.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LogRef {
    pub name: String,
    pub entries: u64,
    pub first_snapshot_id: i64,
    pub last_snapshot_id: i64,
    pub min_committed_at_ms: i64,
    pub max_committed_at_ms: i64,
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

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
