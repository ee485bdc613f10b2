//! Valid Arrow IPC files and streams made with arrow's own writers (every compression, a mix of
//! flat, nested and dictionary columns), and the helpers that find and patch the numbers inside
//! them: how the corrupt-file tests make files that lie, and how the fuzz seed corpus is made.

#![allow(dead_code)]

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array, DictionaryArray,
    Float64Array, Int32Array, Int64Array, ListArray, MapBuilder, RecordBatch, StringArray,
    StringBuilder, StructArray, TimestampMillisecondArray,
};
use arrow::datatypes::{DataType, Field, Int32Type, Schema, SchemaRef};
use arrow::ipc::writer::{FileWriter, IpcWriteOptions, StreamWriter};
use arrow::ipc::CompressionType;

pub const COMPRESSIONS: [Option<CompressionType>; 3] = [
    None,
    Some(CompressionType::LZ4_FRAME),
    Some(CompressionType::ZSTD),
];

pub fn compression_name(c: Option<CompressionType>) -> &'static str {
    match c {
        None => "none",
        Some(CompressionType::LZ4_FRAME) => "lz4",
        _ => "zstd",
    }
}

/// Two columns, compressible values: `id bigint`, `name varchar` (the Java test's table).
pub fn simple_batch(rows: usize) -> RecordBatch {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, true),
        Field::new("name", DataType::Utf8, true),
    ]));
    let ids = Int64Array::from_iter((0..rows as i64).map(|i| (i % 7 != 3).then_some(i % 10)));
    let names = StringArray::from_iter((0..rows).map(|i| Some(["ada", "bob", "cy"][i % 3])));
    RecordBatch::try_new(schema, vec![Arc::new(ids), Arc::new(names)]).unwrap()
}

