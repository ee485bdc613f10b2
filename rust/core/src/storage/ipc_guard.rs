//! Checks every length, offset and count an Arrow IPC file or stream declares before arrow's
//! decoder trusts it. arrow-ipc sizes allocations from what a file says (the footer length, a
//! block's length, a compressed buffer's 8-byte uncompressed length) and slices buffers at the
//! offsets a message names; an allocation that fails aborts the process, which no `catch_unwind`
//! can stop. Everything here reads the flatbuffers through arrow's generated, verifying accessors
//! and answers with a sentence that says which number lied (the caller adds the file's name).
//!
//! What is checked, before a byte of a message body reaches arrow:
//! - a block (footer entry) lies inside the data region of the file, with a metadata length that
//!   holds at least the message prefix, and no negative numbers;
//! - a message's flatbuffer verifies, its header is the kind expected (schema, dictionary batch,
//!   record batch) and its body fits in what is left of the file or block;
//! - a batch's row count and every node's length lie in `0..=MAX_LENGTH`, its null count in
//!   `0..=length`, and variadic buffer counts in `0..=number of buffers`;
//! - every buffer lies inside the body;
//! - in a compressed body (LZ4_FRAME or ZSTD), every non-empty buffer holds its 8-byte prefix, the
//!   prefix is -1 (stored raw), 0 or positive, and the uncompressed length it declares is at most
//!   what the codec can produce from that many compressed bytes (LZ4 frames expand at most 255:1,
//!   zstd blocks at most 32768:1), at most [`MAX_BUFFER_BYTES`], and all buffers of a message
//!   together at most [`MAX_MESSAGE_BYTES`];
//! - the record batch blocks of a footer share no bytes (a batch counted twice is rows counted
//!   twice).
//!
//! A projected read fetches only the projected columns' buffers: [`batch_layout`] checks a
//! batch from its metadata alone (a compressed buffer counted at the most its codec can make of
//! it) and says which buffers each top-level column owns; [`check_batch_columns`] then checks
//! the content of the read ones, the only bytes arrow, decoding only those columns, looks at.
//! [`batch_layout`] also bounds the row count a column-less scan believes.

use std::ops::Range;

use arrow::datatypes::{DataType, Field, Fields, Schema, UnionMode};
use arrow::ipc::{
    Block, BodyCompressionMethod, CompressionType, FieldNode, Message, MessageHeader,
    MetadataVersion, RecordBatch,
};

/// Most rows (or items of a nested column) a batch may declare: Presto's positions are `int`s.
pub const MAX_LENGTH: i64 = i32::MAX as i64;
/// Most rows a batch may declare when no column's buffers prove them.
pub const MAX_UNBACKED_ROWS: i64 = 1 << 24;
/// Most bytes one buffer may declare it decompresses to (arrow reserves that much up front).
pub const MAX_BUFFER_BYTES: u64 = i32::MAX as u64;
/// Most bytes all the buffers of one message may declare they decompress to.
pub const MAX_MESSAGE_BYTES: u64 = 4 << 30;
/// An LZ4 frame cannot expand more than this (one input byte adds at most 255 to a length).
const LZ4_MAX_RATIO: u64 = 256;
/// A zstd frame cannot expand more than this (a 4-byte RLE block makes at most 128 KiB).
const ZSTD_MAX_RATIO: u64 = 32 * 1024;
/// Fixed overhead allowed on top of the ratio (frame headers, one whole block).
const CODEC_SLACK: u64 = 128 * 1024;
/// The prefix of every message in a file: continuation marker and length.
const MESSAGE_PREFIX: usize = 8;

/// What a message is expected to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Schema,
    Dictionary,
    RecordBatch,
}

/// A lie found in a file, described without the file's name.
pub type Lie = String;

/// Checks the sizes a schema declares that arrow would unwrap (a negative fixed-size binary width
/// panics in arrow's layout code).
pub fn check_schema(fields: &Fields) -> Result<(), Lie> {
    for field in fields.iter() {
        check_type(field.data_type(), field.name())?;
    }
    Ok(())
}

