//! The answers to the metadata requests of [`crate::protocol::requests`]: one typed struct per
//! shape, serialized once by [`crate::protocol::dispatch`]. The golden documents
//! `tests/protocol/*.json` hold an example of each.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::admin::{Counters, ZnodeRow};
use crate::catalog::commit::CommitOutcome;
use crate::catalog::ddl::NewTable;
use crate::catalog::optimize::OptimizeReport;
use crate::catalog::snapshots::{OrphanReport, SnapshotInfo};
use crate::catalog::tables::TableName;
use crate::plan::splits::Split;
use crate::storage::records::{ColumnRecord, DataFile, TableRecord};
use crate::zk::lock::LockNode;
use crate::zk::membership::NodeInfo;
use crate::zk::settings::SettingRow;
use crate::{err, Result};

/// A table as the plugin sees it (`get_table`, `create_table`, the column changes, ...).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Table {
    pub schema: String,
    pub table: String,
    pub id: String,
    pub snapshot_id: i64,
    /// Rows of the current snapshot.
    pub row_count: u64,
    pub columns: Vec<ColumnRecord>,
    pub location: String,
    /// Where writers put new data files.
    pub data_dir: String,
    pub external: bool,
    pub properties: BTreeMap<String, String>,
}

impl Table {
    pub fn new(t: &TableRecord, row_count: u64) -> Table {
        Table {
            schema: t.schema.clone(),
            table: t.name.clone(),
            id: t.id.clone(),
            snapshot_id: t.current_snapshot_id,
            row_count,
            columns: t.columns.clone(),
            location: t.location.clone(),
            data_dir: crate::catalog::ddl::data_dir(&t.metadata_location)
                .to_string_lossy()
                .to_string(),
            external: t.external,
            properties: t.properties.clone(),
        }
    }
}

/// `{}`: the request was done.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Done {}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Schemas {
    pub schemas: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tables {
    pub tables: Vec<TableName>,
}

/// `get_table`: the table, or null when there is none.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MaybeTable {
    pub table: Option<Table>,
}

/// `describe_tables`: the tables, sorted by schema then table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DescribedTables {
    pub tables: Vec<Table>,
}

/// A table that exists after the request (create, register, publish, begin_write, column changes).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableAnswer {
    pub table: Table,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PlannedTable {
    pub new_table: NewTable,
    pub data_dir: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Splits {
    pub splits: Vec<Split>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ResolvedVersion {
    pub snapshot_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Snapshots {
    pub snapshots: Vec<SnapshotInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Files {
    pub files: Vec<DataFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Expired {
    pub expired: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Locks {
    pub locks: Vec<LockNode>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Nodes {
    pub nodes: Vec<NodeInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Config {
    pub settings: Vec<SettingRow>,
    /// Why `<root>/config` was not applied, if it was not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Znodes {
    pub znodes: Vec<ZnodeRow>,
}

/// The answer to any request: serialized as the answer itself (no tag; the request's `op` says
/// which it is, see [`Response::from_value`]).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Response {
    Done(Done),
    Schemas(Schemas),
    Tables(Tables),
    MaybeTable(MaybeTable),
    DescribedTables(DescribedTables),
    Table(TableAnswer),
    PlannedTable(PlannedTable),
    Commit(CommitOutcome),
    Splits(Splits),
    ResolvedVersion(ResolvedVersion),
    Snapshots(Snapshots),
    Files(Files),
    Expired(Expired),
    Orphans(OrphanReport),
    Optimized(OptimizeReport),
    Locks(Locks),
    Nodes(Nodes),
    Config(Config),
    Znodes(Znodes),
    Counters(Counters),
    TableStatistics(crate::protocol::statistics::TableStatistics),
}

/// Every `op` of the protocol.
pub const OPS: [&str; 35] = [
    "list_schemas",
    "create_schema",
    "drop_schema",
    "list_tables",
    "get_table",
    "describe_tables",
    "register_table",
    "unregister_table",
    "create_table",
    "drop_table",
    "rename_table",
    "plan_new_table",
    "abort_new_table",
    "add_column",
    "rename_column",
    "drop_column",
    "publish_table",
    "begin_write",
    "end_write",
    "commit",
    "plan_splits",
    "resolve_version",
    "snapshots",
    "files",
    "rollback_to_snapshot",
    "expire_snapshots",
    "remove_orphan_files",
    "optimize",
    "locks",
    "nodes",
    "config",
    "set_config",
    "znodes",
    "counters",
    "table_statistics",
];

impl Response {
    /// Reads the answer to a request of `op` into its typed struct.
    pub fn from_value(op: &str, value: serde_json::Value) -> Result<Response> {
        fn typed<T: serde::de::DeserializeOwned>(
            op: &str,
            value: serde_json::Value,
            wrap: fn(T) -> Response,
        ) -> Result<Response> {
            serde_json::from_value(value)
                .map(wrap)
                .map_err(|e| err!(InvalidArgument, "malformed answer to {op}: {e}"))
        }
        match op {
            "create_schema" | "drop_schema" | "unregister_table" | "drop_table"
            | "rename_table" | "abort_new_table" | "end_write" | "set_config" => {
                typed(op, value, Response::Done)
            }
            "list_schemas" => typed(op, value, Response::Schemas),
            "list_tables" => typed(op, value, Response::Tables),
            "get_table" => typed(op, value, Response::MaybeTable),
            "describe_tables" => typed(op, value, Response::DescribedTables),
            "register_table" | "create_table" | "add_column" | "rename_column" | "drop_column"
            | "publish_table" | "begin_write" => typed(op, value, Response::Table),
            "plan_new_table" => typed(op, value, Response::PlannedTable),
            "commit" | "rollback_to_snapshot" => typed(op, value, Response::Commit),
            "plan_splits" => typed(op, value, Response::Splits),
            "resolve_version" => typed(op, value, Response::ResolvedVersion),
            "snapshots" => typed(op, value, Response::Snapshots),
            "files" => typed(op, value, Response::Files),
            "expire_snapshots" => typed(op, value, Response::Expired),
            "remove_orphan_files" => typed(op, value, Response::Orphans),
            "optimize" => typed(op, value, Response::Optimized),
            "locks" => typed(op, value, Response::Locks),
            "nodes" => typed(op, value, Response::Nodes),
            "config" => typed(op, value, Response::Config),
            "znodes" => typed(op, value, Response::Znodes),
            "counters" => typed(op, value, Response::Counters),
            "table_statistics" => typed(op, value, Response::TableStatistics),
            _ => Err(err!(InvalidArgument, "no request has op '{op}'")),
        }
    }
}
