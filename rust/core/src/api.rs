//! The metadata requests the Java plugin sends, as serde JSON, and their answers. One function
//! serves them all so that the JNI surface stays one call wide.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::catalog::Catalog;
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
    },
    PlanSplits {
        schema: String,
        table: String,
        #[serde(default)]
        columns: Vec<String>,
        target_split_bytes: Option<u64>,
    },
}

/// Parses a request, runs it against `catalog` and serializes the answer.
pub fn handle_json(catalog: &Catalog, request: &str) -> Result<String> {
    let request: Request = serde_json::from_str(request)
        .map_err(|e| err!(InvalidArgument, "malformed request {request}: {e}"))?;
    let answer = runtime::block_on(handle(catalog, request))?;
    Ok(answer.to_string())
}

pub async fn handle(catalog: &Catalog, request: Request) -> Result<Value> {
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
        Request::UnregisterTable { schema, table } => {
            catalog.unregister_table(&schema, &table).await?;
            json!({})
        }
        Request::PlanSplits {
            schema,
            table,
            columns: _,
            target_split_bytes,
        } => {
            json!({ "splits": catalog.plan_splits(&schema, &table, target_split_bytes).await? })
        }
    })
}

fn table_json(t: &crate::model::TableRecord, row_count: u64) -> Value {
    json!({
        "schema": t.schema,
        "table": t.name,
        "id": t.id,
        "location": t.location,
        "snapshot_id": t.current_snapshot_id,
        "row_count": row_count,
        "columns": t.columns,
    })
}
