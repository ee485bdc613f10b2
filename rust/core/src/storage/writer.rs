//! Record batches of one schema into Arrow IPC files (file format) in a directory: what a Presto
//! page sink produces before the coordinator commits the files in a snapshot.
//!
//! A file is written under a hidden temporary name (`.<name>.tmp`, which
//! [`crate::storage::arrow_file::list_data_files`] skips) and renamed to `<prefix>-<uuid>.arrow` once it is
//! closed and synced, so a crash leaves only dot-files behind. A file headed for object storage is
//! written in the local spool directory and uploaded when closed (see [`store::publish`]): a writer
//! that dies mid-upload leaves no object, or an orphan that GC removes. The writer rolls over to a new file
//! when the current one reaches `target_file_bytes` (a batch is never split across files).
//!
//! Incoming batches (Presto pages of a few thousand rows) are coalesced into record batches of up
//! to `batch_rows` rows or about `batch_bytes` bytes of Arrow data, whichever comes first; bigger
//! incoming batches are sliced. Statistics are computed on the batches as written.
//!
//! Files survive only a successful [`TableWriter::finish`]: [`TableWriter::abort`], and dropping
//! the writer without finishing it, delete every file it wrote.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use arrow::array::RecordBatch;
use std::collections::HashMap;
use std::sync::Arc;

use arrow::datatypes::{Field, Schema, SchemaRef};
use arrow::ipc::writer::{FileWriter, IpcWriteOptions};
use arrow::ipc::CompressionType;

use crate::presto::types::arrow_type;
use crate::storage::dictionary::{self, FileDictionaries};
use crate::storage::records::{ColumnSpec, DataFile, COLUMN_ID_KEY};
use crate::storage::stats::{BatchStatsBuilder, ColumnStats};
use crate::storage::store;
use crate::{err, Result};

/// Compression of the record batch bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    #[default]
    None,
    Lz4,
    /// Zstandard at a level from 1 (fastest) to 22 (smallest).
    Zstd(i32),
}

impl Compression {
    /// Zstandard's own default: small files at a write speed near LZ4's.
    pub const ZSTD_DEFAULT_LEVEL: i32 = 3;
    pub const ZSTD_LEVELS: std::ops::RangeInclusive<i32> = 1..=22;

    /// Zstandard at its default level.
    pub fn zstd() -> Compression {
        Compression::Zstd(Self::ZSTD_DEFAULT_LEVEL)
    }
}

impl FromStr for Compression {
    type Err = crate::Error;

    /// `none` (or `uncompressed`), `lz4` (or `lz4_frame`), `zstd`, or `zstd(LEVEL)` with a level
    /// from 1 to 22; case-insensitive.
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.trim().to_ascii_lowercase();
        if let Some(level) = lower
            .strip_prefix("zstd(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            return match level.trim().parse::<i32>() {
                Ok(level) if Self::ZSTD_LEVELS.contains(&level) => Ok(Compression::Zstd(level)),
                _ => Err(err!(
                    InvalidArgument,
                    "zstd level '{level}' is not a level: write zstd(1) (fastest) to zstd(22) (smallest), or zstd for level {}",
                    Self::ZSTD_DEFAULT_LEVEL
                )),
            };
        }
        match lower.as_str() {
            "none" | "uncompressed" => Ok(Compression::None),
            "lz4" | "lz4_frame" => Ok(Compression::Lz4),
            "zstd" => Ok(Compression::zstd()),
            _ => Err(err!(
                InvalidArgument,
                "unknown compression '{s}'; use none, lz4, zstd or zstd(LEVEL) with a level from 1 to 22"
            )),
        }
    }
}

impl std::fmt::Display for Compression {
    /// The form [`Compression::from_str`] reads back.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Compression::None => f.write_str("none"),
            Compression::Lz4 => f.write_str("lz4"),
            Compression::Zstd(Self::ZSTD_DEFAULT_LEVEL) => f.write_str("zstd"),
            Compression::Zstd(level) => write!(f, "zstd({level})"),
        }
    }
}

/// How a [`TableWriter`] names, sizes and compresses its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriterOptions {
    /// A file is closed once it holds at least this many bytes.
    pub target_file_bytes: u64,
    pub compression: Compression,
    /// Start of every file name (e.g. the Presto query id); letters, digits, `_`, `-` and `.`,
    /// not starting with `.` or `_`. Empty: names are just a uuid.
    pub file_prefix: String,
    /// Rows of a written record batch, at most (the live setting `write_batch_rows`).
    pub batch_rows: u64,
    /// Bytes of Arrow data (uncompressed) of a written record batch, about (the live setting
    /// `write_batch_size`): a batch is written once it reaches either limit.
    pub batch_bytes: u64,
}

/// Default of [`WriterOptions::batch_rows`].
pub const DEFAULT_BATCH_ROWS: u64 = 64 * 1024;
/// Default of [`WriterOptions::batch_bytes`].
pub const DEFAULT_BATCH_BYTES: u64 = 1 << 20;

