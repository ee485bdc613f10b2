//! Answers the metadata requests of [`crate::protocol::requests`]: one function serves them all so
//! that the JNI surface stays one call wide.

use std::time::Duration;

use serde_json::{json, Value};

use crate::catalog::commit::CommitRequest;
use crate::catalog::Catalog;
use crate::protocol::requests::Request;
use crate::storage::records::TableRecord;
use crate::{err, runtime, Result};

/// Parses a request, runs it against `catalog` and serializes the answer.
pub fn handle_json(catalog: &Catalog, request: &str) -> Result<String> {
    let request: Request = serde_json::from_str(request)
        .map_err(|e| err!(InvalidArgument, "malformed request {request}: {e}"))?;
    let answer = runtime::block_on(handle(catalog, request))?;
    Ok(answer.to_string())
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

fn table_json(t: &TableRecord, row_count: u64) -> Value {
    json!({
        "schema": t.schema,
        "table": t.name,
        "id": t.id,
        "snapshot_id": t.current_snapshot_id,
        "row_count": row_count,
        "columns": t.columns,
        "location": t.location,
        "data_dir": crate::catalog::ddl::data_dir(&t.metadata_location),
        "external": t.external,
        "properties": t.properties,
    })
}