fn check_type(data_type: &DataType, name: &str) -> Result<(), Lie> {
    match data_type {
        DataType::FixedSizeBinary(width) if *width < 0 => Err(format!(
            "its schema declares column '{name}' of negative width {width}"
        )),
        DataType::FixedSizeList(child, size) => {
            if *size < 0 {
                return Err(format!(
                    "its schema declares column '{name}' of negative list size {size}"
                ));
            }
            check_type(child.data_type(), name)
        }
        DataType::List(child)
        | DataType::LargeList(child)
        | DataType::ListView(child)
        | DataType::LargeListView(child)
        | DataType::Map(child, _) => check_type(child.data_type(), name),
        DataType::Struct(children) => check_schema(children),
        DataType::Union(children, _) => children
            .iter()
            .try_for_each(|(_, child)| check_type(child.data_type(), name)),
        DataType::RunEndEncoded(run_ends, values) => {
            check_type(run_ends.data_type(), name)?;
            check_type(values.data_type(), name)
        }
        DataType::Dictionary(_, values) => check_type(values, name),
        _ => Ok(()),
    }
}

/// Checks that a footer block lies inside `data_end` (where the footer starts) and that its
/// metadata can hold a message prefix; returns the block's `(offset, total length)`.
pub fn check_block(block: &Block, data_end: u64, what: &str) -> Result<(u64, usize), Lie> {
    let offset = u64::try_from(block.offset())
        .map_err(|_| format!("{what} starts at negative offset {}", block.offset()))?;
    let meta = u64::try_from(block.metaDataLength()).map_err(|_| {
        format!(
            "{what} declares a negative metadata length {}",
            block.metaDataLength()
        )
    })?;
    let body = u64::try_from(block.bodyLength()).map_err(|_| {
        format!(
            "{what} declares a negative body length {}",
            block.bodyLength()
        )
    })?;
    if meta < MESSAGE_PREFIX as u64 {
        return Err(format!(
            "{what} declares {meta} metadata bytes, fewer than a message prefix ({MESSAGE_PREFIX})"
        ));
    }
    let end = offset
        .checked_add(meta)
        .and_then(|e| e.checked_add(body))
        .filter(|&e| e <= data_end)
        .ok_or_else(|| {
            format!(
                "{what} at offset {offset} declares {meta} metadata and {body} body bytes, \
                 past the end of the data ({data_end} bytes before the footer)"
            )
        })?;
    Ok((offset, (end - offset) as usize))
}

/// Checks that no two record batch blocks of a footer share bytes, as every writer makes them: a
/// footer naming one batch many times would multiply the rows its metadata declares without
/// the file holding them (a count(*) believes the sum). `blocks` are `(_, offset, length)` as
/// [`check_block`] returned them.
pub fn check_disjoint<T>(blocks: &[(T, u64, usize)]) -> Result<(), Lie> {
    let mut order: Vec<(u64, u64, usize)> = blocks
        .iter()
        .enumerate()
        .map(|(i, (_, offset, length))| (*offset, *offset + *length as u64, i))
        .collect();
    order.sort_unstable();
    for pair in order.windows(2) {
        let ((_, end, i), (start, _, j)) = (pair[0], pair[1]);
        if start < end {
            return Err(format!(
                "record batch {j} (at offset {start}) overlaps record batch {i} \
                 (which ends at {end}); every batch must have bytes of its own"
            ));
        }
    }
    Ok(())
}

/// The flatbuffer of a message in a file block: after the continuation marker and length (or,
/// in files before Arrow 0.15, after the length alone), up to the end of the block's metadata.
pub fn message_in_block<'a>(
    block: &'a [u8],
    meta_len: usize,
    what: &str,
) -> Result<Message<'a>, Lie> {
    let meta = block
        .get(..meta_len)
        .filter(|m| m.len() >= MESSAGE_PREFIX)
        .ok_or_else(|| format!("{what} is shorter than its metadata length {meta_len}"))?;
    let start = if meta[..4] == [0xff; 4] { 8 } else { 4 };
    // arrow parses from the prefix to the end of the block; so do we, so that both agree.
    arrow::ipc::root_as_message(&block[start..])
        .map_err(|e| format!("{what} has a malformed message header: {e}"))
}

/// Checks a message (its flatbuffer verified already) against the body that follows it and the
/// schema of the file or stream.
pub fn check_message(
    message: &Message,
    body: &[u8],
    schema: &Schema,
    expect: Expect,
    what: &str,
) -> Result<(), Lie> {
    check_message_columns(message, body, schema, expect, what, None)
}