/// Bytes of Arrow data a batch's rows hold (not the whole buffers a slice shares).
pub fn data_bytes(batch: &RecordBatch) -> usize {
    batch
        .columns()
        .iter()
        .map(|c| {
            let data = c.to_data();
            data.get_slice_memory_size()
                .unwrap_or_else(|_| c.get_array_memory_size())
        })
        .sum()
}

/// The one default size of a data file: what a sink whose `target_file_bytes` is null, and the
/// CLI's import, write.
pub const DEFAULT_TARGET_FILE_BYTES: u64 = 128 << 20;

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            target_file_bytes: DEFAULT_TARGET_FILE_BYTES,
            compression: Compression::None,
            file_prefix: String::new(),
            batch_rows: DEFAULT_BATCH_ROWS,
            batch_bytes: DEFAULT_BATCH_BYTES,
        }
    }
}

/// Counts the bytes that go through it (the file's length so far).
struct Counting<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The file being written.
struct OpenFile {
    writer: FileWriter<Counting<BufWriter<File>>>,
    tmp: PathBuf,
    path: PathBuf,
    batch_rows: Vec<u64>,
    batch_bytes: Vec<u64>,
    columns: BTreeMap<String, ColumnStats>,
    batches: BatchStatsBuilder,
    /// The file's dictionary columns, chosen from its first batch.
    dictionaries: FileDictionaries,
}

impl OpenFile {
    fn written(&self) -> u64 {
        self.writer.get_ref().written
    }
}

/// Writes record batches of a fixed schema into Arrow IPC files in one directory.
pub struct TableWriter {
    dir: PathBuf,
    schema: SchemaRef,
    options: WriterOptions,
    write_options: IpcWriteOptions,
    current: Option<OpenFile>,
    /// Rows received but not yet written, and their rows and estimated bytes.
    pending: Vec<RecordBatch>,
    pending_rows: u64,
    pending_bytes: u64,
    closed: Vec<DataFile>,
    /// Set by `finish`: the files are the caller's now, `Drop` leaves them.
    finished: bool,
    /// By column index: whether a file may still dictionary-encode the column (cleared for good
    /// once a batch held a value outside a file's dictionary).
    dictionary_allowed: Vec<bool>,
}

fn io_error(what: &str, path: &Path, e: impl std::fmt::Display) -> crate::Error {
    err!(IoError, "cannot {what} '{}': {e}", path.display())
}

impl TableWriter {
    /// A writer of `schema` into `dir` (created when missing). Nothing is written before the
    /// first non-empty batch.
    pub fn new(dir: &Path, schema: SchemaRef, options: WriterOptions) -> Result<Self> {
        if options.target_file_bytes == 0 {
            return Err(err!(InvalidArgument, "target_file_bytes must be positive"));
        }
        if options.batch_rows == 0 || options.batch_bytes == 0 {
            return Err(err!(
                InvalidArgument,
                "batch_rows and batch_bytes must be positive"
            ));
        }
        let prefix = &options.file_prefix;
        let prefix_ok = prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            && !prefix.starts_with('.')
            && !prefix.starts_with('_');
        if !prefix_ok {
            return Err(err!(
                InvalidArgument,
                "file prefix '{prefix}' may hold only letters, digits, '_', '-' and '.', and may not start with '.' or '_'"
            ));
        }
        let write_options = match options.compression {
            Compression::None => IpcWriteOptions::default(),
            Compression::Lz4 => {
                IpcWriteOptions::default().try_with_compression(Some(CompressionType::LZ4_FRAME))?
            }
            Compression::Zstd(level) => IpcWriteOptions::default()
                .try_with_compression(Some(CompressionType::ZSTD))?
                .try_with_compression_level(Some(level))?,
        };
        store::ensure_dir(dir).map_err(|e| io_error("create directory", dir, e))?;
        let dictionary_allowed = schema
            .fields()
            .iter()
            .map(|f| dictionary::encodable(f.data_type()))
            .collect();
        Ok(TableWriter {
            dir: dir.to_path_buf(),
            dictionary_allowed,
            schema,
            options,
            write_options,
            current: None,
            pending: Vec::new(),
            pending_rows: 0,
            pending_bytes: 0,
            closed: Vec::new(),
            finished: false,
        })
    }

    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Bytes written so far, over all files (closed and open).
    pub fn written_bytes(&self) -> u64 {
        self.closed.iter().map(|f| f.bytes).sum::<u64>()
            + self.current.as_ref().map_or(0, OpenFile::written)
    }

