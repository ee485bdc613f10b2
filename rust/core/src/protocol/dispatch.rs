//! The metadata requests the Java plugin sends, as serde JSON, and their answers. One function
//! serves them all so that the JNI surface stays one call wide.

use serde::Deserialize;
use serde_json::{json, Value};

use std::collections::BTreeMap;
use std::time::Duration;

use crate::catalog::Catalog;
use crate::commit::{CommitRequest, LockHolder, Operation};
use crate::ddl::{ColumnSpec, NewTable};
use crate::model::DataFile;
use crate::pruning::ColumnDomain;
use crate::{err, runtime, Result};

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

/// Parses a request, runs it against `catalog` and serializes the answer.
pub fn handle_json(catalog: &Catalog, request: &str) -> Result<String> {
    let request: Request = serde_json::from_str(request)
        .map_err(|e| err!(InvalidArgument, "malformed request {request}: {e}"))?;
    let answer = runtime::block_on(handle(catalog, request))?;
    Ok(answer.to_string())
}

impl Request {
    /// Whether the request changes the catalog or data (refused while read_only is set).
    fn writes(&self) -> bool {
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

pub async fn handle(catalog: &Catalog, request: Request) -> Result<Value> {
    if request.writes() {
        catalog.check_writable()?;
    }
    let settings = catalog.settings();
    let lock_timeout = |ms: Option<u64>| {
        ms.map(Duration::from_millis)
            .unwrap_or(settings.lock_wait_timeout)
    };
    Ok(match request {
        Request::ListSchemas => json!({ "schemas": catalog.list_schemas().await? }),
        Request::CreateSchema { schema } => {
            catalog.create_schema(&schema).await?;
            json!({})
        }
        Request::DropSchema { schema } => {
            catalog.drop_schema(&schema).await?;
            json!({})
        }
        Request::ListTables { schema } => {
            json!({ "tables": catalog.list_tables(schema.as_deref()).await? })
        }
        Request::GetTable { schema, table } => match catalog.get_table(&schema, &table).await? {
            Some(t) => {
                let rows = catalog.current_manifest(&t).await?.row_count();
                json!({ "table": table_json(&t, rows) })
            }
            None => json!({ "table": null }),
        },
        Request::RegisterTable {
            schema,
            table,
            path,
        } => {
            let t = catalog.register_table(&schema, &table, &path).await?;
            let rows = catalog.current_manifest(&t).await?.row_count();
            json!({ "table": table_json(&t, rows) })
        }
        Request::UnregisterTable {
            schema,
            table,
            holder,
        } => {
            catalog.unregister_table(&schema, &table, holder).await?;
            json!({})
        }
        Request::CreateTable {
            schema,
            table,
            columns,
            properties,
        } => {
            let t = catalog
                .create_table(&schema, &table, &columns, &properties)
                .await?;
            json!({ "table": table_json(&t, 0) })
        }
        Request::DropTable {
            schema,
            table,
            holder,
        } => {
            catalog.drop_table(&schema, &table, holder).await?;
            json!({})
        }
        Request::RenameTable {
            schema,
            table,
            new_schema,
            new_table,
            holder,
        } => {
            catalog
                .rename_table(&schema, &table, &new_schema, &new_table, holder)
                .await?;
            json!({})
        }
        Request::PlanNewTable {
            schema,
            table,
            columns,
            properties,
            query_id,
        } => {
            let mut new = catalog
                .plan_new_table(&schema, &table, &columns, &properties)
                .await?;
            new.query_id = query_id;
            json!({ "new_table": new, "data_dir": new.data_dir() })
        }
        Request::AbortNewTable { new_table } => {
            catalog.abort_new_table(&new_table).await?;
            json!({})
        }
        Request::AddColumn {
            schema,
            table,
            name,
            presto_type,
            holder,
        } => {
            let t = catalog
                .add_column(&schema, &table, &name, &presto_type, holder)
                .await?;
            json!({ "table": table_json(&t, 0) })
        }
        Request::RenameColumn {
            schema,
            table,
            name,
            new_name,
            holder,
        } => {
            let t = catalog
                .rename_column(&schema, &table, &name, &new_name, holder)
                .await?;
            json!({ "table": table_json(&t, 0) })
        }
        Request::DropColumn {
            schema,
            table,
            name,
            holder,
        } => {
            let t = catalog.drop_column(&schema, &table, &name, holder).await?;
            json!({ "table": table_json(&t, 0) })
        }
        Request::PublishTable { new_table, files } => {
            let rows = files.iter().map(|f| f.rows).sum::<u64>();
            let t = catalog
                .publish_table(new_table, "create_table_as", files)
                .await?;
            json!({ "table": table_json(&t, rows) })
        }
        Request::Commit {
            schema,
            table,
            operation,
            files,
            base_snapshot_id,
            table_id,
            holder,
            lock_timeout_ms,
        } => {
            let write = (table_id.clone(), holder.query_id.clone());
            let request = CommitRequest {
                schema,
                table,
                operation,
                files,
                base_snapshot_id,
                table_id,
                holder,
                lock_timeout: lock_timeout(lock_timeout_ms),
            };
            let outcome = catalog.commit(request).await;
            if let (Some(table_id), Some(query_id)) = write {
                catalog.end_write(&table_id, &query_id).await?;
            }
            json!(outcome?)
        }
        Request::BeginWrite {
            schema,
            table,
            query_id,
        } => {
            let t = catalog.begin_write(&schema, &table, &query_id).await?;
            let rows = catalog.current_manifest(&t).await?.row_count();
            json!({ "table": table_json(&t, rows) })
        }
        Request::EndWrite { table_id, query_id } => {
            catalog.end_write(&table_id, &query_id).await?;
            json!({})
        }
        Request::PlanSplits {
            schema,
            table,
            columns: _,
            snapshot_id,
            domains,
            target_split_bytes,
        } => {
            let splits = catalog
                .plan_splits(&schema, &table, snapshot_id, &domains, target_split_bytes)
                .await?;
            json!({ "splits": splits })
        }
        Request::Snapshots { schema, table } => {
            json!({ "snapshots": catalog.snapshots(&schema, &table).await? })
        }
        Request::Files {
            schema,
            table,
            snapshot_id,
        } => {
            let record = catalog.require_table(&schema, &table).await?;
            json!({ "files": catalog.manifest_at(&record, snapshot_id).await?.files })
        }
        Request::RollbackToSnapshot {
            schema,
            table,
            snapshot_id,
            holder,
            lock_timeout_ms,
        } => {
            let timeout = lock_timeout(lock_timeout_ms);
            json!(
                catalog
                    .rollback_to_snapshot(&schema, &table, snapshot_id, holder, timeout)
                    .await?
            )
        }
        Request::ExpireSnapshots {
            schema,
            table,
            older_than_ms,
            retain_last,
        } => {
            json!({ "expired": catalog.expire_snapshots(&schema, &table, older_than_ms, retain_last).await? })
        }
        Request::RemoveOrphanFiles {
            schema,
            table,
            older_than_ms,
            dry_run,
            holder,
        } => {
            json!(
                catalog
                    .remove_orphan_files(&schema, &table, older_than_ms, dry_run, holder)
                    .await?
            )
        }
        Request::Locks => {
            let mut locks = Vec::new();
            for t in catalog.list_tables(None).await? {
                locks.extend(catalog.lock_holders(&t.schema, &t.table).await?);
            }
            json!({ "locks": locks })
        }
        Request::Nodes => json!({ "nodes": catalog.nodes().await? }),
        Request::Config => {
            json!({ "settings": catalog.config_rows()?, "error": catalog.live().config_error() })
        }
        Request::SetConfig { key, value } => {
            catalog.set_config(&key, &value).await?;
            json!({})
        }
        Request::Znodes => json!({ "znodes": catalog.znodes().await? }),
        Request::Counters => json!(catalog.counters()),
    })
}

fn table_json(t: &crate::model::TableRecord, row_count: u64) -> Value {
    json!({
        "schema": t.schema,
        "table": t.name,
        "id": t.id,
        "snapshot_id": t.current_snapshot_id,
        "row_count": row_count,
        "columns": t.columns,
        "location": t.location,
        "data_dir": crate::ddl::data_dir(&t.metadata_location),
        "external": t.external,
        "properties": t.properties,
    })
}