/// [`check_message`] for a record batch of which arrow decodes only the top-level columns
/// `columns` (all for `None`): only their buffers' bytes are looked at (see
/// [`check_batch_columns`]); the metadata is checked for all.
pub fn check_message_columns(
    message: &Message,
    body: &[u8],
    schema: &Schema,
    expect: Expect,
    what: &str,
    columns: Option<&[usize]>,
) -> Result<(), Lie> {
    let found = message.header_type();
    let expected = match expect {
        Expect::Schema => MessageHeader::Schema,
        Expect::Dictionary => MessageHeader::DictionaryBatch,
        Expect::RecordBatch => MessageHeader::RecordBatch,
    };
    if found != expected {
        return Err(format!("{what} is a {found:?} message, not a {expected:?}"));
    }
    let declared = message.bodyLength();
    if declared < 0 {
        return Err(format!("{what} declares a negative body length {declared}"));
    }
    match expect {
        Expect::Schema => {
            if message.header_as_schema().is_none() {
                return Err(format!("{what} has no schema"));
            }
            Ok(())
        }
        Expect::Dictionary => {
            let dict = message
                .header_as_dictionary_batch()
                .ok_or_else(|| format!("{what} has no dictionary batch"))?;
            let data = dict
                .data()
                .ok_or_else(|| format!("{what} has no dictionary data"))?;
            let id = dict.id();
            #[allow(deprecated)]
            let value_type = schema
                .fields_with_dict_id(id)
                .first()
                .and_then(|f| match f.data_type() {
                    DataType::Dictionary(_, value) => Some(value.as_ref().clone()),
                    _ => None,
                })
                .ok_or_else(|| format!("{what} has id {id}, which no dictionary column uses"))?;
            let fields = Fields::from(vec![Field::new("", value_type, true)]);
            check_batch(&data, body, &fields, message.version(), what)
        }
        Expect::RecordBatch => {
            let batch = message
                .header_as_record_batch()
                .ok_or_else(|| format!("{what} has no record batch"))?;
            check_batch_columns(
                &batch,
                body,
                schema.fields(),
                message.version(),
                what,
                columns,
            )
            .map(|_| ())
        }
    }
}

/// Checks the counts, nodes and buffers of a record batch (or of a dictionary batch's data)
/// against its body, every buffer's content included.
pub fn check_batch(
    batch: &RecordBatch,
    body: &[u8],
    fields: &Fields,
    version: MetadataVersion,
    what: &str,
) -> Result<(), Lie> {
    check_batch_columns(batch, body, fields, version, what, None).map(|_| ())
}

/// What the walk knows of a buffer.
#[derive(Debug, Clone, Copy)]
struct Size {
    /// The bytes it holds once decompressed; for a compressed buffer whose bytes were not read,
    /// the most it can hold.
    bytes: u64,
    /// The address arrow reads it at (0 for a buffer it decompresses into a fresh allocation,
    /// or whose bytes were not read).
    address: usize,
    /// `bytes` is exactly what arrow will get, not a bound.
    exact: bool,
}

impl Size {
    fn exact(bytes: u64, address: usize) -> Self {
        Size {
            bytes,
            address,
            exact: true,
        }
    }

    fn at_most(bytes: u64) -> Self {
        Size {
            bytes,
            address: 0,
            exact: false,
        }
    }
}

/// What a batch's metadata alone says, checked ([`batch_layout`]): where each buffer lies in the
/// body and which buffers each top-level column owns.
#[derive(Debug, Clone)]
pub struct BatchLayout {
    rows: u64,
    codec: Option<u64>,
    /// `[start, end)` of every buffer in the body, in message order.
    buffers: Vec<(u64, u64)>,
    /// The buffers of each top-level column: indexes into `buffers`.
    columns: Vec<Range<usize>>,
}

impl BatchLayout {
    /// The rows the batch declares (checked against its columns' nodes and buffers).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The `[start, end)` body ranges of the buffers of top-level column `column` (none for a
    /// column the schema does not have).
    pub fn column_buffers(&self, column: usize) -> &[(u64, u64)] {
        self.columns
            .get(column)
            .map_or(&[], |range| &self.buffers[range.clone()])
    }
}