    /// Appends one batch (batches without rows are skipped); its columns must have the writer's
    /// types, in order. Rows are held until they make a record batch of the configured size
    /// (`batch_rows` / `batch_bytes`); `finish` writes the rest.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let rows = batch.num_rows() as u64;
        if rows == 0 {
            return Ok(());
        }
        let batch = self.conform(batch)?;
        // bytes per row of this batch's Arrow data
        let row_bytes = (data_bytes(&batch) as u64).div_ceil(rows).max(1);
        let mut offset = 0u64;
        while offset < rows {
            let rows_left = self.options.batch_rows - self.pending_rows;
            let bytes_left = self.options.batch_bytes.saturating_sub(self.pending_bytes);
            let take = (rows - offset)
                .min(rows_left)
                .min(bytes_left.div_ceil(row_bytes).max(1));
            self.pending
                .push(batch.slice(offset as usize, take as usize));
            self.pending_rows += take;
            self.pending_bytes += take * row_bytes;
            offset += take;
            if self.pending_rows >= self.options.batch_rows
                || self.pending_bytes >= self.options.batch_bytes
            {
                self.flush()?;
            }
        }
        Ok(())
    }

    /// Writes the rows held back as one record batch.
    fn flush(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.pending_rows = 0;
        self.pending_bytes = 0;
        match pending.len() {
            0 => Ok(()),
            1 => self.write_batch(&pending[0]),
            _ => {
                let batch = arrow::compute::concat_batches(&self.schema, &pending)?;
                self.write_batch(&batch)
            }
        }
    }

    /// `batch` with the writer's schema (same types, in order; names may differ).
    fn conform(&self, batch: &RecordBatch) -> Result<RecordBatch> {
        if batch.schema() == self.schema {
            return Ok(batch.clone());
        }
        RecordBatch::try_new(self.schema.clone(), batch.columns().to_vec()).map_err(|e| {
            err!(
                SchemaMismatch,
                "a batch of schema {} does not fit the table's schema {}: {e}",
                batch.schema(),
                self.schema
            )
        })
    }

    /// Writes one record batch as it is. Rolls over to a new file when the current one reaches
    /// the target size.
    fn write_batch(&mut self, batch: &RecordBatch) -> Result<()> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        let batch = if batch.schema() == self.schema {
            batch.clone()
        } else {
            RecordBatch::try_new(self.schema.clone(), batch.columns().to_vec()).map_err(|e| {
                err!(
                    SchemaMismatch,
                    "a batch of schema {} does not fit the table's schema {}: {e}",
                    batch.schema(),
                    self.schema
                )
            })?
        };
        let encoded = self.encode_for_file(&batch)?;
        let file = self.current.as_mut().expect("opened by encode_for_file");
        let before = file.written();
        file.writer.write(&encoded).map_err(|e| {
            err!(
                ArrowError,
                "cannot write a batch to '{}': {e}",
                file.tmp.display()
            )
        })?;
        let after = file.written();
        file.batch_rows.push(batch.num_rows() as u64);
        // the first batch of a file with dictionary columns counts the dictionaries too (reading
        // any batch of the file reads them); describing the file counts the batch message alone
        file.batch_bytes.push(after - before);
        // statistics of the batch as stored, as describing the file computes them: a dictionary
        // column has the bounds, nulls and distinct values of its values, and its stored bytes
        let file_schema = file.dictionaries.schema().clone();
        for (field, array) in file_schema.fields().iter().zip(encoded.columns()) {
            let mut s = ColumnStats::compute(array.as_ref()).with_sketch(array.as_ref());
            s.column_id = field
                .metadata()
                .get(COLUMN_ID_KEY)
                .and_then(|v| v.parse().ok());
            file.batches.add(field.name(), field.data_type(), &s);
            match file.columns.get_mut(field.name()) {
                Some(existing) => existing.merge(&s),
                None => {
                    file.columns.insert(field.name().clone(), s);
                }
            }
        }
        file.batches.end_batch();
        if after >= self.options.target_file_bytes {
            self.close_current()?;
        }
        Ok(())
    }

    /// `batch` as the open file stores it (its dictionary columns encoded), opening a file first
    /// when none is open. A value missing from the open file's dictionary of a column closes that
    /// file before this batch and stops dictionary-encoding the column for the rest of this
    /// writer: a column whose values keep growing costs at most one early roll, never a file per
    /// batch.
    fn encode_for_file(&mut self, batch: &RecordBatch) -> Result<RecordBatch> {
        if let Some(file) = &self.current {
            match file.dictionaries.encode(batch)? {
                Ok(encoded) => return Ok(encoded),
                Err(missing) => {
                    for column in missing {
                        self.dictionary_allowed[column] = false;
                    }
                    self.close_current()?;
                }
            }
        }
        let dictionaries = FileDictionaries::choose(&self.schema, batch, &self.dictionary_allowed)?;
        self.current = Some(self.open_file(dictionaries)?);
        let file = self.current.as_ref().expect("opened above");
        file.dictionaries.encode(batch)?.map_err(|columns| {
            err!(
                Internal,
                "a file's dictionaries lack values of the batch they were chosen from (columns {columns:?})"
            )
        })
    }

    /// Closes the open file and describes every file written, in the order they were written.
    pub fn finish(mut self) -> Result<Vec<DataFile>> {
        self.flush()?;
        self.close_current()?;
        if !self.closed.is_empty() {
            // make the renames durable before the files are committed
            store::sync_dir(&self.dir).map_err(|e| io_error("sync directory", &self.dir, e))?;
        }
        self.finished = true;
        Ok(std::mem::take(&mut self.closed))
    }

    /// Deletes every file this writer wrote (closed or still open). Reports the first failure,
    /// after trying them all.
    pub fn abort(mut self) -> Result<()> {
        self.remove_all()
    }

    fn remove_all(&mut self) -> Result<()> {
        let mut paths: Vec<PathBuf> = self.closed.drain(..).map(|f| f.path.into()).collect();
        if let Some(open) = self.current.take() {
            drop(open.writer);
            paths.push(open.tmp);
        }
        let mut first_error = None;
        for path in paths {
            if let Err(e) = store::remove_file(&path) {
                first_error.get_or_insert(io_error("delete", &path, e));
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    fn open_file(&self, dictionaries: FileDictionaries) -> Result<OpenFile> {
        let id = uuid::Uuid::new_v4();
        let name = if self.options.file_prefix.is_empty() {
            format!("{id}.arrow")
        } else {
            format!("{}-{id}.arrow", self.options.file_prefix)
        };
        let tmp =
            store::staging_path(&self.dir, &name).map_err(|e| io_error("stage", &self.dir, e))?;
        let path = self.dir.join(name);
        let file = File::create_new(&tmp).map_err(|e| io_error("create", &tmp, e))?;
        let counting = Counting {
            inner: BufWriter::with_capacity(1 << 20, file),
            written: 0,
        };
        let writer = FileWriter::try_new_with_options(
            counting,
            dictionaries.schema(),
            self.write_options.clone(),
        )
        .map_err(|e| {
            // nothing useful was written: do not leave the temporary file behind
            let _ = std::fs::remove_file(&tmp);
            err!(ArrowError, "cannot start '{}': {e}", tmp.display())
        })?;
        Ok(OpenFile {
            writer,
            tmp,
            path,
            batch_rows: Vec::new(),
            batch_bytes: Vec::new(),
            columns: BTreeMap::new(),
            batches: BatchStatsBuilder::default(),
            dictionaries,
        })
    }

    /// Writes the footer, syncs and renames the open file to its final name.
    fn close_current(&mut self) -> Result<()> {
        let Some(open) = self.current.take() else {
            return Ok(());
        };
        let OpenFile {
            writer,
            tmp,
            path,
            batch_rows,
            batch_bytes,
            columns,
            batches,
            dictionaries: _,
        } = open;
        let result = (|| {
            let counting = writer
                .into_inner()
                .map_err(|e| err!(ArrowError, "cannot finish '{}': {e}", tmp.display()))?;
            let bytes = counting.written;
            let file = counting
                .inner
                .into_inner()
                .map_err(|e| io_error("write", &tmp, e.error()))?;
            if !store::is_object(&path) {
                file.sync_all().map_err(|e| io_error("sync", &tmp, e))?;
            }
            drop(file);
            store::publish(&tmp, &path).map_err(|e| io_error("publish", &path, e))?;
            Ok(bytes)
        })();
        match result {
            Ok(bytes) => {
                self.closed.push(
                    DataFile::new(&path, bytes, batch_rows, batch_bytes, columns)
                        .with_batch_columns(batches.finish()),
                );
                Ok(())
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(e)
            }
        }
    }
}

impl Drop for TableWriter {
    /// A writer dropped without `finish` (an error, a panic, a cancelled query) deletes its files.
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.remove_all();
        }
    }
}

