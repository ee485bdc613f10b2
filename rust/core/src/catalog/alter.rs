//! Schema changes: ADD, RENAME and DROP COLUMN change the table record only. Columns are tracked
//! by id, so files written before a change are read with added columns as NULL and renamed
//! columns under their new name. The record moves under the table lock with a versioned write,
//! so a schema change and a commit never overwrite each other.

use std::time::Duration;

use zookeeper_client as zk;

use crate::catalog::names::normalize;
use crate::catalog::Catalog;
use crate::presto::types::arrow_type;
use crate::storage::records::{ColumnRecord, TableRecord};
use crate::zk::lock::LockHolder;
use crate::{err, Result};

impl Catalog {
    /// Applies `change` to the table record under the table lock.
    async fn alter_record(
        &self,
        schema: &str,
        table: &str,
        holder: LockHolder,
        change: impl Fn(&mut TableRecord) -> Result<()>,
    ) -> Result<TableRecord> {
        let (schema, table) = (normalize("schema", schema)?, normalize("table", table)?);
        let path = self.table_path(&schema, &table);
        let timeout = self
            .settings()
            .lock_wait_timeout
            .max(Duration::from_millis(1));
        for _ in 0..10 {
            let attempt = self
                .with_table_lock(&schema, &table, &holder, timeout, async |lock| {
                    self.zk().sync(&path).await?;
                    let (mut record, stat) = self
                        .zk()
                        .get_json::<TableRecord>(&path)
                        .await?
                        .ok_or_else(|| {
                            err!(TableNotFound, "table '{schema}.{table}' does not exist")
                        })?;
                    change(&mut record)?;
                    let data = crate::zk::session::to_json(&record)?;
                    match lock.set_data(&path, &data, Some(stat.version)).await {
                        Ok(_) => Ok(Some(record)),
                        Err(zk::Error::BadVersion) => Ok(None),
                        Err(e) => Err(err!(ZookeeperError, "cannot change {schema}.{table}: {e}")),
                    }
                })
                .await;
            if let Some(record) = attempt? {
                return Ok(record);
            }
        }
        Err(err!(
            CommitConflict,
            "{schema}.{table} kept changing outside its lock; try again"
        ))
    }

    pub async fn add_column(
        &self,
        schema: &str,
        table: &str,
        name: &str,
        presto_type: &str,
        holder: LockHolder,
    ) -> Result<TableRecord> {
        let name = name.trim().to_lowercase();
        arrow_type(presto_type)?;
        self.alter_record(schema, table, holder, |record| {
            if record.columns.iter().any(|c| c.name == name) {
                return Err(err!(
                    InvalidArgument,
                    "column '{name}' already exists in {}.{}",
                    record.schema,
                    record.name
                ));
            }
            let last = record
                .last_column_id
                .max(record.columns.iter().map(|c| c.id).max().unwrap_or(0));
            record.last_column_id = last + 1;
            record.columns.push(ColumnRecord {
                id: last + 1,
                name: name.clone(),
                presto_type: presto_type.to_string(),
                file_name: None,
            });
            Ok(())
        })
        .await
    }

    pub async fn rename_column(
        &self,
        schema: &str,
        table: &str,
        name: &str,
        new_name: &str,
        holder: LockHolder,
    ) -> Result<TableRecord> {
        let (name, new_name) = (name.trim().to_lowercase(), new_name.trim().to_lowercase());
        self.alter_record(schema, table, holder, |record| {
            if record.columns.iter().any(|c| c.name == new_name) {
                return Err(err!(
                    InvalidArgument,
                    "column '{new_name}' already exists in {}.{}",
                    record.schema,
                    record.name
                ));
            }
            let column = record
                .columns
                .iter_mut()
                .find(|c| c.name == name)
                .ok_or_else(|| {
                    err!(
                        InvalidArgument,
                        "{}.{} has no column '{name}'",
                        record.schema,
                        record.name
                    )
                })?;
            if column.file_name.is_none() && record.external {
                column.file_name = Some(column.name.clone());
            }
            column.name = new_name.clone();
            Ok(())
        })
        .await
    }

    pub async fn drop_column(
        &self,
        schema: &str,
        table: &str,
        name: &str,
        holder: LockHolder,
    ) -> Result<TableRecord> {
        let name = name.trim().to_lowercase();
        self.alter_record(schema, table, holder, |record| {
            let before = record.columns.len();
            if !record.columns.iter().any(|c| c.name == name) {
                return Err(err!(
                    InvalidArgument,
                    "{}.{} has no column '{name}'",
                    record.schema,
                    record.name
                ));
            }
            if before == 1 {
                return Err(err!(
                    InvalidArgument,
                    "'{name}' is the only column of {}.{}: drop the table instead",
                    record.schema,
                    record.name
                ));
            }
            record.last_column_id = record
                .last_column_id
                .max(record.columns.iter().map(|c| c.id).max().unwrap_or(0));
            record.columns.retain(|c| c.name != name);
            Ok(())
        })
        .await
    }
}