/// Checks a batch from its metadata alone (the body's bytes are not needed, only its length):
/// the counts, the nodes, every buffer inside the body, and that every column's buffers are big
/// enough for its nodes' lengths, a compressed buffer counted at the most its codec can make
/// of its bytes. So the rows a batch declares are bounded by its body's size (or by
/// [`MAX_UNBACKED_ROWS`] when no column's bytes prove them), and never more than [`MAX_LENGTH`].
pub fn batch_layout(
    batch: &RecordBatch,
    body_len: u64,
    fields: &Fields,
    version: MetadataVersion,
    what: &str,
) -> Result<BatchLayout, Lie> {
    let rows = batch.length();
    if !(0..=MAX_LENGTH).contains(&rows) {
        return Err(format!(
            "{what} declares {rows} rows (at most {MAX_LENGTH} are allowed)"
        ));
    }
    for (i, node) in batch.nodes().iter().flatten().enumerate() {
        let (length, nulls) = (node.length(), node.null_count());
        if !(0..=MAX_LENGTH).contains(&length) {
            return Err(format!(
                "{what} node {i} declares length {length} (at most {MAX_LENGTH} are allowed)"
            ));
        }
        if !(0..=length).contains(&nulls) {
            return Err(format!(
                "{what} node {i} declares {nulls} nulls in {length} values"
            ));
        }
    }
    let buffers = batch.buffers();
    let buffer_count = buffers.map_or(0, |b| b.len()) as i64;
    let mut variadic: i64 = 0;
    for (i, count) in batch.variadicBufferCounts().iter().flatten().enumerate() {
        variadic = variadic.saturating_add(count);
        if count < 0 || variadic > buffer_count {
            return Err(format!(
                "{what} variadic count {i} declares {count} buffers, the message has {buffer_count}"
            ));
        }
    }
    let codec = match batch.compression() {
        None => None,
        Some(c) => {
            if c.method() != BodyCompressionMethod::BUFFER {
                return Err(format!(
                    "{what} uses unknown compression method {:?}",
                    c.method()
                ));
            }
            match c.codec() {
                CompressionType::LZ4_FRAME => Some(LZ4_MAX_RATIO),
                CompressionType::ZSTD => Some(ZSTD_MAX_RATIO),
                other => return Err(format!("{what} uses unknown compression codec {other:?}")),
            }
        }
    };
    let mut ranges = Vec::with_capacity(buffer_count as usize);
    for (i, buffer) in buffers.iter().flatten().enumerate() {
        let (offset, length) = (buffer.offset(), buffer.length());
        let range = u64::try_from(offset)
            .ok()
            .zip(u64::try_from(length).ok())
            .and_then(|(o, l)| Some((o, o.checked_add(l)?)))
            .filter(|&(_, end)| end <= body_len);
        let Some((start, end)) = range else {
            return Err(format!(
                "{what} buffer {i} declares offset {offset} and length {length}, \
                 outside the {body_len}-byte body"
            ));
        };
        if codec.is_some() && length != 0 && length < 8 {
            return Err(format!(
                "{what} buffer {i} is compressed but has {length} bytes, \
                 fewer than its 8-byte uncompressed length"
            ));
        }
        ranges.push((start, end));
    }
    let mut layout = BatchLayout {
        rows: rows as u64,
        codec,
        buffers: ranges,
        columns: Vec::new(),
    };
    let sizes: Vec<Size> = (0..layout.buffers.len())
        .map(|i| layout.most_size(i))
        .collect();
    layout.columns = walk_fields(batch, fields, version, what, &sizes)?;
    Ok(layout)
}

impl BatchLayout {
    /// What buffer `i` holds as far as its length alone says: its size when it is stored
    /// uncompressed (or empty), the most it can decompress to when compressed. (The address
    /// is left out: only the bytes read have one that matters.)
    fn most_size(&self, i: usize) -> Size {
        let (start, end) = self.buffers[i];
        let length = end - start;
        match self.codec {
            None => Size::exact(length, 0),
            Some(_) if length == 0 => Size::exact(0, 0),
            Some(ratio) => {
                let compressed = length - 8;
                Size::at_most(
                    compressed.max(
                        compressed
                            .saturating_mul(ratio)
                            .saturating_add(CODEC_SLACK)
                            .min(MAX_BUFFER_BYTES),
                    ),
                )
            }
        }
    }
}

