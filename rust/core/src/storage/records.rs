//! The records zkarrow keeps: schema and table records (JSON znodes) and snapshot manifests (JSON
//! files in the table's metadata directory). Every field is readable with zkCli.sh `get`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::storage::stats::ColumnStats;

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
        }
    }
}

/// A snapshot manifest: `<metadata_location>/snap-<id>.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format_version: u32,
    pub table_id: String,
    pub snapshot_id: i64,
    pub parent_snapshot_id: Option<i64>,
    /// File name of the parent's manifest: the chain of parents is the table's history.
    pub parent_manifest: Option<String>,
    pub committed_at_ms: i64,
    pub operation: String,
    /// The Presto query that committed it, when one did.
    #[serde(default)]
    pub query_id: Option<String>,
    #[serde(default)]
    pub summary: SnapshotSummary,
    pub files: Vec<DataFile>,
}

/// What a snapshot changed relative to its parent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SnapshotSummary {
    pub added_files: u64,
    pub added_rows: u64,
    pub removed_files: u64,
    pub removed_rows: u64,
}

impl Manifest {
    /// The snapshot after `parent` (named `parent_name`) whose files are `files`; the first
    /// snapshot of a table when there is no parent.
    pub fn child_of(
        table_id: &str,
        parent: Option<(&Manifest, &str)>,
        operation: &str,
        files: Vec<DataFile>,
        query_id: Option<String>,
    ) -> Manifest {
        let before: std::collections::HashSet<&str> = parent
            .map(|(m, _)| m.files.iter().map(|f| f.path.as_str()).collect())
            .unwrap_or_default();
        let after: std::collections::HashSet<&str> =
            files.iter().map(|f| f.path.as_str()).collect();
        let mut summary = SnapshotSummary::default();
        for f in files.iter().filter(|f| !before.contains(f.path.as_str())) {
            summary.added_files += 1;
            summary.added_rows += f.rows;
        }
        if let Some((p, _)) = parent {
            for f in p.files.iter().filter(|f| !after.contains(f.path.as_str())) {
                summary.removed_files += 1;
                summary.removed_rows += f.rows;
            }
        }
        Manifest {
            format_version: 1,
            table_id: table_id.to_string(),
            snapshot_id: parent.map(|(m, _)| m.snapshot_id + 1).unwrap_or(1),
            parent_snapshot_id: parent.map(|(m, _)| m.snapshot_id),
            parent_manifest: parent.map(|(_, name)| name.to_string()),
            committed_at_ms: now_ms(),
            operation: operation.to_string(),
            query_id,
            summary,
            files,
        }
    }

    pub fn row_count(&self) -> u64 {
        self.files.iter().map(|f| f.rows).sum()
    }
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
