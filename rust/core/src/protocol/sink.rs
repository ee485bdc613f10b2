//! A page sink: the pages one Presto writer task produces, converted to Arrow in bulk and written
//! as Arrow IPC files whose descriptions (the fragments) the coordinator commits as one snapshot.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use arrow::array::{RecordBatch, RecordBatchOptions};
use arrow::datatypes::SchemaRef;
use serde::{Deserialize, Serialize};

use crate::presto::from_presto::into_arrow;
use crate::presto::layout::PrestoColumn;
use crate::storage::records::{ColumnSpec, DataFile};
use crate::storage::writer::{arrow_schema, Compression, TableWriter, WriterOptions};
use crate::zk::settings::Settings;
use crate::{err, Result};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SinkRequest {
    /// The table's data directory.
    pub dir: String,
    pub columns: Vec<ColumnSpec>,
    #[serde(default)]
    pub compression: Option<String>,
    #[serde(default)]
    pub target_file_bytes: Option<u64>,
    /// File name prefix, e.g. the Presto query id.
    #[serde(default)]
    pub prefix: String,
    /// The live settings of the writing node (`system.config`'s keys and values); the sink
    /// applies `write_batch_rows` and `write_batch_size`, defaults where absent.
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
}

pub struct PageSink {
    writer: TableWriter,
    schema: SchemaRef,
}

impl PageSink {
    pub fn open_json(json: &str) -> Result<Self> {
        let request: SinkRequest = serde_json::from_str(json)
            .map_err(|e| err!(InvalidArgument, "malformed sink request: {e}"))?;
        Self::open(&request)
    }

    pub fn open(request: &SinkRequest) -> Result<Self> {
        let schema = arrow_schema(&request.columns)?;
        let mut options = WriterOptions::default();
        if let Some(c) = &request.compression {
            options.compression = Compression::from_str(c)?;
        }
        if let Some(bytes) = request.target_file_bytes {
            options.target_file_bytes = bytes.max(1);
        }
        options.file_prefix = request.prefix.clone();
        let mut settings = Settings::default();
        for key in ["write_batch_rows", "write_batch_size"] {
            if let Some(value) = request.settings.get(key) {
                settings.set(key, value)?;
            }
        }
        options.batch_rows = settings.write_batch_rows;
        options.batch_bytes = settings.write_batch_bytes;
        let writer = TableWriter::new(Path::new(&request.dir), schema.clone(), options)?;
        Ok(PageSink { writer, schema })
    }

    /// Appends one page: `columns` in the table's column order, `rows` positions each.
    pub fn write_page(&mut self, rows: usize, columns: Vec<PrestoColumn<'_>>) -> Result<()> {
        if columns.len() != self.schema.fields().len() {
            return Err(err!(
                InvalidArgument,
                "a page has {} columns, the table {}",
                columns.len(),
                self.schema.fields().len()
            ));
        }
        let arrays = columns
            .into_iter()
            .zip(self.schema.fields().iter())
            .map(|(column, field)| into_arrow(column, field.data_type()))
            .collect::<Result<Vec<_>>>()?;
        let options = RecordBatchOptions::new().with_row_count(Some(rows));
        let batch = RecordBatch::try_new_with_options(self.schema.clone(), arrays, &options)?;
        self.writer.write(&batch)
    }

    /// Closes every file and describes them for the commit.
    pub fn finish(self) -> Result<Vec<DataFile>> {
        self.writer.finish()
    }

    /// Deletes every file this sink wrote (the statement failed).
    pub fn abort(self) -> Result<()> {
        self.writer.abort()
    }
}
