//! Answers the metadata requests of [`crate::protocol::requests`]: one function serves them all so
//! that the JNI surface stays one call wide. Every answer is a typed [`Response`], serialized once.

use std::time::Duration;

use crate::catalog::commit::CommitRequest;
use crate::catalog::Catalog;
use crate::protocol::requests::{holder, Request, SizeArg};
use crate::protocol::responses::*;
use crate::storage::records::{now_ms, TableRecord};
use crate::storage::writer::DEFAULT_TARGET_FILE_BYTES;
use crate::{err, runtime, Result};

/// `expire_snapshots`' `older_than` when the request has none.
pub const DEFAULT_EXPIRE_OLDER_THAN: &str = "7d";
/// `expire_snapshots`' `retain_last` when the request has none.
pub const DEFAULT_RETAIN_LAST: i64 = 1;
/// `remove_orphan_files`' `older_than` when the request has none.
pub const DEFAULT_ORPHAN_OLDER_THAN: &str = "1d";

/// Parses a request, runs it against `catalog` and serializes the answer.
pub fn handle_json(catalog: &Catalog, request: &str) -> Result<String> {
    let request: Request = serde_json::from_str(request)
        .map_err(|e| err!(InvalidArgument, "malformed request {request}: {e}"))?;
    let answer = runtime::block_on(handle(catalog, request))?;
    serde_json::to_string(&answer).map_err(|e| err!(Internal, "cannot serialize an answer: {e}"))
}

/// `retain_last` as the procedure's argument allows it (at least 1).
pub fn check_retain_last(retain_last: i64) -> Result<usize> {
    usize::try_from(retain_last)
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| {
            err!(
                InvalidArgument,
                "The argument retain_last must be at least 1 (the current snapshot is always kept), not {retain_last}"
            )
        })
}

/// `snapshot_id` of rollback_to_snapshot: a positive id.
pub fn check_snapshot_id(table: &str, snapshot_id: Option<i64>) -> Result<i64> {
    snapshot_id.filter(|&id| id >= 1).ok_or_else(|| {
        let shown = snapshot_id.map_or("null".to_string(), |id| id.to_string());
        err!(
            InvalidArgument,
            "The argument snapshot_id must be a positive snapshot id, not {shown} (see \"{table}$snapshots\")"
        )
    })
}

/// `target_file_size` of optimize: a size such as `128MB`, or bytes; null: 128MB.
pub fn check_target_file_size(size: Option<&SizeArg>) -> Result<u64> {
    let bad = |shown: &str| {
        err!(
            InvalidArgument,
            "The argument target_file_size must be a size such as 128MB or 1GB, or a number of bytes, not '{shown}'"
        )
    };
    match size {
        None => Ok(DEFAULT_TARGET_FILE_BYTES),
        Some(SizeArg::Bytes(0)) => Err(bad("0")),
        Some(SizeArg::Bytes(n)) => Ok(*n),
        Some(SizeArg::Text(text)) => crate::units::parse_size(text).map_err(|_| bad(text)),
    }
}

