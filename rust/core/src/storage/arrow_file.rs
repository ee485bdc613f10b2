//! Arrow IPC files (Feather v2) on a file system: finding them, describing them for a manifest, and
//! reading a range of their record batches with only the requested columns read and decoded.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::RecordBatch;
use arrow::buffer::{Buffer, MutableBuffer};
use arrow::datatypes::SchemaRef;
use arrow::ipc::convert::try_fb_to_schema;
use arrow::ipc::reader::FileDecoder;
use arrow::ipc::Block;

use crate::storage::ipc_guard::{self, Expect};
use crate::storage::read_plan;
use crate::storage::store::{self, ByteSource, StoredFile};

// A private part of this reader, in its own file (kept out of storage/mod.rs).
use crate::storage::records::DataFile;
use crate::storage::stats::{self, BatchStatsBuilder, ColumnStats};
use crate::{err, Result};

const MAGIC: &[u8; 6] = b"ARROW1";
/// "ARROW1" and two bytes of padding at the start of a file.
const HEAD: usize = 8;
/// The footer's length and "ARROW1" at the end of a file.
const TRAILER: usize = 10;
const EXTENSIONS: [&str; 4] = ["arrow", "feather", "ipc", "arrows"];

/// The Arrow IPC files that `path` names: the file itself, or the files of a directory (not
/// recursive; names starting with `.` or `_` are skipped, as other engines do), sorted by name.
pub fn list_data_files(path: &Path) -> Result<Vec<PathBuf>> {
    let unreadable = |e: std::io::Error| {
        err!(
            InvalidArgument,
            "cannot read '{}': {e}; give an absolute path or an s3:// location that every Presto node can read",
            path.display()
        )
    };
    if store::is_file(path).map_err(unreadable)? {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = store::list(path).map_err(unreadable)?;
    let mut files: Vec<PathBuf> = entries
        .into_iter()
        .filter(|entry| {
            let name = &entry.name;
            let is_data = EXTENSIONS.iter().any(|ext| {
                Path::new(name)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case(ext))
            });
            is_data && !name.starts_with('.') && !name.starts_with('_')
        })
        .map(|entry| path.join(entry.name))
        .collect();
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

/// Opens an Arrow IPC file, telling a stream-format file or a non-Arrow file apart with a clear
/// error, and checking its footer and dictionaries (see [`IpcFileReader`]).
pub fn open(path: &Path, projection: Option<Vec<usize>>) -> Result<IpcFileReader> {
    let file =
        store::open(path).map_err(|e| err!(IoError, "cannot open '{}': {e}", path.display()))?;
    IpcFileReader::try_new(file, path, projection)
}

/// Opens an Arrow IPC file reading only its footer (checked): the schema and the record batch
/// blocks, without dictionaries, for [`IpcFileReader::batch_rows`]. Such a reader cannot decode
/// batches.
pub fn open_footer(path: &Path) -> Result<IpcFileReader> {
    let file =
        store::open(path).map_err(|e| err!(IoError, "cannot open '{}': {e}", path.display()))?;
    IpcFileReader::try_new_footer(file, path)
}

/// An Arrow IPC file reader that believes no number the file holds before checking it
/// ([`crate::storage::ipc_guard`]): the footer once when it opens, each record batch's message before
/// arrow decodes it. A file that lies gets a `CORRUPT_FILE` error that names it.
///
/// With a projection of some of the columns, a batch is not read whole: its message metadata
/// first, then only the byte ranges of the projected columns' buffers (neighbours merged), so a
/// scan's reads track the columns it reads, not the file's size. Every column read: one read of
/// the whole batch.
pub struct IpcFileReader<R = StoredFile> {
    reader: R,
    path: PathBuf,
    schema: SchemaRef,
    projected: SchemaRef,
    decoder: FileDecoder,
    /// Record batch blocks: (offset, total length), checked to lie inside the file.
    blocks: Vec<(Block, u64, usize)>,
    next: usize,
    /// False for a footer-only reader ([`open_footer`]): it may count rows, not decode batches.
    decodes: bool,
    /// The top-level columns decoded (sorted, once each), when they are not all of them: then
    /// only their buffers are read.
    columns: Option<Vec<usize>>,
    /// Message metadata fetched ahead, by block offset ([`Self::prefetch_metadata`]).
    prefetched: HashMap<u64, Vec<u8>>,
    /// Projected batch bodies read ahead, by block offset ([`Self::read_columns_ahead`]).
    bodies: HashMap<u64, Buffer>,
    /// The end of the batch range being read (read-ahead stops there).
    ahead_end: usize,
}

/// A projected batch being read: a buffer of its full length holding its metadata, and the
/// ranges of it (offsets into the block) that the projected columns' buffers occupy.
struct ColumnRead {
    bytes: MutableBuffer,
    offset: u64,
    meta_len: usize,
    ranges: Vec<(usize, usize)>,
}

/// Batches a remote read fetches together, at most, and their bytes (full batch lengths: the
/// projected part is smaller).
const READ_AHEAD: usize = 8;
const READ_AHEAD_BYTES: usize = 64 << 20;

impl<R: ByteSource> IpcFileReader<R> {
    /// Reads and checks the footer and the dictionaries of the file that `reader` reads; `path`
    /// names it in errors.
    pub fn try_new(reader: R, path: &Path, projection: Option<Vec<usize>>) -> Result<Self> {
        Self::try_new_impl(reader, path, projection, true)
    }

    /// Reads and checks the footer only (no dictionary): a reader for [`Self::batch_rows`].
    pub fn try_new_footer(reader: R, path: &Path) -> Result<Self> {
        Self::try_new_impl(reader, path, None, false)
    }

    fn try_new_impl(
        mut reader: R,
        path: &Path,
        projection: Option<Vec<usize>>,
        decodes: bool,
    ) -> Result<Self> {
        let io = |e: std::io::Error| err!(IoError, "cannot read '{}': {e}", path.display());
        let corrupt = |lie: String| err!(CorruptFile, "'{}' is corrupt: {lie}", path.display());
        let len = reader.size().map_err(io)?;
        let mut head = [0u8; 6];
        let is_file_format = len >= 6 && reader.read_at(0, &mut head).is_ok() && &head == MAGIC;
        if !is_file_format {
            return Err(err!(
                InvalidArgument,
                "'{}' is not an Arrow IPC file (Feather v2): it does not start with ARROW1; an Arrow IPC stream must be rewritten in the file format (pyarrow.ipc.new_file)",
                path.display()
            ));
        }
        // "ARROW1" and padding, then the data, the footer, its length and "ARROW1" again.
        if len < (HEAD + TRAILER) as u64 {
            return Err(corrupt(format!(
                "it has {len} bytes, too few for an Arrow IPC file (truncated?)"
            )));
        }
        let mut tail = [0u8; TRAILER];
        reader
            .read_at(len - TRAILER as u64, &mut tail)
            .map_err(io)?;
        if &tail[4..] != MAGIC {
            return Err(corrupt(
                "it does not end with ARROW1 (truncated, or still being written?)".into(),
            ));
        }
        let footer_len = i32::from_le_bytes(tail[..4].try_into().expect("4 bytes"));
        let room = len - (HEAD + TRAILER) as u64;
        let footer_len = u64::try_from(footer_len)
            .ok()
            .filter(|&l| l <= room)
            .ok_or_else(|| {
                corrupt(format!(
                    "its footer declares {footer_len} bytes, but the file has {room} bytes for it"
                ))
            })?;
        let data_end = len - TRAILER as u64 - footer_len;
        let mut footer_bytes = vec![0u8; footer_len as usize];
        reader.read_at(data_end, &mut footer_bytes).map_err(io)?;
        let footer = arrow::ipc::root_as_footer(&footer_bytes)
            .map_err(|e| corrupt(format!("its footer is malformed: {e}")))?;
        let fb_schema = footer
            .schema()
            .ok_or_else(|| corrupt("its footer has no schema".into()))?;
        if !fb_schema.endianness().equals_to_target_endianness() {
            return Err(err!(
                InvalidArgument,
                "'{}' is big-endian; only little-endian Arrow files can be read",
                path.display()
            ));
        }
        let schema = Arc::new(
            try_fb_to_schema(fb_schema)
                .map_err(|e| corrupt(format!("its schema cannot be read: {e}")))?,
        );
        ipc_guard::check_schema(schema.fields()).map_err(corrupt)?;
        let projected = match &projection {
            Some(p) => Arc::new(schema.project(p)?),
            None => schema.clone(),
        };
        let mut decoder = FileDecoder::new(schema.clone(), footer.version());
        let mut columns = None;
        if let Some(p) = projection {
            let mut distinct = p.clone();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() < schema.fields().len() {
                columns = Some(distinct);
            }
            decoder = decoder.with_projection(p);
        }
        let mut blocks = Vec::new();
        for (i, block) in footer.recordBatches().iter().flatten().enumerate() {
            let (offset, length) =
                ipc_guard::check_block(block, data_end, &format!("record batch {i}"))
                    .map_err(corrupt)?;
            blocks.push((*block, offset, length));
        }
        ipc_guard::check_disjoint(&blocks).map_err(corrupt)?;
        let mut this = IpcFileReader {
            reader,
            path: path.to_path_buf(),
            schema,
            projected,
            decoder,
            blocks,
            next: 0,
            decodes,
            columns,
            prefetched: HashMap::new(),
            bodies: HashMap::new(),
            ahead_end: 0,
        };
        if !decodes {
            return Ok(this);
        }
        for (i, block) in footer.dictionaries().iter().flatten().enumerate() {
            let what = format!("dictionary batch {i}");
            let (offset, length) =
                ipc_guard::check_block(block, data_end, &what).map_err(corrupt)?;
            let buf = this.read_message(block, offset, length, Expect::Dictionary, &what)?;
            this.decoder
                .read_dictionary(block, &buf)
                .map_err(|e| corrupt(format!("{what} cannot be decoded: {e}")))?;
        }
        Ok(this)
    }

    /// Reads one block and checks its message before arrow sees it.
    fn read_message(
        &mut self,
        block: &Block,
        offset: u64,
        length: usize,
        expect: Expect,
        what: &str,
    ) -> Result<Buffer> {
        let path = &self.path;
        let io = |e: std::io::Error| err!(IoError, "cannot read '{}': {e}", path.display());
        // 64-byte aligned, as arrow's buffers are: the offsets the guard checks are the addresses
        // arrow reads.
        let mut bytes = MutableBuffer::from_len_zeroed(length);
        self.reader
            .read_at(offset, bytes.as_slice_mut())
            .map_err(io)?;
        let meta_len = block.metaDataLength() as usize;
        let checked = ipc_guard::message_in_block(&bytes, meta_len, what).and_then(|message| {
            ipc_guard::check_message(&message, &bytes[meta_len..], &self.schema, expect, what)
        });
        checked.map_err(|lie| err!(CorruptFile, "'{}' is corrupt: {lie}", path.display()))?;
        Ok(bytes.into())
    }

    /// Reads a record batch's metadata and, of its body, only the buffers of top-level columns
    /// `columns`, each at its place in a zeroed body of the full length (pages never written are
    /// never touched, so they cost no memory); the guard then checks the message and those
    /// buffers, which are all that arrow, decoding only those columns, reads.
    fn read_columns(
        &mut self,
        block: &Block,
        offset: u64,
        length: usize,
        columns: &[usize],
        what: &str,
    ) -> Result<Buffer> {
        let mut plan = [self.plan_columns(block, offset, length, columns, what)?];
        self.fetch_columns(&mut plan)?;
        let [plan] = plan;
        self.check_columns(plan, columns, what)
    }

    /// The first step of reading a batch's projected columns: its metadata (prefetched or read)
    /// in a zeroed buffer of the batch's full length, checked, and the byte ranges of the
    /// columns' buffers (neighbours merged).
    fn plan_columns(
        &mut self,
        block: &Block,
        offset: u64,
        length: usize,
        columns: &[usize],
        what: &str,
    ) -> Result<ColumnRead> {
        let path = &self.path;
        let io = |e: std::io::Error| err!(IoError, "cannot read '{}': {e}", path.display());
        let corrupt = |lie: String| err!(CorruptFile, "'{}' is corrupt: {lie}", path.display());
        let meta_len = block.metaDataLength() as usize;
        // 64-byte aligned, as arrow's buffers are (see read_message).
        let mut bytes = MutableBuffer::from_len_zeroed(length);
        match self.prefetched.remove(&offset) {
            Some(meta) if meta.len() == meta_len => {
                bytes.as_slice_mut()[..meta_len].copy_from_slice(&meta)
            }
            _ => self
                .reader
                .read_at(offset, &mut bytes.as_slice_mut()[..meta_len])
                .map_err(io)?,
        }
        let layout = {
            let message = ipc_guard::message_in_block(&bytes, meta_len, what).map_err(corrupt)?;
            let batch = message
                .header_as_record_batch()
                .ok_or_else(|| corrupt(format!("{what} is not a record batch message")))?;
            ipc_guard::batch_layout(
                &batch,
                (length - meta_len) as u64,
                self.schema.fields(),
                message.version(),
                what,
            )
            .map_err(corrupt)?
        };
        let wanted = columns.iter().flat_map(|&c| layout.column_buffers(c));
        let ranges = read_plan::coalesce(wanted.copied(), read_plan::GAP)
            .into_iter()
            .map(|(start, end)| (meta_len + start as usize, meta_len + end as usize))
            .collect();
        Ok(ColumnRead {
            bytes,
            offset,
            meta_len,
            ranges,
        })
    }

    /// Fills the planned ranges of every batch in `plans` with one `read_ranges` (an object
    /// store fetches them all concurrently).
    fn fetch_columns(&mut self, plans: &mut [ColumnRead]) -> Result<()> {
        let path = &self.path;
        let io = |e: std::io::Error| err!(IoError, "cannot read '{}': {e}", path.display());
        let mut reads: Vec<(u64, &mut [u8])> = Vec::new();
        for plan in plans.iter_mut() {
            // the ranges are sorted and apart: cut the buffer into their disjoint slices
            let mut rest: &mut [u8] = plan.bytes.as_slice_mut();
            let mut consumed = 0usize;
            for &(start, end) in &plan.ranges {
                let (_, after) = std::mem::take(&mut rest).split_at_mut(start - consumed);
                let (range, after) = after.split_at_mut(end - start);
                reads.push((plan.offset + start as u64, range));
                rest = after;
                consumed = end;
            }
        }
        self.reader.read_ranges(&mut reads).map_err(io)
    }

    /// Checks a read batch again on the bytes arrow will see: metadata for all columns, content
    /// for the read ones.
    fn check_columns(&self, plan: ColumnRead, columns: &[usize], what: &str) -> Result<Buffer> {
        let path = &self.path;
        let corrupt = |lie: String| err!(CorruptFile, "'{}' is corrupt: {lie}", path.display());
        let (bytes, meta_len) = (plan.bytes, plan.meta_len);
        let message = ipc_guard::message_in_block(&bytes, meta_len, what).map_err(corrupt)?;
        ipc_guard::check_message_columns(
            &message,
            &bytes[meta_len..],
            &self.schema,
            Expect::RecordBatch,
            what,
            Some(columns),
        )
        .map_err(corrupt)?;
        Ok(bytes.into())
    }

    /// Reads batch `index`'s projected columns from a remote source together with those of the
    /// next batches of the range given to [`Self::prefetch_metadata`] (up to [`READ_AHEAD`]
    /// batches or [`READ_AHEAD_BYTES`]), so that a split costs a round trip per group of batches,
    /// not per batch. A later batch that fails its checks is not kept: it fails when it is read.
    fn read_columns_ahead(&mut self, index: usize, columns: &[usize]) -> Result<Buffer> {
        let (block, offset, length) = self.block(index)?;
        if let Some(body) = self.bodies.remove(&offset) {
            return Ok(body);
        }
        let what = |i: usize| format!("record batch {i}");
        let mut plans = vec![self.plan_columns(&block, offset, length, columns, &what(index))?];
        let mut planned_bytes = length;
        let mut next = index + 1;
        while next < self.ahead_end.min(self.blocks.len()) && plans.len() < READ_AHEAD {
            let (block, offset, length) = self.blocks[next];
            if planned_bytes + length > READ_AHEAD_BYTES || !self.prefetched.contains_key(&offset) {
                break;
            }
            match self.plan_columns(&block, offset, length, columns, &what(next)) {
                Ok(plan) => plans.push(plan),
                Err(_) => break, // it fails again, with its message, when it is read
            }
            planned_bytes += length;
            next += 1;
        }
        self.fetch_columns(&mut plans)?;
        let mut plans = plans.into_iter();
        let first = plans.next().expect("the batch asked for");
        for (i, plan) in (index + 1..).zip(plans) {
            let plan_offset = plan.offset;
            if let Ok(body) = self.check_columns(plan, columns, &what(i)) {
                self.bodies.insert(plan_offset, body);
            }
        }
        self.check_columns(first, columns, &what(index))
    }

    /// Fetches the message metadata of batches `range` in one go, for a source where each read
    /// is a round trip (object storage: the requests go out together) and batches are read in
    /// two steps (a projection: metadata, then the columns' buffers) or by metadata alone
    /// ([`Self::batch_rows`]): that step then costs one round trip for all the batches instead
    /// of one each. Bounded by the batches'
    /// metadata lengths, which the footer gave and the guard checked.
    pub fn prefetch_metadata(&mut self, range: std::ops::Range<usize>) -> Result<()> {
        // a reader of every column reads each batch whole, metadata with it
        let reads_in_two_steps = self.columns.is_some() || !self.decodes;
        if !reads_in_two_steps || !self.reader.is_remote() {
            return Ok(());
        }
        let path = &self.path;
        let io = |e: std::io::Error| err!(IoError, "cannot read '{}': {e}", path.display());
        let end = range.end.min(self.blocks.len());
        let wanted = &self.blocks[range.start.min(end)..end];
        let mut metas: Vec<Vec<u8>> = wanted
            .iter()
            .map(|(block, _, _)| vec![0u8; block.metaDataLength() as usize])
            .collect();
        let mut reads: Vec<(u64, &mut [u8])> = wanted
            .iter()
            .zip(metas.iter_mut())
            .map(|((_, offset, _), meta)| (*offset, meta.as_mut_slice()))
            .collect();
        self.reader.read_ranges(&mut reads).map_err(io)?;
        for ((_, offset, _), meta) in wanted.iter().zip(metas) {
            self.prefetched.insert(*offset, meta);
        }
        self.ahead_end = end;
        Ok(())
    }

    /// The schema of the batches this reader returns (projected).
    pub fn schema(&self) -> SchemaRef {
        self.projected.clone()
    }

    pub fn num_batches(&self) -> usize {
        self.blocks.len()
    }

    /// The underlying reader.
    pub fn into_inner(self) -> R {
        self.reader
    }

    /// Bytes of each record batch (metadata and body), as the footer gives them (checked).
    pub fn batch_lengths(&self) -> Vec<u64> {
        self.blocks.iter().map(|b| b.2 as u64).collect()
    }

    /// Makes batch `index` the next one read.
    pub fn set_index(&mut self, index: usize) -> Result<()> {
        if index > self.blocks.len() {
            return Err(err!(
                InvalidArgument,
                "'{}' has {} record batches, there is no batch {index}",
                self.path.display(),
                self.blocks.len()
            ));
        }
        self.next = index;
        Ok(())
    }

    /// The row count of record batch `index`, from its message metadata alone: the batch's body
    /// (its buffers) is not read. The count is checked as far as metadata can check it (see
    /// [`ipc_guard::batch_layout`]): every column's nodes must have as many values and its
    /// buffers must be big enough for them, so a file cannot declare more rows than its bytes
    /// can hold, and never more than a Presto page can count.
    pub fn batch_rows(&mut self, index: usize) -> Result<u64> {
        let (block, offset, length) = self.block(index)?;
        let path = &self.path;
        let io = |e: std::io::Error| err!(IoError, "cannot read '{}': {e}", path.display());
        let corrupt = |lie: String| err!(CorruptFile, "'{}' is corrupt: {lie}", path.display());
        let what = format!("record batch {index}");
        let meta_len = block.metaDataLength() as usize;
        let meta = match self.prefetched.remove(&offset) {
            Some(meta) if meta.len() == meta_len => meta,
            _ => {
                let mut meta = vec![0u8; meta_len];
                self.reader.read_at(offset, &mut meta).map_err(io)?;
                meta
            }
        };
        let message = ipc_guard::message_in_block(&meta, meta_len, &what).map_err(corrupt)?;
        let batch = message
            .header_as_record_batch()
            .ok_or_else(|| corrupt(format!("{what} is not a record batch message")))?;
        let body_len = (length - meta_len) as u64;
        let layout = ipc_guard::batch_layout(
            &batch,
            body_len,
            self.schema.fields(),
            message.version(),
            &what,
        )
        .map_err(corrupt)?;
        Ok(layout.rows())
    }

    fn block(&self, index: usize) -> Result<(Block, u64, usize)> {
        self.blocks.get(index).copied().ok_or_else(|| {
            err!(
                InvalidArgument,
                "'{}' has {} record batches, there is no batch {index}",
                self.path.display(),
                self.blocks.len()
            )
        })
    }

    /// Reads, checks and decodes record batch `index`.
    pub fn read_batch(&mut self, index: usize) -> Result<RecordBatch> {
        if !self.decodes {
            return Err(err!(
                Internal,
                "'{}' was opened to count rows, not to decode batches",
                self.path.display()
            ));
        }
        let (block, offset, length) = self.block(index)?;
        let what = format!("record batch {index}");
        let buf = match self.columns.take() {
            None => self.read_message(&block, offset, length, Expect::RecordBatch, &what)?,
            Some(columns) => {
                let read = if self.reader.is_remote() {
                    self.read_columns_ahead(index, &columns)
                } else {
                    self.read_columns(&block, offset, length, &columns, &what)
                };
                self.columns = Some(columns);
                read?
            }
        };
        match self.decoder.read_record_batch(&block, &buf) {
            Ok(Some(batch)) => Ok(batch),
            Ok(None) => Err(err!(
                CorruptFile,
                "'{}' is corrupt: {what} holds no record batch",
                self.path.display()
            )),
            Err(e) => Err(err!(
                CorruptFile,
                "'{}' is corrupt: {what} cannot be decoded: {e}",
                self.path.display()
            )),
        }
    }
}

impl<R: ByteSource> Iterator for IpcFileReader<R> {
    type Item = Result<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.blocks.len() {
            return None;
        }
        self.next += 1;
        Some(self.read_batch(self.next - 1))
    }
}