/// Every kind of layout the reader meets: validity, fixed width, offsets, dictionaries, lists,
/// structs and maps.
pub fn mixed_batch(rows: usize, seed: i64) -> RecordBatch {
    let n = rows as i64;
    let ints = Int64Array::from_iter((0..n).map(|i| (i % 5 != 0).then_some(i * seed)));
    let doubles = Float64Array::from_iter((0..n).map(|i| Some(i as f64 / 4.0)));
    let flags = BooleanArray::from_iter((0..n).map(|i| (i % 3 != 0).then_some(i % 2 == 0)));
    let strings =
        StringArray::from_iter((0..n).map(|i| (i % 4 != 1).then(|| format!("s{}", i % 9))));
    let binary =
        BinaryArray::from_iter((0..n).map(|i| Some(vec![(i % 250) as u8; (i % 4) as usize])));
    let dates = Date32Array::from_iter((0..n).map(|i| Some(19_000 + i as i32)));
    let times = TimestampMillisecondArray::from_iter((0..n).map(|i| Some(1_700_000_000_000 + i)));
    let decimals = Decimal128Array::from_iter((0..n).map(|i| Some(i as i128 * 125)))
        .with_precision_and_scale(12, 2)
        .unwrap();
    let dict: DictionaryArray<Int32Type> = (0..n)
        .map(|i| (i % 6 != 2).then(|| ["red", "green", "blue"][(i % 3) as usize]))
        .collect();
    let list = ListArray::from_iter_primitive::<Int32Type, _, _>(
        (0..n).map(|i| (i % 7 != 0).then(|| (0..(i % 4) as i32).map(Some).collect::<Vec<_>>())),
    );
    let point = StructArray::from(vec![
        (
            Arc::new(Field::new("x", DataType::Int32, true)),
            Arc::new(Int32Array::from_iter((0..n).map(|i| Some(i as i32)))) as ArrayRef,
        ),
        (
            Arc::new(Field::new("label", DataType::Utf8, true)),
            Arc::new(StringArray::from_iter(
                (0..n).map(|i| Some(format!("p{}", i % 3))),
            )) as ArrayRef,
        ),
    ]);
    let mut map = MapBuilder::new(None, StringBuilder::new(), Int32Array::builder(0));
    for i in 0..n {
        for j in 0..(i % 3) {
            map.keys().append_value(format!("k{j}"));
            map.values().append_value(j as i32);
        }
        map.append(i % 8 != 5).unwrap();
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(ints),
        Arc::new(doubles),
        Arc::new(flags),
        Arc::new(strings),
        Arc::new(binary),
        Arc::new(dates),
        Arc::new(times),
        Arc::new(decimals),
        Arc::new(dict),
        Arc::new(list),
        Arc::new(point),
        Arc::new(map.finish()),
    ];
    let names = [
        "ints", "doubles", "flags", "strings", "binary", "dates", "times", "decimals", "colors",
        "list", "point", "attrs",
    ];
    let fields: Vec<Field> = names
        .iter()
        .zip(&columns)
        .map(|(name, c)| Field::new(*name, c.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

fn options(compression: Option<CompressionType>) -> IpcWriteOptions {
    IpcWriteOptions::default()
        .try_with_compression(compression)
        .unwrap()
}

/// The IPC file format of `batches`.
pub fn file_bytes(batches: &[RecordBatch], compression: Option<CompressionType>) -> Vec<u8> {
    let schema: SchemaRef = batches[0].schema();
    let mut out = Vec::new();
    let mut w = FileWriter::try_new_with_options(&mut out, &schema, options(compression)).unwrap();
    for b in batches {
        w.write(b).unwrap();
    }
    w.finish().unwrap();
    drop(w);
    out
}

/// The IPC stream format of `batches`.
pub fn stream_bytes(batches: &[RecordBatch], compression: Option<CompressionType>) -> Vec<u8> {
    let schema: SchemaRef = batches[0].schema();
    let mut out = Vec::new();
    let mut w =
        StreamWriter::try_new_with_options(&mut out, &schema, options(compression)).unwrap();
    for b in batches {
        w.write(b).unwrap();
    }
    w.finish().unwrap();
    drop(w);
    out
}

/// Where the numbers of a file are: positions in the file's bytes.
pub struct FileMap {
    /// Start of the footer flatbuffer.
    pub footer_start: usize,
    /// Position of the footer length (4 bytes before "ARROW1").
    pub footer_len_at: usize,
    /// Record batch blocks of the footer: position of each 24-byte Block struct.
    pub blocks: Vec<usize>,
    /// Dictionary blocks of the footer.
    pub dictionary_blocks: Vec<usize>,
    pub batches: Vec<BatchMap>,
}

/// Where the numbers of one record batch message are.
pub struct BatchMap {
    /// Start of the body in the file.
    pub body_start: usize,
    pub body_len: usize,
    /// Position of each 16-byte FieldNode struct (length, null count).
    pub nodes: Vec<usize>,
    /// Position of each 16-byte Buffer struct (offset, length), with its offset and length.
    pub buffers: Vec<(usize, i64, i64)>,
}

fn position_of(inner: &[u8], outer: &[u8]) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}

/// Maps a valid file written by [`file_bytes`].
pub fn map_file(bytes: &[u8]) -> FileMap {
    let len = bytes.len();
    let footer_len_at = len - 10;
    let footer_len =
        i32::from_le_bytes(bytes[footer_len_at..footer_len_at + 4].try_into().unwrap());
    let footer_start = footer_len_at - footer_len as usize;
    let footer = arrow::ipc::root_as_footer(&bytes[footer_start..footer_len_at]).unwrap();
    let blocks_vec = footer.recordBatches().unwrap();
    let blocks: Vec<usize> = (0..blocks_vec.len())
        .map(|i| position_of(&blocks_vec.bytes()[i * 24..], bytes))
        .collect();
    let dictionary_blocks = footer
        .dictionaries()
        .map(|d| {
            (0..d.len())
                .map(|i| position_of(&d.bytes()[i * 24..], bytes))
                .collect()
        })
        .unwrap_or_default();
    let batches = blocks_vec
        .iter()
        .map(|block| {
            let start = block.offset() as usize;
            let meta_len = block.metaDataLength() as usize;
            let meta = &bytes[start + 8..start + meta_len];
            let message = arrow::ipc::root_as_message(meta).unwrap();
            let batch = message.header_as_record_batch().unwrap();
            let nodes = batch.nodes().unwrap();
            let buffers = batch.buffers().unwrap();
            BatchMap {
                body_start: start + meta_len,
                body_len: block.bodyLength() as usize,
                nodes: (0..nodes.len())
                    .map(|i| position_of(&nodes.bytes()[i * 16..], bytes))
                    .collect(),
                buffers: buffers
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        (
                            position_of(&buffers.bytes()[i * 16..], bytes),
                            b.offset(),
                            b.length(),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    FileMap {
        footer_start,
        footer_len_at,
        blocks,
        dictionary_blocks,
        batches,
    }
}

pub fn put_i64(bytes: &mut [u8], at: usize, value: i64) {
    bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
}

pub fn put_i32(bytes: &mut [u8], at: usize, value: i32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// The file position of the 8-byte uncompressed-length prefix of the first buffer of batch
/// `batch` that is really compressed (prefix > 0).
pub fn first_compressed_prefix(bytes: &[u8], map: &FileMap, batch: usize) -> usize {
    let b = &map.batches[batch];
    b.buffers
        .iter()
        .map(|&(_, offset, _)| b.body_start + offset as usize)
        .find(|&at| i64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) > 0)
        .expect("a compressed buffer")
}

/// A compressed file whose first compressed buffer declares `2^50` uncompressed bytes: what
/// made arrow try to allocate a petabyte and abort the JVM.
pub fn lz4_file_declaring_2_pow_50() -> Vec<u8> {
    let mut bytes = file_bytes(&[simple_batch(200)], Some(CompressionType::LZ4_FRAME));
    let map = map_file(&bytes);
    let at = first_compressed_prefix(&bytes, &map, 0);
    put_i64(&mut bytes, at, 1 << 50);
    bytes
}

/// The valid file of the same schema (what the Java test registers before swapping).
pub fn lz4_file_valid() -> Vec<u8> {
    file_bytes(&[simple_batch(200)], Some(CompressionType::LZ4_FRAME))
}