pub async fn handle(catalog: &Catalog, request: Request) -> Result<Response> {
    if request.writes() {
        catalog.check_writable()?;
    }
    let settings = catalog.settings();
    let lock_timeout = |ms: Option<u64>| {
        ms.map(Duration::from_millis)
            .unwrap_or(settings.lock_wait_timeout)
    };
    Ok(match request {
        Request::ListSchemas => Response::Schemas(Schemas {
            schemas: catalog.list_schemas().await?,
        }),
        Request::CreateSchema { schema } => {
            catalog.create_schema(&schema).await?;
            Response::Done(Done {})
        }
        Request::DropSchema { schema } => {
            catalog.drop_schema(&schema).await?;
            Response::Done(Done {})
        }
        Request::ListTables { schema } => Response::Tables(Tables {
            tables: catalog.list_tables(schema.as_deref()).await?,
        }),
        Request::GetTable { schema, table } => {
            let table = match catalog.get_table(&schema, &table).await? {
                Some(t) => Some(table_of(catalog, &t).await?),
                None => None,
            };
            Response::MaybeTable(MaybeTable { table })
        }
        Request::DescribeTables { schema } => {
            let records = catalog.table_records(schema.as_deref()).await?;
            let mut tables = Vec::with_capacity(records.len());
            for t in &records {
                match table_of(catalog, t).await {
                    Ok(table) => tables.push(table),
                    // dropped since its record was read (its files went with it): left out
                    Err(_) if !catalog.still_exists(t).await? => {}
                    Err(e) => return Err(e),
                }
            }
            Response::DescribedTables(DescribedTables { tables })
        }
        Request::RegisterTable {
            schema,
            table,
            path,
        } => {
            let t = catalog.register_table(&schema, &table, &path).await?;
            table_answer(catalog, &t).await?
        }
        Request::UnregisterTable {
            schema,
            table,
            query_id,
        } => {
            catalog
                .unregister_table(&schema, &table, holder(query_id))
                .await?;
            Response::Done(Done {})
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
            table_answer(catalog, &t).await?
        }
        Request::DropTable {
            schema,
            table,
            query_id,
        } => {
            catalog
                .drop_table(&schema, &table, holder(query_id))
                .await?;
            Response::Done(Done {})
        }
        Request::RenameTable {
            schema,
            table,
            new_schema,
            new_table,
            query_id,
        } => {
            catalog
                .rename_table(&schema, &table, &new_schema, &new_table, holder(query_id))
                .await?;
            Response::Done(Done {})
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
            let data_dir = new.data_dir().to_string_lossy().to_string();
            Response::PlannedTable(PlannedTable {
                new_table: new,
                data_dir,
            })
        }
        Request::AbortNewTable { new_table } => {
            catalog.abort_new_table(&new_table).await?;
            Response::Done(Done {})
        }
        Request::AddColumn {
            schema,
            table,
            name,
            presto_type,
            query_id,
        } => {
            let t = catalog
                .add_column(&schema, &table, &name, &presto_type, holder(query_id))
                .await?;
            table_answer(catalog, &t).await?
        }
        Request::RenameColumn {
            schema,
            table,
            name,
            new_name,
            query_id,
        } => {
            let t = catalog
                .rename_column(&schema, &table, &name, &new_name, holder(query_id))
                .await?;
            table_answer(catalog, &t).await?
        }
        Request::DropColumn {
            schema,
            table,
            name,
            query_id,
        } => {
            let t = catalog
                .drop_column(&schema, &table, &name, holder(query_id))
                .await?;
            table_answer(catalog, &t).await?
        }
        Request::PublishTable { new_table, files } => {
            let rows = files.iter().map(|f| f.rows).sum::<u64>();
            let t = catalog
                .publish_table(new_table, "create_table_as", files)
                .await?;
            Response::Table(TableAnswer {
                table: Table::new(&t, rows),
            })
        }
        Request::Commit {
            schema,
            table,
            operation,
            files,
            base_snapshot_id,
            table_id,
            query_id,
            lock_timeout_ms,
        } => {
            let write = (table_id.clone(), query_id.clone());
            let request = CommitRequest {
                schema,
                table,
                operation,
                files,
                removed_files: Vec::new(),
                base_snapshot_id,
                table_id,
                holder: holder(query_id),
                lock_timeout: lock_timeout(lock_timeout_ms),
            };
            let outcome = catalog.commit(request).await;
            if let (Some(table_id), Some(query_id)) = write {
                catalog.end_write(&table_id, &query_id).await?;
            }
            Response::Commit(outcome?)
        }
        Request::BeginWrite {
            schema,
            table,
            query_id,
        } => {
            let t = catalog.begin_write(&schema, &table, &query_id).await?;
            table_answer(catalog, &t).await?
        }
        Request::EndWrite { table_id, query_id } => {
            catalog.end_write(&table_id, &query_id).await?;
            Response::Done(Done {})
        }
        Request::PlanSplits {
            schema,
            table,
            column_ids,
            snapshot_id,
            domains,
            target_split_bytes,
            limit,
        } => {
            let splits = catalog
                .plan_splits_up_to(
                    &schema,
                    &table,
                    snapshot_id,
                    Some(&column_ids),
                    &domains,
                    target_split_bytes,
                    limit,
                )
                .await?;
            Response::Splits(Splits { splits })
        }
        Request::ResolveVersion {
            schema,
            table,
            version,
            timestamp_ms,
            before,
        } => {
            let snapshot_id = catalog
                .resolve_version(&schema, &table, version.as_ref(), timestamp_ms, before)
                .await?;
            Response::ResolvedVersion(ResolvedVersion { snapshot_id })
        }
        Request::Snapshots { schema, table } => Response::Snapshots(Snapshots {
            snapshots: catalog.snapshots(&schema, &table).await?,
        }),
        Request::Files {
            schema,
            table,
            snapshot_id,
        } => {
            let record = catalog.require_table(&schema, &table).await?;
            Response::Files(Files {
                files: catalog.files_at(&record, snapshot_id).await?,
            })
        }
        Request::TableStatistics {
            schema,
            table,
            snapshot_id,
        } => {
            let record = catalog.require_table(&schema, &table).await?;
            let manifest = catalog.snapshot_at(&record, snapshot_id).await?;
            Response::TableStatistics(crate::protocol::statistics::table_statistics(
                &manifest,
                &record.columns,
            ))
        }
        Request::RollbackToSnapshot {
            schema,
            table,
            snapshot_id,
            query_id,
            lock_timeout_ms,
        } => {
            let snapshot_id = check_snapshot_id(&table, snapshot_id)?;
            let timeout = lock_timeout(lock_timeout_ms);
            let holder = holder(query_id);
            Response::Commit(
                catalog
                    .rollback_to_snapshot(&schema, &table, snapshot_id, holder, timeout)
                    .await?,
            )
        }
        Request::ExpireSnapshots {
            schema,
            table,
            older_than,
            retain_last,
        } => {
            let retain_last = check_retain_last(retain_last.unwrap_or(DEFAULT_RETAIN_LAST))?;
            let older_than = older_than.as_deref().unwrap_or(DEFAULT_EXPIRE_OLDER_THAN);
            let cutoff = crate::units::parse_cutoff("older_than", older_than, now_ms())?;
            Response::Expired(Expired {
                expired: catalog
                    .expire_snapshots(&schema, &table, cutoff, retain_last)
                    .await?,
            })
        }
        Request::RemoveOrphanFiles {
            schema,
            table,
            older_than,
            dry_run,
            query_id,
        } => {
            let older_than = older_than.as_deref().unwrap_or(DEFAULT_ORPHAN_OLDER_THAN);
            let cutoff = crate::units::parse_cutoff("older_than", older_than, now_ms())?;
            let dry_run = dry_run.unwrap_or(false);
            Response::Orphans(
                catalog
                    .remove_orphan_files(&schema, &table, cutoff, dry_run, holder(query_id))
                    .await?,
            )
        }
        Request::Optimize {
            schema,
            table,
            target_file_size,
            query_id,
        } => {
            let target = check_target_file_size(target_file_size.as_ref())?;
            Response::Optimized(
                catalog
                    .optimize(&schema, &table, target, holder(query_id), &mut |_| {})
                    .await?,
            )
        }
        Request::Locks => Response::Locks(Locks {
            locks: catalog.all_lock_holders(None).await?,
        }),
        Request::Nodes => Response::Nodes(Nodes {
            nodes: catalog.nodes().await?,
        }),
        Request::Config => Response::Config(Config {
            settings: catalog.config_rows()?,
            error: catalog.live().config_error(),
        }),
        Request::SetConfig { key, value } => {
            catalog.set_config(&key, &value).await?;
            Response::Done(Done {})
        }
        Request::Znodes => Response::Znodes(Znodes {
            znodes: catalog.znodes().await?,
        }),
        Request::Counters => Response::Counters(catalog.counters()),
    })
}

/// The table with the row count of its current snapshot: from the record (a record written
/// before format 2 has no totals, and its manifest is read).
pub(crate) async fn table_of(catalog: &Catalog, t: &TableRecord) -> Result<Table> {
    let rows = match t.totals {
        Some(totals) => totals.rows,
        None => catalog.current_manifest(t).await?.row_count(),
    };
    Ok(Table::new(t, rows))
}

async fn table_answer(catalog: &Catalog, t: &TableRecord) -> Result<Response> {
    Ok(Response::Table(TableAnswer {
        table: table_of(catalog, t).await?,
    }))
}
