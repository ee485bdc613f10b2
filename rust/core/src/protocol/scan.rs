//! A scan of one split: the requested columns of a range of record batches of one file. Columns
//! are found by id in files zkarrow wrote (field metadata), by their registered name in other files,
//! and read as NULL from files written before the column was added.
//!
//! Pages are slices (zero-copy) of the file's record batches of at most [`PAGE_ROWS`] rows and
//! about [`PAGE_BYTES`] bytes, whatever the file's batch size. A scan that reads no column of the
//! file (`count(*)`, or only columns the file predates) reads the footer and each batch's message
//! header for its row count, never a batch body.
//!
//! The JNI reader is lazy: [`Scan::advance`] moves to the next page and keeps it as the current
//! page; [`Scan::column`] hands out one column of the current page, so the engine converts only
//! the columns it touches. A column asked of a page that is no longer current is an error, never
//! another page's data.

use std::path::Path;
use std::sync::Arc;

use arrow::array::{new_null_array, ArrayRef, RecordBatch, RecordBatchOptions};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use serde::{Deserialize, Serialize};

use crate::presto::types::arrow_type;
use crate::storage::arrow_file::{self, BatchRangeReader};
use crate::storage::records::COLUMN_ID_KEY;
use crate::storage::writer::data_bytes;
use crate::{err, Result};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub presto_type: String,
    /// The table column's id (absent: match by name only).
    #[serde(default)]
    pub id: Option<u32>,
    /// The column's name inside registered files, when it differs from `name`.
    #[serde(default)]
    pub file_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanRequest {
    pub path: String,
    pub batch_start: usize,
    pub batch_end: usize,
    pub columns: Vec<ScanColumn>,
    /// Makes the first batch panic: how tests prove that a native panic fails one query only.
    #[serde(default)]
    pub debug_panic: bool,
}

/// Rows of a page, at most.
pub const PAGE_ROWS: usize = 8192;
/// Bytes of Arrow data of a page, about (a page holds at least one row).
pub const PAGE_BYTES: usize = 1 << 20;

/// Where an output column comes from.
enum Source {
    /// Position in the projected batches.
    File(usize),
    /// The file predates the column.
    Nulls(DataType),
}

/// Where the batches come from.
enum Batches {
    /// Decoded from the file (the projected columns).
    Read(Box<BatchRangeReader>),
    /// The row counts of the batches still to come, when no column is read from the file.
    Counts(std::vec::IntoIter<u64>),
}

pub struct Scan {
    batches: Batches,
    /// The batch being cut into pages, the next row of it and its rows per page.
    current: Option<RecordBatch>,
    offset: usize,
    page_rows: usize,
    sources: Vec<Source>,
    schema: SchemaRef,
    debug_panic: bool,
    /// The page [`Scan::advance`] returned last and its number (1, 2, ...; 0 before the first).
    page: Option<RecordBatch>,
    page_number: u64,
}

fn field_id(field: &Field) -> Option<u32> {
    field
        .metadata()
        .get(COLUMN_ID_KEY)
        .and_then(|v| v.parse().ok())
}

impl Scan {
    pub fn open_json(json: &str) -> Result<Self> {
        let request: ScanRequest = serde_json::from_str(json)
            .map_err(|e| err!(InvalidArgument, "malformed scan request: {e}"))?;
        Self::open(&request)
    }

    pub fn open(request: &ScanRequest) -> Result<Self> {
        let path = Path::new(&request.path);
        let mut footer = arrow_file::open_footer(path)?;
        let file_schema = footer.schema();
        let fields = file_schema.fields();
        let has_ids = fields.iter().any(|f| field_id(f).is_some());
        let mut projection: Vec<usize> = Vec::new();
        let mut sources = Vec::with_capacity(request.columns.len());
        let mut output_fields = Vec::with_capacity(request.columns.len());
        for column in &request.columns {
            let found = match (has_ids, column.id) {
                (true, Some(id)) => fields.iter().position(|f| field_id(f) == Some(id)),
                // A registered file holds only the columns registration found (they carry their
                // name in the file); a column added later, even under a dropped column's name,
                // has no data there.
                (false, Some(_)) if column.file_name.is_none() => None,
                _ => {
                    let name = column.file_name.as_deref().unwrap_or(&column.name);
                    fields
                        .iter()
                        .position(|f| f.name().eq_ignore_ascii_case(name))
                }
            };
            let source = match found {
                Some(index) => {
                    let at = projection
                        .iter()
                        .position(|&p| p == index)
                        .unwrap_or_else(|| {
                            projection.push(index);
                            projection.len() - 1
                        });
                    output_fields.push(Field::new(
                        &column.name,
                        fields[index].data_type().clone(),
                        true,
                    ));
                    Source::File(at)
                }
                None if column.id.is_some() => {
                    let data_type = arrow_type(&column.presto_type)?;
                    output_fields.push(Field::new(&column.name, data_type.clone(), true));
                    Source::Nulls(data_type)
                }
                None => {
                    return Err(err!(
                        SchemaMismatch,
                        "'{}' has no column '{}': the file changed since it was registered",
                        request.path,
                        column.name
                    ))
                }
            };
            sources.push(source);
        }
        let batches = if projection.is_empty() {
            let end = request.batch_end.min(footer.num_batches());
            footer.prefetch_metadata(request.batch_start..end)?;
            let counts = (request.batch_start..end)
                .map(|i| footer.batch_rows(i))
                .collect::<Result<Vec<u64>>>()?;
            Batches::Counts(counts.into_iter())
        } else {
            drop(footer);
            Batches::Read(Box::new(BatchRangeReader::open(
                path,
                projection,
                request.batch_start,
                request.batch_end,
            )?))
        };
        Ok(Scan {
            batches,
            current: None,
            offset: 0,
            page_rows: PAGE_ROWS,
            sources,
            schema: Arc::new(Schema::new(output_fields)),
            debug_panic: request.debug_panic,
            page: None,
            page_number: 0,
        })
    }

