//! Arrow IPC files (Feather v2) on a file system: finding them, describing them for a manifest, and
//! reading a range of their record batches with only the requested columns decoded.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use arrow::ipc::reader::{FileReader, FileReaderBuilder};

use crate::model::DataFile;
use crate::stats::{self, ColumnStats};
use crate::{err, Result};

const MAGIC: &[u8; 6] = b"ARROW1";
const EXTENSIONS: [&str; 4] = ["arrow", "feather", "ipc", "arrows"];

/// The Arrow IPC files that `path` names: the file itself, or the files of a directory (not
/// recursive; names starting with `.` or `_` are skipped, as other engines do), sorted by name.
pub fn list_data_files(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        err!(
            InvalidArgument,
            "cannot read '{}': {e}; give an absolute path that every Presto node can read",
            path.display()
        )
    })?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let entries = std::fs::read_dir(path)
        .map_err(|e| err!(IoError, "cannot list directory '{}': {e}", path.display()))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| err!(IoError, "cannot list directory '{}': {e}", path.display()))?;
        let p = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        let is_data = EXTENSIONS
            .iter()
            .any(|ext| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)));
        if p.is_file() && is_data && !name.starts_with('.') && !name.starts_with('_') {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(err!(
            InvalidArgument,
            "directory '{}' holds no Arrow IPC files (*.arrow, *.feather, *.ipc)",
            path.display()
        ));
    }
    Ok(files)
}

/// Opens an Arrow IPC file, telling a stream-format file or a non-Arrow file apart with a clear error.
pub fn open(path: &Path, projection: Option<Vec<usize>>) -> Result<FileReader<BufReader<File>>> {
    let mut file =
        File::open(path).map_err(|e| err!(IoError, "cannot open '{}': {e}", path.display()))?;
    let mut head = [0u8; 6];
    let is_file_format = file.read_exact(&mut head).is_ok() && &head == MAGIC;
    if !is_file_format {
        return Err(err!(
            InvalidArgument,
            "'{}' is not an Arrow IPC file (Feather v2): it does not start with ARROW1; an Arrow IPC stream must be rewritten in the file format (pyarrow.ipc.new_file)",
            path.display()
        ));
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| err!(IoError, "cannot read '{}': {e}", path.display()))?;
    let mut builder = FileReaderBuilder::new();
    if let Some(p) = projection {
        builder = builder.with_projection(p);
    }
    builder
        .build(BufReader::with_capacity(1 << 20, file))
        .map_err(|e| {
            err!(
                ArrowError,
                "cannot read Arrow file '{}': {e}",
                path.display()
            )
        })
}

/// Body length of each record batch, from the file footer (what split sizing needs).
fn batch_body_lengths(path: &Path) -> Result<Vec<u64>> {
    let io = |e: std::io::Error| err!(IoError, "cannot read '{}': {e}", path.display());
    let mut file = File::open(path).map_err(io)?;
    let len = file.seek(SeekFrom::End(0)).map_err(io)?;
    if len < 10 {
        return Err(err!(
            ArrowError,
            "'{}' is too short to be an Arrow IPC file",
            path.display()
        ));
    }
    let mut tail = [0u8; 10];
    file.seek(SeekFrom::End(-10)).map_err(io)?;
    file.read_exact(&mut tail).map_err(io)?;
    let footer_len = arrow::ipc::reader::read_footer_length(tail)?;
    let mut footer = vec![0u8; footer_len];
    file.seek(SeekFrom::End(-10 - footer_len as i64))
        .map_err(io)?;
    file.read_exact(&mut footer).map_err(io)?;
    let footer = arrow::ipc::root_as_footer(&footer)
        .map_err(|e| err!(ArrowError, "corrupt footer in '{}': {e}", path.display()))?;
    Ok(footer
        .recordBatches()
        .map(|blocks| {
            blocks
                .iter()
                .map(|b| b.bodyLength() as u64 + b.metaDataLength() as u64)
                .collect()
        })
        .unwrap_or_default())
}

/// Reads a whole file once to describe it for a manifest: rows and bytes per batch and the
/// statistics of every column.
pub fn describe(path: &Path) -> Result<(SchemaRef, DataFile)> {
    let reader = open(path, None)?;
    let schema = reader.schema();
    let batch_bytes = batch_body_lengths(path)?;
    let mut batch_rows = Vec::with_capacity(batch_bytes.len());
    let mut columns: BTreeMap<String, ColumnStats> = BTreeMap::new();
    for batch in reader {
        let batch = batch.map_err(|e| err!(ArrowError, "cannot read '{}': {e}", path.display()))?;
        batch_rows.push(batch.num_rows() as u64);
        for (field, array) in schema.fields().iter().zip(batch.columns()) {
            let s = stats::compute(array.as_ref());
            match columns.get_mut(field.name()) {
                Some(existing) => existing.merge(&s),
                None => {
                    columns.insert(field.name().clone(), s);
                }
            }
        }
    }
    let bytes = std::fs::metadata(path)
        .map_err(|e| err!(IoError, "cannot stat '{}': {e}", path.display()))?
        .len();
    Ok((
        schema,
        DataFile::new(path, bytes, batch_rows, batch_bytes, columns),
    ))
}

/// Reads record batches `[start, end)` of a file, decoding only the columns `projection` names
/// (indexes into the file's schema).
pub struct BatchRangeReader {
    reader: FileReader<BufReader<File>>,
    next: usize,
    end: usize,
    path: PathBuf,
}

impl BatchRangeReader {
    pub fn open(path: &Path, projection: Vec<usize>, start: usize, end: usize) -> Result<Self> {
        let mut reader = open(path, Some(projection))?;
        let end = end.min(reader.num_batches());
        if start < end {
            reader.set_index(start)?;
        }
        Ok(BatchRangeReader {
            reader,
            next: start,
            end,
            path: path.to_path_buf(),
        })
    }

    pub fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        if self.next >= self.end {
            return Ok(None);
        }
        self.next += 1;
        match self.reader.next() {
            Some(Ok(batch)) => Ok(Some(batch)),
            Some(Err(e)) => Err(err!(
                ArrowError,
                "cannot read '{}': {e}",
                self.path.display()
            )),
            None => Ok(None),
        }
    }
}
