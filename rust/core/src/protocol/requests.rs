//! The metadata requests the Java plugin sends, as serde JSON (`{"op": "create_table", ...}`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::catalog::commit::Operation;
use crate::catalog::ddl::{ColumnSpec, NewTable};
use crate::plan::pruning::ColumnDomain;
use crate::storage::records::DataFile;
use crate::zk::lock::LockHolder;

#[derive(Debug, Deserialize)]
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
    RegisterTable {
        schema: String,
        table: String,
        path: String,
    },
    UnregisterTable {
        schema: String,
        table: String,
        #[serde(default)]
        holder: LockHolder,
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
        holder: LockHolder,
    },
    RenameTable {
        schema: String,
        table: String,
        new_schema: String,
        new_table: String,
        #[serde(default)]
        holder: LockHolder,
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
        holder: LockHolder,
    },
    RenameColumn {
        schema: String,
        table: String,
        name: String,
        new_name: String,
        #[serde(default)]
        holder: LockHolder,
    },
    DropColumn {
        schema: String,
        table: String,
        name: String,
        #[serde(default)]
        holder: LockHolder,
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
        base_snapshot_id: Option<i64>,
        /// The id of the table the statement started on (`get_table`'s `id`).
        #[serde(default)]
        table_id: Option<String>,
        #[serde(default)]
        holder: LockHolder,
        lock_timeout_ms: Option<u64>,
    },
    PlanSplits {
        schema: String,
        table: String,
        #[serde(default)]
        columns: Vec<String>,
        snapshot_id: Option<i64>,
        #[serde(default)]
        domains: Vec<ColumnDomain>,
        target_split_bytes: Option<u64>,
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
        snapshot_id: i64,
        #[serde(default)]
        holder: LockHolder,
        lock_timeout_ms: Option<u64>,
    },
    ExpireSnapshots {
        schema: String,
        table: String,
        older_than_ms: i64,
        retain_last: usize,
    },
    RemoveOrphanFiles {
        schema: String,
        table: String,
        older_than_ms: i64,
        dry_run: bool,
        #[serde(default)]
        holder: LockHolder,
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
            Request::RemoveOrphanFiles { dry_run, .. } => !dry_run,
            _ => false,
        }
    }
}
