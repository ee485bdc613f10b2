//! The metadata requests the Java plugin sends, as serde JSON (`{"op": "create_table", ...}`).
//! Requests that take a table lock carry the Presto `query_id` (or null); the lock's holder is
//! built here ([`holder`]): the node is this catalog's registered node.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::commit::Operation;
use crate::catalog::ddl::{ColumnSpec, NewTable};
use crate::plan::pruning::ColumnDomain;
use crate::storage::records::DataFile;
use crate::zk::lock::LockHolder;

/// The holder of a lock taken for `query_id`: the node is filled in when the lock is taken (this
/// catalog's registered node id, else `zkarrow`).
pub fn holder(query_id: Option<String>) -> LockHolder {
    LockHolder {
        node: String::new(),
        query_id,
        since_ms: 0,
    }
}

pub use crate::catalog::snapshots::Version;

/// A size argument: a number of bytes, or text such as `128MB` (`units::parse_size`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum SizeArg {
    Bytes(u64),
    Text(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    ListSchemas,
    CreateSchema {
        schema: String,
    },
    DropSchema {
        schema: String,
    },
    ListTables {
        schema: Option<String>,
    },
    GetTable {
        schema: String,
        table: String,
    },
    /// Every table of `schema` (of every schema when null) as `get_table` describes it, in one
    /// call: SHOW TABLES, information_schema.tables/columns.
    DescribeTables {
        #[serde(default)]
        schema: Option<String>,
    },
    RegisterTable {
        schema: String,
        table: String,
        path: String,
    },
    UnregisterTable {
        schema: String,
        table: String,
        #[serde(default)]
        query_id: Option<String>,
    },
    CreateTable {
        schema: String,
        table: String,
        columns: Vec<ColumnSpec>,
        #[serde(default)]
        properties: BTreeMap<String, String>,
    },
    DropTable {
        schema: String,
        table: String,
        #[serde(default)]
        query_id: Option<String>,
    },
    RenameTable {
        schema: String,
        table: String,
        new_schema: String,
        new_table: String,
        #[serde(default)]
        query_id: Option<String>,
    },
    /// CREATE TABLE AS, begin: an id and a location for the writers; nothing is published yet.
    PlanNewTable {
        schema: String,
        table: String,
        columns: Vec<ColumnSpec>,
        #[serde(default)]
        properties: BTreeMap<String, String>,
        /// The CREATE TABLE AS query: its writers' files start with it.
        #[serde(default)]
        query_id: Option<String>,
    },
    /// CREATE TABLE AS that failed: removes what its writers left in the planned table's
    /// directories (refused once the table is published).
    AbortNewTable {
        new_table: NewTable,
    },
    AddColumn {
        schema: String,
        table: String,
        name: String,
        #[serde(rename = "type")]
        presto_type: String,
        #[serde(default)]
        query_id: Option<String>,
    },
    RenameColumn {
        schema: String,
        table: String,
        name: String,
        new_name: String,
        #[serde(default)]
        query_id: Option<String>,
    },
    DropColumn {
        schema: String,
        table: String,
        name: String,
        #[serde(default)]
        query_id: Option<String>,
    },
    /// CREATE TABLE AS, finish: the table appears with the written files as its first snapshot.
    PublishTable {
        new_table: NewTable,
        files: Vec<DataFile>,
    },
    /// INSERT, begin: marks the write in flight (orphan removal spares its files) and answers
    /// the table it writes into.
    BeginWrite {
        schema: String,
        table: String,
        query_id: String,
    },
    /// INSERT that failed: the write is no longer in flight.
    EndWrite {
        table_id: String,
        query_id: String,
    },
    /// INSERT, finish: one new snapshot with the written files (ends the write).
    Commit {
        schema: String,
        table: String,
        operation: Operation,
        files: Vec<DataFile>,
        #[serde(default)]
        base_snapshot_id: Option<i64>,
        /// The id of the table the statement started on (`get_table`'s `id`).
        #[serde(default)]
        table_id: Option<String>,
        #[serde(default)]
        query_id: Option<String>,
        #[serde(default)]
        lock_timeout_ms: Option<u64>,
    },
    PlanSplits {
        schema: String,
        table: String,
        /// The projected columns' ids; empty for a scan that reads no column (count(*)).
        column_ids: Vec<u32>,
        #[serde(default)]
        snapshot_id: Option<i64>,
        #[serde(default)]
        domains: Vec<ColumnDomain>,
        /// Null: the live `split_target_size` setting.
        #[serde(default)]
        target_split_bytes: Option<u64>,
        /// The most rows the query reads (a LIMIT directly over the scan); null: all. Only the
        /// leading splits that cover it are planned (ignored with `domains`).
        #[serde(default)]
        limit: Option<u64>,
    },
    /// Time travel: the snapshot `FOR VERSION|TIMESTAMP AS OF|BEFORE` selects; exactly one of
    /// `version` and `timestamp_ms`.
    ResolveVersion {
        schema: String,
        table: String,
        #[serde(default)]
        version: Option<Version>,
        #[serde(default)]
        timestamp_ms: Option<i64>,
        /// The `BEFORE` operator (else `AS OF`).
        #[serde(default)]
        before: bool,
    },
    Snapshots {
        schema: String,
        table: String,
    },
    Files {
        schema: String,
        table: String,
        snapshot_id: Option<i64>,
    },
    RollbackToSnapshot {
        schema: String,
        table: String,
        snapshot_id: Option<i64>,
        #[serde(default)]
        query_id: Option<String>,
        #[serde(default)]
        lock_timeout_ms: Option<u64>,
    },
    /// `older_than`: an age (`7d`) or an ISO-8601 instant; null: `7d`. `retain_last` null: 1.
    /// Row count and column estimates of snapshot `snapshot_id` (the current one when null), for
    /// the cost-based optimizer.
    TableStatistics {
        schema: String,
        table: String,
        #[serde(default)]
        snapshot_id: Option<i64>,
    },
    ExpireSnapshots {
        schema: String,
        table: String,
        #[serde(default)]
        older_than: Option<String>,
        #[serde(default)]
        retain_last: Option<i64>,
    },
    /// `older_than` null: `1d`; `dry_run` null: false.
    RemoveOrphanFiles {
        schema: String,
        table: String,
        #[serde(default)]
        older_than: Option<String>,
        #[serde(default)]
        dry_run: Option<bool>,
        #[serde(default)]
        query_id: Option<String>,
    },
    /// Compaction: rewrites the small files zkarrow wrote into files of about
    /// `target_file_size` (`"128MB"` or a number of bytes; null: 128MB) as one replace snapshot.
    Optimize {
        schema: String,
        table: String,
        #[serde(default)]
        target_file_size: Option<SizeArg>,
        #[serde(default)]
        query_id: Option<String>,
    },
    /// Every lock node of every table of the catalog.
    Locks,
    Nodes,
    Config,
    SetConfig {
        key: String,
        value: String,
    },
    Znodes,
    Counters,
}

impl Request {
    /// Whether the request changes the catalog or data (refused while read_only is set).
    pub(crate) fn writes(&self) -> bool {
        match self {
            Request::CreateSchema { .. }
            | Request::DropSchema { .. }
            | Request::RegisterTable { .. }
            | Request::UnregisterTable { .. }
            | Request::CreateTable { .. }
            | Request::DropTable { .. }
            | Request::RenameTable { .. }
            | Request::PlanNewTable { .. }
            | Request::PublishTable { .. }
            | Request::AbortNewTable { .. }
            | Request::AddColumn { .. }
            | Request::RenameColumn { .. }
            | Request::DropColumn { .. }
            | Request::Commit { .. }
            | Request::BeginWrite { .. }
            | Request::RollbackToSnapshot { .. }
            | Request::ExpireSnapshots { .. } => true,
            Request::Optimize { .. } => true,
            Request::RemoveOrphanFiles { dry_run, .. } => !dry_run.unwrap_or(false),
            _ => false,
        }
    }
}