/// Checks a batch against its body as arrow will decode it: all of [`batch_layout`], and the
/// content of the buffers of the top-level columns `columns` (every column for `None`; the
/// bytes of the other columns' buffers are never looked at, they need not have been read).
pub fn check_batch_columns(
    batch: &RecordBatch,
    body: &[u8],
    fields: &Fields,
    version: MetadataVersion,
    what: &str,
    columns: Option<&[usize]>,
) -> Result<BatchLayout, Lie> {
    let layout = batch_layout(batch, body.len() as u64, fields, version, what)?;
    let mut read = vec![columns.is_none(); layout.buffers.len()];
    for &column in columns.unwrap_or(&[]) {
        if let Some(range) = layout.columns.get(column) {
            read[range.clone()].fill(true);
        }
    }
    let mut declared_total: u64 = 0;
    let mut sizes: Vec<Size> = Vec::with_capacity(layout.buffers.len());
    for (i, &(start, end)) in layout.buffers.iter().enumerate() {
        let address = body.as_ptr() as usize + start as usize;
        let Some(ratio) = layout.codec else {
            sizes.push(Size::exact(end - start, address));
            continue;
        };
        if !read[i] || start == end {
            sizes.push(layout.most_size(i));
            continue;
        }
        let (start, end) = (start as usize, end as usize);
        let prefix = i64::from_le_bytes(body[start..start + 8].try_into().expect("8 bytes"));
        if prefix == -1 || prefix == 0 {
            // stored uncompressed, or empty
            sizes.push(if prefix == 0 {
                Size::exact(0, 0)
            } else {
                Size::exact((end - start - 8) as u64, address + 8)
            });
            continue;
        }
        let compressed = (end - start - 8) as u64;
        let limit = compressed
            .saturating_mul(ratio)
            .saturating_add(CODEC_SLACK)
            .min(MAX_BUFFER_BYTES);
        let Ok(declared) = u64::try_from(prefix) else {
            return Err(format!(
                "{what} buffer {i} declares a negative uncompressed length {prefix}"
            ));
        };
        if declared > limit {
            return Err(format!(
                "{what} buffer {i} declares {declared} uncompressed bytes, more than {limit} \
                 ({compressed} compressed bytes can hold at most that)"
            ));
        }
        declared_total += declared;
        if declared_total > MAX_MESSAGE_BYTES {
            return Err(format!(
                "{what} declares more than {MAX_MESSAGE_BYTES} uncompressed bytes in all"
            ));
        }
        sizes.push(Size::exact(declared, 0));
    }
    walk_fields(batch, fields, version, what, &sizes)?;
    Ok(layout)
}

/// Walks every top-level field through the batch's nodes and buffers (see [`Walk`]) with the
/// given buffer sizes; returns the buffers each field owns.
fn walk_fields(
    batch: &RecordBatch,
    fields: &Fields,
    version: MetadataVersion,
    what: &str,
    sizes: &[Size],
) -> Result<Vec<Range<usize>>, Lie> {
    let rows = batch.length();
    let mut walk = Walk {
        nodes: batch.nodes().into_iter().flatten(),
        sizes,
        taken: 0,
        variadic: batch.variadicBufferCounts().into_iter().flatten(),
        version,
        what,
    };
    let mut backed = rows == 0;
    let mut columns = Vec::with_capacity(fields.len());
    for field in fields.iter() {
        let first = walk.taken;
        let (length, field_backed) = walk.field(field)?;
        if length != rows {
            return Err(format!(
                "{what} column '{}' declares {length} values in a batch of {rows} rows",
                field.name()
            ));
        }
        backed |= field_backed;
        columns.push(first..walk.taken);
    }
    // Rows that no column's bytes prove (no columns, or only null-typed ones) would still size
    // what a scan makes for them (null blocks of added columns, pages of a count): keep that
    // small.
    if !backed && rows > MAX_UNBACKED_ROWS {
        return Err(format!(
            "{what} declares {rows} rows that no column holds data for (at most {MAX_UNBACKED_ROWS})"
        ));
    }
    Ok(columns)
}