    /// Moves to the next page and keeps it as the current page: its row count, `None` at the end.
    /// Its columns are then taken one at a time with [`Scan::column`].
    pub fn advance(&mut self) -> Result<Option<usize>> {
        self.page = None;
        let page = self.next_batch()?;
        let rows = page.as_ref().map(RecordBatch::num_rows);
        if page.is_some() {
            self.page_number += 1;
        }
        self.page = page;
        Ok(rows)
    }

    /// Column `index` of page `page_number`, which must be the current page: a column loaded
    /// after the scan moved on (or reached the end) is refused, never read from another page.
    pub fn column(&self, page_number: u64, index: usize) -> Result<ArrayRef> {
        let current = match &self.page {
            Some(page) if page_number == self.page_number => page,
            Some(_) => {
                return Err(err!(
                    Internal,
                    "column {index} of page {page_number} was loaded after the scan moved on to \
                     page {}: a lazy block must be loaded before its page source reads the next page",
                    self.page_number
                ))
            }
            None => {
                return Err(err!(
                    Internal,
                    "column {index} of page {page_number} was loaded after the scan ended \
                     ({} pages read): a lazy block must be loaded before its page source moves on",
                    self.page_number
                ))
            }
        };
        if index >= current.num_columns() {
            return Err(err!(
                InvalidArgument,
                "column {index} asked of a page of {} columns",
                current.num_columns()
            ));
        }
        Ok(current.column(index).clone())
    }

    /// The next page: at most [`PAGE_ROWS`] rows (about [`PAGE_BYTES`]) of the requested columns
    /// in the requested order; `None` at the end.
    pub fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        if self.debug_panic {
            panic!("debug_native_panic: a deliberate panic inside the native scan");
        }
        loop {
            if let Some(batch) = &self.current {
                let left = batch.num_rows() - self.offset;
                if left > 0 {
                    let rows = left.min(self.page_rows);
                    let page = batch.slice(self.offset, rows);
                    self.offset += rows;
                    return self.output(page).map(Some);
                }
                self.current = None;
            }
            let next = match &mut self.batches {
                Batches::Read(reader) => reader.next_batch()?,
                Batches::Counts(counts) => match counts.next() {
                    None => None,
                    Some(rows) => {
                        let rows = usize::try_from(rows).map_err(|_| {
                            err!(CorruptFile, "a record batch declares {rows} rows")
                        })?;
                        let options = RecordBatchOptions::new().with_row_count(Some(rows));
                        let empty = Arc::new(Schema::empty());
                        Some(RecordBatch::try_new_with_options(empty, vec![], &options)?)
                    }
                },
            };
            let Some(batch) = next else {
                return Ok(None);
            };
            let rows = batch.num_rows().max(1);
            let row_bytes = data_bytes(&batch).div_ceil(rows).max(1);
            self.page_rows = (PAGE_BYTES / row_bytes).clamp(1, PAGE_ROWS);
            self.current = Some(batch);
            self.offset = 0;
        }
    }

    /// A page of the file's projected columns as the requested columns.
    fn output(&self, batch: RecordBatch) -> Result<RecordBatch> {
        let rows = batch.num_rows();
        let columns: Vec<ArrayRef> = self
            .sources
            .iter()
            .map(|s| match s {
                Source::File(at) => batch.column(*at).clone(),
                Source::Nulls(data_type) => new_null_array(data_type, rows),
            })
            .collect();
        let options = RecordBatchOptions::new().with_row_count(Some(rows));
        Ok(RecordBatch::try_new_with_options(
            self.schema.clone(),
            columns,
            &options,
        )?)
    }
}
