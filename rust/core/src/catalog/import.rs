//! Importing Arrow data into a table: files in the IPC file or stream format are read batch by
//! batch, cast to the table's stored types, rewritten with the table's compression and committed
//! as one appended snapshot. Unlike registration, the table then owns a copy of the data.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use arrow::array::RecordBatch;
use arrow::compute::cast;
use arrow::datatypes::SchemaRef;

use crate::catalog::commit::{CommitRequest, Operation};
use crate::catalog::ddl::{data_dir, ColumnSpec};
use crate::catalog::Catalog;
use crate::presto::types::presto_type_of_field;
use crate::storage::arrow_file::{self, list_data_files};
use crate::storage::ipc_stream::IpcStreamReader;
use crate::storage::store;
use crate::storage::writer::{arrow_schema, Compression, TableWriter, WriterOptions};
use crate::zk::lock::LockHolder;
use crate::{err, Result};

#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportOutcome {
    pub files_read: usize,
    pub rows: u64,
    pub files_written: usize,
    pub snapshot_id: i64,
}

type Batches = Box<dyn Iterator<Item = Result<RecordBatch>>>;

/// Every record batch of an Arrow IPC file or stream.
fn read_batches(path: &Path) -> Result<(SchemaRef, Batches)> {
    let mut head = [0u8; 6];
    // in object storage only the file format is read (its open explains a stream)
    let is_file = store::is_object(path)
        || File::open(path)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok()
            && &head == b"ARROW1";
    if is_file {
        let reader = arrow_file::open(path, None)?;
        let schema = reader.schema();
        return Ok((schema, Box::new(reader)));
    }
    let file =
        File::open(path).map_err(|e| err!(IoError, "cannot open '{}': {e}", path.display()))?;
    let len = file
        .metadata()
        .map_err(|e| err!(IoError, "cannot stat '{}': {e}", path.display()))?
        .len();
    let reader = IpcStreamReader::try_new(BufReader::with_capacity(1 << 20, file), len, path)?;
    let schema = reader.schema();
    Ok((schema, Box::new(reader)))
}

impl Catalog {
    /// Imports `path` into `schema.table`, creating the table from the first file's columns when
    /// `create` is set and it does not exist. `progress(done, total)` is called with bytes read.
    pub async fn import(
        &self,
        schema: &str,
        table: &str,
        path: &Path,
        create: bool,
        holder: LockHolder,
        progress: &dyn Fn(u64, u64),
    ) -> Result<ImportOutcome> {
        let sources = list_data_files(path)?;
        let total: u64 = sources.iter().filter_map(|p| store::size(p).ok()).sum();
        let record = match self.get_table(schema, table).await? {
            Some(r) => r,
            None if create => {
                let (first_schema, _) = read_batches(&sources[0])?;
                let columns = first_schema
                    .fields()
                    .iter()
                    .map(|f| {
                        Ok(ColumnSpec {
                            name: f.name().to_lowercase(),
                            presto_type: presto_type_of_field(f)?,
                            id: None,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                self.create_table(schema, table, &columns, &Default::default())
                    .await?
            }
            None => {
                return Err(err!(
                    TableNotFound,
                    "table '{schema}.{table}' does not exist: pass --create to create it"
                ))
            }
        };
        let columns: Vec<ColumnSpec> = record
            .columns
            .iter()
            .map(|c| ColumnSpec {
                name: c.name.clone(),
                presto_type: c.presto_type.clone(),
                id: Some(c.id),
            })
            .collect();
        let target = arrow_schema(&columns)?;
        let compression = record
            .properties
            .get("compression")
            .map(|c| Compression::from_str(c))
            .transpose()?
            .unwrap_or_default();
        // in flight until committed: orphan removal spares files named after this write
        let write_id = format!(
            "import-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        self.begin_write(&record.schema, &record.name, &write_id)
            .await?;
        let settings = self.settings();
        let options = WriterOptions {
            compression,
            file_prefix: write_id.clone(),
            batch_rows: settings.write_batch_rows,
            batch_bytes: settings.write_batch_bytes,
            ..WriterOptions::default()
        };
        let mut writer = TableWriter::new(
            &data_dir(&record.metadata_location),
            target.clone(),
            options,
        )?;
        let (mut done, mut rows) = (0u64, 0u64);
        for source in &sources {
            let (schema_in, batches) = read_batches(source)?;
            let mapping = target
                .fields()
                .iter()
                .map(|f| {
                    schema_in
                        .fields()
                        .iter()
                        .position(|s| s.name().eq_ignore_ascii_case(f.name()))
                        .ok_or_else(|| {
                            err!(
                                SchemaMismatch,
                                "'{}' has no column '{}' that {schema}.{table} has",
                                source.display(),
                                f.name()
                            )
                        })
                })
                .collect::<Result<Vec<_>>>()?;
            for batch in batches {
                let batch = batch?;
                let columns = mapping
                    .iter()
                    .zip(target.fields())
                    .map(|(&i, f)| {
                        cast(batch.column(i), f.data_type()).map_err(|e| {
                            err!(
                                SchemaMismatch,
                                "column '{}' of '{}' cannot become {}: {e}",
                                f.name(),
                                source.display(),
                                f.data_type()
                            )
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                rows += batch.num_rows() as u64;
                writer.write(&RecordBatch::try_new(target.clone(), columns)?)?;
            }
            done += store::size(source).unwrap_or(0);
            progress(done, total);
        }
        let files = writer.finish()?;
        let files_written = files.len();
        let outcome = self
            .commit(CommitRequest {
                schema: schema.into(),
                table: table.into(),
                operation: Operation::Append,
                files,
                removed_files: Vec::new(),
                base_snapshot_id: None,
                table_id: Some(record.id.clone()),
                holder,
                lock_timeout: self
                    .settings()
                    .lock_wait_timeout
                    .max(Duration::from_millis(1)),
            })
            .await;
        self.end_write(&record.id, &write_id).await?;
        let outcome = outcome?;
        Ok(ImportOutcome {
            files_read: sources.len(),
            rows,
            files_written,
            snapshot_id: outcome.snapshot_id,
        })
    }
}
