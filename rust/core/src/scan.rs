//! A scan of one split: the requested columns of a range of record batches of one file.

use std::path::Path;

use arrow::array::RecordBatch;
use serde::Deserialize;

use crate::arrow_file::{self, BatchRangeReader};
use crate::{err, Result};

#[derive(Debug, Clone, Deserialize)]
pub struct ScanColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub presto_type: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ScanRequest {
    pub path: String,
    pub batch_start: usize,
    pub batch_end: usize,
    pub columns: Vec<ScanColumn>,
    /// Makes the first batch panic: how tests prove that a native panic fails one query only.
    #[serde(default)]
    pub debug_panic: bool,
}

pub struct Scan {
    reader: BatchRangeReader,
    debug_panic: bool,
}

impl Scan {
    pub fn open_json(json: &str) -> Result<Self> {
        let request: ScanRequest = serde_json::from_str(json)
            .map_err(|e| err!(InvalidArgument, "malformed scan request: {e}"))?;
        Self::open(&request)
    }

    pub fn open(request: &ScanRequest) -> Result<Self> {
        let path = Path::new(&request.path);
        let schema = arrow_file::open(path, None)?.schema();
        let mut projection = Vec::with_capacity(request.columns.len());
        for column in &request.columns {
            let index = schema
                .fields()
                .iter()
                .position(|f| f.name().eq_ignore_ascii_case(&column.name))
                .ok_or_else(|| {
                    err!(
                        SchemaMismatch,
                        "'{}' has no column '{}': the file changed since it was registered",
                        request.path,
                        column.name
                    )
                })?;
            projection.push(index);
        }
        let reader =
            BatchRangeReader::open(path, projection, request.batch_start, request.batch_end)?;
        Ok(Scan {
            reader,
            debug_panic: request.debug_panic,
        })
    }

    /// The next record batch with the requested columns in the requested order.
    pub fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        if self.debug_panic {
            panic!("debug_native_panic: a deliberate panic inside the native scan");
        }
        self.reader.next_batch()
    }
}