/// The Arrow schema zkarrow stores the columns of a table as.
pub fn arrow_schema(columns: &[ColumnSpec]) -> Result<SchemaRef> {
    let fields = columns
        .iter()
        .map(|c| {
            let field = Field::new(c.name.clone(), arrow_type(&c.presto_type)?, true);
            Ok(match c.id {
                Some(id) => field
                    .with_metadata(HashMap::from([(COLUMN_ID_KEY.to_string(), id.to_string())])),
                None => field,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(Schema::new(fields)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::storage::arrow_file;
    use arrow::array::{ArrayRef, AsArray, Int64Array, StringArray};
    use arrow::compute::concat_batches;
    use arrow::datatypes::{DataType, Field, Schema};
    use arrow::ipc::reader::FileReader;
    use serde_json::json;
    use std::sync::Arc;

    fn schema() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, true),
            Field::new("name", DataType::Utf8, true),
        ]))
    }

    /// Batch `i` of `rows` rows: ids `i*rows ..`, every 7th null; repetitive names.
    fn batch(i: i64, rows: i64) -> RecordBatch {
        let ids: Int64Array = (i * rows..(i + 1) * rows)
            .map(|v| (v % 7 != 3).then_some(v))
            .collect();
        let names: StringArray = (0..rows)
            .map(|v| Some(format!("name-{}", (v + i) % 10)))
            .collect();
        RecordBatch::try_new(
            schema(),
            vec![Arc::new(ids) as ArrayRef, Arc::new(names) as ArrayRef],
        )
        .unwrap()
    }

    /// Batches of `batch_rows` rows (the tests' batches are written as they are).
    fn options(target: u64, compression: Compression, batch_rows: u64) -> WriterOptions {
        WriterOptions {
            target_file_bytes: target,
            compression,
            file_prefix: "20240101_000000_00001_abcde".into(),
            batch_rows,
            batch_bytes: u64::MAX,
        }
    }

    /// The batches of a file as arrow reads them, dictionary columns decoded to their values.
    fn read_all(path: &str) -> Vec<RecordBatch> {
        let reader = FileReader::try_new(File::open(path).unwrap(), None).unwrap();
        reader.map(|b| decoded(&b.unwrap())).collect()
    }

    /// `schema` with each dictionary type replaced by its value type.
    fn decoded_schema(schema: &SchemaRef) -> SchemaRef {
        let fields: Vec<Field> = schema
            .fields()
            .iter()
            .map(|f| match f.data_type() {
                DataType::Dictionary(_, value) => f.as_ref().clone().with_data_type(*value.clone()),
                _ => f.as_ref().clone(),
            })
            .collect();
        Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()))
    }

    /// `batch` with its dictionary columns decoded to their values.
    fn decoded(batch: &RecordBatch) -> RecordBatch {
        let schema = decoded_schema(&batch.schema());
        let columns = batch
            .columns()
            .iter()
            .zip(schema.fields())
            .map(|(c, f)| arrow::compute::cast(c, f.data_type()).unwrap())
            .collect();
        RecordBatch::try_new(schema, columns).unwrap()
    }

    fn dir_names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn rolls_over_by_size_and_agrees_with_describe() {
        let dir = tempfile::tempdir().unwrap();
        // one file per batch when the target is tiny
        let mut w =
            TableWriter::new(dir.path(), schema(), options(1, Compression::None, 100)).unwrap();
        for i in 0..3 {
            w.write(&batch(i, 100)).unwrap();
        }
        let files = w.finish().unwrap();
        assert_eq!(files.len(), 3);
        assert!(files.iter().all(|f| f.batch_rows == vec![100]));

        // a target of about three batches
        let dir = tempfile::tempdir().unwrap();
        let one = files[0].batch_bytes[0];
        let target = 3 * one;
        let mut w = TableWriter::new(
            dir.path(),
            schema(),
            options(target, Compression::None, 100),
        )
        .unwrap();
        for i in 0..10 {
            w.write(&batch(i, 100)).unwrap();
        }
        let files = w.finish().unwrap();
        assert!(files.len() >= 3, "{} files", files.len());
        assert_eq!(files.iter().map(|f| f.rows).sum::<u64>(), 1000);
        for (n, f) in files.iter().enumerate() {
            let last = n == files.len() - 1;
            assert!(last || f.bytes >= target, "file {n} closed early");
            // it was still below the target before its last batch
            let before_last: u64 = f.batch_bytes[..f.batch_bytes.len() - 1].iter().sum();
            assert!(before_last < target);
            let name = Path::new(&f.path).file_name().unwrap().to_string_lossy();
            assert!(name.starts_with("20240101_000000_00001_abcde-") && name.ends_with(".arrow"));
            assert_eq!(std::fs::metadata(&f.path).unwrap().len(), f.bytes);

            let (read_schema, described) = arrow_file::describe(Path::new(&f.path)).unwrap();
            assert_eq!(decoded_schema(&read_schema), schema());
            assert_describes(&described, f);
        }
        let listed = arrow_file::list_data_files(dir.path()).unwrap();
        assert_eq!(listed.len(), files.len());
        assert_eq!(dir_names(dir.path()).len(), files.len());
    }

    #[test]
    fn compressed_files_read_back_equal() {
        let batches: Vec<RecordBatch> = (0..4).map(|i| batch(i, 2000)).collect();
        let expected = concat_batches(&schema(), &batches).unwrap();
        let mut sizes = Vec::new();
        for compression in [Compression::None, Compression::Lz4, Compression::zstd()] {
            let dir = tempfile::tempdir().unwrap();
            let mut w =
                TableWriter::new(dir.path(), schema(), options(u64::MAX, compression, 2000))
                    .unwrap();
            for b in &batches {
                w.write(b).unwrap();
            }
            assert!(w.written_bytes() > 0);
            let files = w.finish().unwrap();
            assert_eq!(files.len(), 1);
            assert_eq!(files[0].batch_rows, vec![2000; 4]);
            let read = read_all(&files[0].path);
            assert_eq!(
                concat_batches(&schema(), &read).unwrap(),
                expected,
                "{compression:?}"
            );
            let (_, described) = arrow_file::describe(Path::new(&files[0].path)).unwrap();
            assert_describes(&described, &files[0]);
            sizes.push(files[0].bytes);
        }
        assert!(sizes[1] < sizes[0] && sizes[2] < sizes[0], "{sizes:?}");
    }

    #[test]
    fn statistics_merge_across_batches() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = TableWriter::new(
            dir.path(),
            schema(),
            options(u64::MAX, Compression::Lz4, 10),
        )
        .unwrap();
        w.write(&batch(0, 10)).unwrap();
        w.write(&batch(5, 10)).unwrap();
        let files = w.finish().unwrap();
        let ids = &files[0].columns["id"];
        // ids 0..10 and 50..60; 3 is null in the first, 52 and 59 in the second
        assert_eq!(ids.null_count, 3);
        assert_eq!(ids.min, Some(json!(0)));
        assert_eq!(ids.max, Some(json!(58)));
        let names = &files[0].columns["name"];
        assert_eq!(names.null_count, 0);
        assert_eq!(names.min, Some(json!("name-0")));
        assert_eq!(names.max, Some(json!("name-9")));
        // and the statistics of each batch
        let batches = &files[0].batch_columns["id"];
        assert_eq!(batches.nulls, vec![1, 2]);
        assert_eq!(batches.min, vec![json!(0), json!(50)]);
        assert_eq!(batches.max, vec![json!(9), json!(58)]);
    }

    #[test]
    fn abort_and_drop_remove_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut w =
            TableWriter::new(dir.path(), schema(), options(1, Compression::None, 10)).unwrap();
        w.write(&batch(0, 10)).unwrap();
        w.write(&batch(1, 10)).unwrap();
        assert_eq!(dir_names(dir.path()).len(), 2);
        w.abort().unwrap();
        assert!(dir_names(dir.path()).is_empty());

        // an open file is a hidden temporary file until it is closed
        let mut w = TableWriter::new(
            dir.path(),
            schema(),
            options(u64::MAX, Compression::None, 10),
        )
        .unwrap();
        w.write(&batch(0, 10)).unwrap();
        let names = dir_names(dir.path());
        assert_eq!(names.len(), 1);
        assert!(names[0].starts_with('.') && names[0].ends_with(".arrow.tmp"));
        assert!(arrow_file::list_data_files(dir.path()).is_err());
        w.abort().unwrap();
        assert!(dir_names(dir.path()).is_empty());

        let mut w =
            TableWriter::new(dir.path(), schema(), options(1, Compression::None, 10)).unwrap();
        w.write(&batch(0, 10)).unwrap();
        w.write(&batch(1, 10)).unwrap();
        drop(w);
        assert!(dir_names(dir.path()).is_empty());
    }

    #[test]
    fn coalesces_pages_into_batches_of_the_configured_size() {
        // pages of 300 rows become batches of 1000 rows; a big input batch is sliced
        let dir = tempfile::tempdir().unwrap();
        let mut w = TableWriter::new(
            dir.path(),
            schema(),
            options(u64::MAX, Compression::zstd(), 1000),
        )
        .unwrap();
        let mut input = Vec::new();
        for i in 0..10 {
            input.push(batch(i, 300));
        }
        input.push(batch(100, 2500));
        for b in &input {
            w.write(b).unwrap();
        }
        let files = w.finish().unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].batch_rows, vec![1000, 1000, 1000, 1000, 1000, 500]);
        let expected = concat_batches(&schema(), &input).unwrap();
        let read = read_all(&files[0].path);
        assert_eq!(concat_batches(&schema(), &read).unwrap(), expected);
        // statistics are those of the rows as written
        let (_, described) = arrow_file::describe(Path::new(&files[0].path)).unwrap();
        assert_describes(&described, &files[0]);

        // the byte limit closes a batch first: 8 bytes an id plus the names' bytes
        let dir = tempfile::tempdir().unwrap();
        let mut o = options(u64::MAX, Compression::None, 1 << 20);
        o.batch_bytes = 64 << 10;
        let mut w = TableWriter::new(dir.path(), schema(), o).unwrap();
        for i in 0..40 {
            w.write(&batch(i, 1000)).unwrap();
        }
        let files = w.finish().unwrap();
        let rows = &files[0].batch_rows;
        assert_eq!(rows.iter().sum::<u64>(), 40_000);
        assert!(rows.len() > 2 && rows.len() < 40, "{rows:?}");
        assert!(
            rows[..rows.len() - 1].iter().all(|&r| r == rows[0]),
            "{rows:?}"
        );

        // the file-size rollover still works on coalesced batches
        let dir = tempfile::tempdir().unwrap();
        let mut w =
            TableWriter::new(dir.path(), schema(), options(1, Compression::None, 1000)).unwrap();
        for i in 0..10 {
            w.write(&batch(i, 300)).unwrap();
        }
        let files = w.finish().unwrap();
        assert_eq!(files.len(), 3);
        let rows: Vec<Vec<u64>> = files.iter().map(|f| f.batch_rows.clone()).collect();
        assert_eq!(rows, vec![vec![1000], vec![1000], vec![1000]]);
    }

    #[test]
    fn empty_input_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut w =
            TableWriter::new(dir.path(), schema(), options(1, Compression::zstd(), 10)).unwrap();
        w.write(&RecordBatch::new_empty(schema())).unwrap();
        assert_eq!(w.finish().unwrap(), vec![]);
        assert!(dir_names(dir.path()).is_empty());
    }

    #[test]
    fn refuses_bad_batches_and_options() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = TableWriter::new(dir.path(), schema(), WriterOptions::default()).unwrap();
        let other = RecordBatch::try_from_iter(vec![(
            "id",
            Arc::new(StringArray::from(vec!["x"])) as ArrayRef,
        )])
        .unwrap();
        let e = w.write(&other).unwrap_err();
        assert_eq!(e.code, ErrorCode::SchemaMismatch);
        // same types under other field names are accepted
        let renamed = RecordBatch::try_from_iter(vec![
            ("a", Arc::new(Int64Array::from(vec![1])) as ArrayRef),
            ("b", Arc::new(StringArray::from(vec!["x"])) as ArrayRef),
        ])
        .unwrap();
        w.write(&renamed).unwrap();
        let files = w.finish().unwrap();
        assert_eq!(read_all(&files[0].path)[0].schema(), schema());
        assert!(files[0].columns.contains_key("id"));

        for bad in ["../x", ".hidden", "_x", "a/b", "a b"] {
            let o = WriterOptions {
                file_prefix: bad.into(),
                ..WriterOptions::default()
            };
            let e = TableWriter::new(dir.path(), schema(), o).err().unwrap();
            assert_eq!(e.code, ErrorCode::InvalidArgument, "{bad}");
        }
        let o = WriterOptions {
            target_file_bytes: 0,
            ..WriterOptions::default()
        };
        assert!(TableWriter::new(dir.path(), schema(), o).is_err());
        assert_eq!("LZ4".parse::<Compression>().unwrap(), Compression::Lz4);
        assert_eq!("zstd".parse::<Compression>().unwrap(), Compression::Zstd(3));
        assert_eq!(
            " ZSTD(19) ".parse::<Compression>().unwrap(),
            Compression::Zstd(19)
        );
        assert_eq!("none".parse::<Compression>().unwrap(), Compression::None);
        for bad in [
            "gzip", "zstd(0)", "zstd(23)", "zstd(x)", "zstd()", "zstd(-1)",
        ] {
            let e = bad.parse::<Compression>().unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidArgument, "{bad}");
            assert!(
                e.message.contains("zstd(1)") || e.message.contains("1 to 22"),
                "{e:?}"
            );
        }
        for c in [
            Compression::None,
            Compression::Lz4,
            Compression::zstd(),
            Compression::Zstd(1),
            Compression::Zstd(22),
        ] {
            assert_eq!(c.to_string().parse::<Compression>().unwrap(), c);
        }
    }

    #[test]
    fn the_zstd_level_is_applied() {
        // the same compressible data at the fastest and a slow level: zstd is deterministic, and
        // level 19 finds longer matches than level 1
        let bytes_at = |level: i32| {
            let dir = tempfile::tempdir().unwrap();
            let mut w = TableWriter::new(
                dir.path(),
                schema(),
                options(u64::MAX, Compression::Zstd(level), 100_000),
            )
            .unwrap();
            w.write(&batch(0, 100_000)).unwrap();
            let files = w.finish().unwrap();
            assert_eq!(files.len(), 1);
            files[0].bytes
        };
        let (fast, small) = (bytes_at(1), bytes_at(19));
        assert!(small < fast, "zstd(19) wrote {small} bytes, zstd(1) {fast}");
    }

    /// A table of a low-cardinality column (`flag`, with nulls), a unique column (`comment`)
    /// and an all-null string column, each carrying its zkarrow column id.
    fn dictionary_schema() -> SchemaRef {
        let field = |name: &str, data_type: DataType, id: u32| {
            Field::new(name, data_type, true)
                .with_metadata(HashMap::from([(COLUMN_ID_KEY.to_string(), id.to_string())]))
        };
        Arc::new(Schema::new(vec![
            field("id", DataType::Int64, 1),
            field("flag", DataType::Utf8, 2),
            field("comment", DataType::Utf8, 3),
            field("nothing", DataType::Utf8, 4),
        ]))
    }

    /// Batch `i` of `rows` rows; `flag` takes the values `flags` in turn, every 5th row null.
    fn dictionary_batch(i: i64, rows: i64, flags: &[&str]) -> RecordBatch {
        let start = i * rows;
        let ids: Int64Array = (start..start + rows).map(Some).collect();
        let flag: StringArray = (start..start + rows)
            .map(|v| (v % 5 != 0).then(|| flags[v as usize % flags.len()]))
            .collect();
        let comment: StringArray = (start..start + rows)
            .map(|v| Some(format!("comment {v}")))
            .collect();
        let nothing = StringArray::new_null(rows as usize);
        RecordBatch::try_new(
            dictionary_schema(),
            vec![
                Arc::new(ids) as ArrayRef,
                Arc::new(flag),
                Arc::new(comment),
                Arc::new(nothing),
            ],
        )
        .unwrap()
    }

    fn column_types(path: &str) -> Vec<DataType> {
        let reader = FileReader::try_new(File::open(path).unwrap(), None).unwrap();
        reader
            .schema()
            .fields()
            .iter()
            .map(|f| f.data_type().clone())
            .collect()
    }

    fn dictionary_type() -> DataType {
        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
    }

    /// `described` (by reading the file) is `written` (by the writer), but for the first batch's
    /// bytes, which the writer counts with the file's dictionaries, and the column ids.
    fn assert_describes(described: &DataFile, written: &DataFile) {
        let mut written = written.clone();
        assert!(written.batch_bytes[0] >= described.batch_bytes[0]);
        written.batch_bytes[0] = described.batch_bytes[0];
        // describing reads no column ids (the manifest takes them from the table)
        for stats in written.columns.values_mut() {
            stats.column_id = None;
        }
        assert_eq!(described, &written);
    }

    /// Every batch of `file` reads back as `expected` through arrow's reader and zkarrow's, and
    /// describing the file gives the statistics the writer computed.
    fn assert_reads_back(file: &DataFile, expected: &[RecordBatch]) {
        let read = read_all(&file.path);
        assert_eq!(read, expected);
        let ours: Vec<RecordBatch> = arrow_file::open(Path::new(&file.path), None)
            .unwrap()
            .map(|b| decoded(&b.unwrap()))
            .collect();
        assert_eq!(ours, expected);
        let (schema, described) = arrow_file::describe(Path::new(&file.path)).unwrap();
        assert_eq!(decoded_schema(&schema), dictionary_schema());
        assert_describes(&described, file);
    }

    #[test]
    fn low_cardinality_strings_are_written_as_dictionaries() {
        let dir = tempfile::tempdir().unwrap();
        let flags = ["A", "N", "R"];
        let batches: Vec<RecordBatch> = (0..4).map(|i| dictionary_batch(i, 1000, &flags)).collect();
        let mut w = TableWriter::new(
            dir.path(),
            dictionary_schema(),
            options(u64::MAX, Compression::zstd(), 1000),
        )
        .unwrap();
        for b in &batches {
            w.write(b).unwrap();
        }
        let files = w.finish().unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].batch_rows, vec![1000; 4]);
        // only the few-valued column is encoded; the unique and the all-null ones stay plain
        assert_eq!(
            column_types(&files[0].path),
            vec![
                DataType::Int64,
                dictionary_type(),
                DataType::Utf8,
                DataType::Utf8
            ]
        );
        // the field keeps its column id and nullability
        let reader = FileReader::try_new(File::open(&files[0].path).unwrap(), None).unwrap();
        let flag = reader.schema().field(1).clone();
        assert!(flag.is_nullable());
        assert_eq!(
            flag.metadata().get(COLUMN_ID_KEY).map(String::as_str),
            Some("2")
        );
        // one dictionary, written once: three values, and every batch refers to it
        for batch in reader {
            let batch = batch.unwrap();
            let flag = batch.column(1).as_any_dictionary();
            assert_eq!(flag.values().len(), 3);
            assert_eq!(batch.column(1).null_count(), 200);
        }
        assert_reads_back(&files[0], &batches);
        // statistics of the values: the nulls, the bounds and the distinct count of plain strings
        let stats = &files[0].columns["flag"];
        assert_eq!(stats.null_count, 800);
        assert_eq!(stats.min, Some(json!("A")));
        assert_eq!(stats.max, Some(json!("R")));
        let mut plain = ColumnStats::compute(batches[0].column(1).as_ref())
            .with_sketch(batches[0].column(1).as_ref());
        for b in &batches[1..] {
            plain.merge(
                &ColumnStats::compute(b.column(1).as_ref()).with_sketch(b.column(1).as_ref()),
            );
        }
        assert!(plain.sketch.is_some());
        assert_eq!(stats.sketch, plain.sketch);
        assert_eq!(
            (stats.null_count, &stats.min, &stats.max),
            (plain.null_count, &plain.min, &plain.max)
        );
    }

    #[test]
    fn a_new_value_rolls_the_file_once_and_later_files_are_plain() {
        let dir = tempfile::tempdir().unwrap();
        // batches 0 and 1 hold three flags; from batch 2 on every batch brings new ones
        let batches: Vec<RecordBatch> = (0..6)
            .map(|i| {
                let owned: Vec<String> = if i < 2 {
                    vec!["A".into(), "N".into(), "R".into()]
                } else {
                    (0..4).map(|k| format!("V{i}-{k}")).collect()
                };
                let flags: Vec<&str> = owned.iter().map(String::as_str).collect();
                dictionary_batch(i, 1000, &flags)
            })
            .collect();
        let mut w = TableWriter::new(
            dir.path(),
            dictionary_schema(),
            options(u64::MAX, Compression::None, 1000),
        )
        .unwrap();
        for b in &batches {
            w.write(b).unwrap();
        }
        let files = w.finish().unwrap();
        // one early roll, before batch 2; then the column is plain for the rest of the writer
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].batch_rows, vec![1000; 2]);
        assert_eq!(files[1].batch_rows, vec![1000; 4]);
        assert_eq!(column_types(&files[0].path)[1], dictionary_type());
        assert_eq!(column_types(&files[1].path)[1], DataType::Utf8);
        assert_reads_back(&files[0], &batches[..2]);
        assert_reads_back(&files[1], &batches[2..]);
    }

    #[test]
    fn each_file_chooses_its_dictionary_from_its_first_batch() {
        let dir = tempfile::tempdir().unwrap();
        let batches: Vec<RecordBatch> = (0..4)
            .map(|i| dictionary_batch(i, 1000, if i < 2 { &["x", "y"] } else { &["p", "q"] }))
            .collect();
        // a file per batch: each has its own dictionary, so no column is ever turned off
        let mut w = TableWriter::new(
            dir.path(),
            dictionary_schema(),
            options(1, Compression::None, 1000),
        )
        .unwrap();
        for b in &batches {
            w.write(b).unwrap();
        }
        let files = w.finish().unwrap();
        assert_eq!(files.len(), 4);
        for (file, batch) in files.iter().zip(&batches) {
            assert_eq!(column_types(&file.path)[1], dictionary_type());
            assert_reads_back(file, std::slice::from_ref(batch));
        }
    }
}