/// Reads a whole file once to describe it for a manifest: rows and bytes per batch and the
/// statistics of every column.
pub fn describe(path: &Path) -> Result<(SchemaRef, DataFile)> {
    let reader = open(path, None)?;
    let schema = reader.schema();
    let batch_bytes = reader.batch_lengths();
    let mut batch_rows = Vec::with_capacity(batch_bytes.len());
    let mut columns: BTreeMap<String, ColumnStats> = BTreeMap::new();
    let mut batches = BatchStatsBuilder::default();
    for batch in reader {
        let batch = batch?;
        batch_rows.push(batch.num_rows() as u64);
        for (field, array) in schema.fields().iter().zip(batch.columns()) {
            let s = stats::compute(array.as_ref()).with_sketch(array.as_ref());
            batches.add(field.name(), field.data_type(), &s);
            match columns.get_mut(field.name()) {
                Some(existing) => existing.merge(&s),
                None => {
                    columns.insert(field.name().clone(), s);
                }
            }
        }
        batches.end_batch();
    }
    let bytes =
        store::size(path).map_err(|e| err!(IoError, "cannot stat '{}': {e}", path.display()))?;
    Ok((
        schema,
        DataFile::new(path, bytes, batch_rows, batch_bytes, columns)
            .with_batch_columns(batches.finish()),
    ))
}

/// Reads record batches `[start, end)` of a file, decoding only the columns `projection` names
/// (indexes into the file's schema).
pub struct BatchRangeReader {
    reader: IpcFileReader,
    next: usize,
    end: usize,
}

impl BatchRangeReader {
    pub fn open(path: &Path, projection: Vec<usize>, start: usize, end: usize) -> Result<Self> {
        let mut reader = open(path, Some(projection))?;
        let end = end.min(reader.num_batches());
        if start < end {
            reader.set_index(start)?;
            reader.prefetch_metadata(start..end)?;
        }
        Ok(BatchRangeReader {
            reader,
            next: start,
            end,
        })
    }

    pub fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        if self.next >= self.end {
            return Ok(None);
        }
        self.next += 1;
        self.reader.read_batch(self.next - 1).map(Some)
    }
}