/// Follows the schema through a batch's nodes and buffers in the order arrow reads them, and
/// checks that each node's buffers hold what its length needs: every length arrow would use to
/// slice a buffer, and every row count that would size something later, is backed by bytes.
struct Walk<'a, N, V> {
    nodes: N,
    sizes: &'a [Size],
    /// Buffers taken so far.
    taken: usize,
    variadic: V,
    version: MetadataVersion,
    what: &'a str,
}

impl<'n, N, V> Walk<'_, N, V>
where
    N: Iterator<Item = &'n FieldNode>,
    V: Iterator<Item = i64>,
{
    /// Checks one field (and its children); returns its node's length and whether bytes back
    /// that length (a buffer of the node, or of a child that must be as long, needs it).
    fn field(&mut self, field: &Field) -> Result<(i64, bool), Lie> {
        let what = self.what;
        let node = self.nodes.next().ok_or_else(|| {
            format!(
                "{what} has too few nodes for its schema (none left for column '{}')",
                field.name()
            )
        })?;
        let (length, nulls) = (node.length(), node.null_count());
        let len = length as u64;
        let bits = len.div_ceil(8);
        let backed = match field.data_type() {
            DataType::Null | DataType::RunEndEncoded(_, _) => {
                if let DataType::RunEndEncoded(run_ends, values) = field.data_type() {
                    self.field(run_ends)?;
                    self.field(values)?;
                }
                false
            }
            DataType::Boolean => {
                self.validity(nulls, bits)?;
                self.buffer(bits, "values")?;
                true
            }
            DataType::Utf8 | DataType::Binary => {
                self.validity(nulls, bits)?;
                self.offsets(len, 4)?;
                self.buffer(0, "data")?;
                true
            }
            DataType::LargeUtf8 | DataType::LargeBinary => {
                self.validity(nulls, bits)?;
                self.offsets(len, 8)?;
                self.buffer(0, "data")?;
                true
            }
            DataType::BinaryView | DataType::Utf8View => {
                let count = self.variadic.next().ok_or_else(|| {
                    format!("{what} has no variadic count for '{}'", field.name())
                })?;
                self.validity(nulls, bits)?;
                self.typed(len * 16, 16, "views")?;
                for _ in 0..count {
                    self.buffer(0, "data")?;
                }
                true
            }
            DataType::FixedSizeBinary(width) => {
                self.validity(nulls, bits)?;
                self.buffer(len * (*width).max(0) as u64, "values")?;
                *width > 0 || nulls > 0
            }
            DataType::List(child) | DataType::Map(child, _) => {
                self.validity(nulls, bits)?;
                self.offsets(len, 4)?;
                self.field(child)?;
                true
            }
            DataType::LargeList(child) => {
                self.validity(nulls, bits)?;
                self.offsets(len, 8)?;
                self.field(child)?;
                true
            }
            DataType::ListView(child) | DataType::LargeListView(child) => {
                let width = if matches!(field.data_type(), DataType::ListView(_)) {
                    4
                } else {
                    8
                };
                self.validity(nulls, bits)?;
                self.typed(len * width, width, "offsets")?;
                self.typed(len * width, width, "sizes")?;
                self.field(child)?;
                true
            }
            DataType::FixedSizeList(child, size) => {
                self.validity(nulls, bits)?;
                let (child_len, child_backed) = self.field(child)?;
                let need = length.saturating_mul((*size).max(0) as i64);
                if child_len < need {
                    return Err(format!(
                        "{what} column '{}' declares {length} lists of {size} values but {child_len} values",
                        field.name()
                    ));
                }
                nulls > 0 || (child_backed && *size > 0)
            }
            DataType::Struct(children) => {
                self.validity(nulls, bits)?;
                let mut backed = nulls > 0;
                for child in children.iter() {
                    let (child_len, child_backed) = self.field(child)?;
                    if child_len < length {
                        return Err(format!(
                            "{what} column '{}' declares {length} rows but its field '{}' {child_len}",
                            field.name(),
                            child.name()
                        ));
                    }
                    backed |= child_backed;
                }
                backed
            }
            DataType::Dictionary(key, _) => {
                self.validity(nulls, bits)?;
                let width = key.primitive_width().unwrap_or(8) as u64;
                self.typed(len * width, width, "indices")?;
                true
            }
            DataType::Union(children, mode) => {
                if self.version < MetadataVersion::V5 {
                    self.buffer(0, "validity")?;
                }
                self.buffer(len, "type ids")?;
                if *mode == UnionMode::Dense {
                    // arrow takes these as i32s in place, without copying misaligned bytes
                    let (i, size) = self.buffer(len * 4, "offsets")?;
                    if size.address % 4 != 0 {
                        return Err(format!(
                            "{what} buffer {i} (union offsets) is not aligned to 4 bytes"
                        ));
                    }
                }
                for (_, child) in children.iter() {
                    self.field(child)?;
                }
                true
            }
            other => {
                let width = other.primitive_width().unwrap_or(0) as u64;
                self.validity(nulls, bits)?;
                self.buffer(len * width, "values")?;
                width > 0 || nulls > 0
            }
        };
        Ok((length, backed || length == 0))
    }

    fn validity(&mut self, nulls: i64, bits: u64) -> Result<(), Lie> {
        self.buffer(if nulls > 0 { bits } else { 0 }, "validity")
            .map(|_| ())
    }

    /// Offsets of a variable-size layout: none at all is allowed for an empty array.
    fn offsets(&mut self, len: u64, width: u64) -> Result<(), Lie> {
        let need = if len == 0 { 0 } else { (len + 1) * width };
        self.typed(need, width, "offsets")
    }

    /// A buffer arrow reads as a slice of `width`-byte integers when it validates the array:
    /// it must hold whole integers (arrow asserts that, a panic).
    fn typed(&mut self, need: u64, width: u64, role: &str) -> Result<(), Lie> {
        let (i, size) = self.buffer(need, role)?;
        // (a bound, for a buffer not read, is no size arrow will see)
        if size.exact && size.bytes % width != 0 {
            let size = size.bytes;
            let what = self.what;
            return Err(format!(
                "{what} buffer {i} ({role}) holds {size} bytes, not a whole number of {width}-byte values"
            ));
        }
        Ok(())
    }

    /// Takes the next buffer, which must hold at least `need` bytes once decompressed.
    fn buffer(&mut self, need: u64, role: &str) -> Result<(usize, Size), Lie> {
        let what = self.what;
        let i = self.taken;
        let &size = self
            .sizes
            .get(i)
            .ok_or_else(|| format!("{what} has too few buffers for its schema"))?;
        self.taken += 1;
        if size.bytes < need {
            let bytes = size.bytes;
            return Err(format!(
                "{what} buffer {i} ({role}) holds {bytes} bytes, the node's length needs {need}"
            ));
        }
        Ok((i, size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_that_share_bytes_are_lies() {
        assert!(check_disjoint::<()>(&[]).is_ok());
        assert!(check_disjoint(&[((), 8, 40), ((), 48, 16), ((), 100, 8)]).is_ok());
        assert!(check_disjoint(&[((), 100, 8), ((), 8, 40), ((), 48, 16)]).is_ok());
        let e = check_disjoint(&[((), 8, 40), ((), 8, 40)]).unwrap_err();
        assert!(
            e.contains("record batch 1 (at offset 8) overlaps record batch 0"),
            "{e}"
        );
        let e = check_disjoint(&[((), 60, 8), ((), 8, 56)]).unwrap_err();
        assert!(
            e.contains("record batch 0 (at offset 60) overlaps record batch 1"),
            "{e}"
        );
    }

    #[test]
    fn blocks_outside_the_data_are_lies() {
        let block = Block::new(8, 16, 32);
        assert_eq!(check_block(&block, 56, "b").unwrap(), (8, 48));
        assert!(check_block(&block, 55, "b").is_err());
        assert!(check_block(&Block::new(-1, 16, 0), 100, "b").is_err());
        assert!(check_block(&Block::new(8, -16, 0), 100, "b").is_err());
        assert!(check_block(&Block::new(8, 4, 0), 100, "b").is_err());
        assert!(check_block(&Block::new(8, 16, -1), 100, "b").is_err());
        assert!(check_block(&Block::new(i64::MAX, 16, i64::MAX), u64::MAX, "b").is_err());
    }
}
