//! A projected read fetches only the projected columns' buffers (plus each batch's message
//! metadata), not whole record batches: reading one column of a wide file reads a fraction of
//! the file, and decodes the same values as a full read.

#[path = "ipc_samples/mod.rs"]
mod samples;

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::ipc::CompressionType;
use samples::*;
use zkarrow_core::error::ErrorCode;
use zkarrow_core::storage::arrow_file::IpcFileReader;

/// A `Read + Seek` that counts the bytes read through it.
struct Counting {
    inner: Cursor<Vec<u8>>,
    read: u64,
    reads: u64,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.reads += 1;
        Ok(n)
    }
}

impl Seek for Counting {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

const COLUMNS: usize = 16;

/// 16 columns, bigint and varchar in turn, every value distinct enough not to compress away.
fn wide_batch(batch: usize, rows: usize) -> RecordBatch {
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for c in 0..COLUMNS {
        let seed = (batch * COLUMNS + c) as i64;
        if c % 2 == 0 {
            fields.push(Field::new(format!("n{c}"), DataType::Int64, true));
            let values = (0..rows as i64).map(|i| {
                (i % 11 != 5).then_some((i * 2_654_435_761 + seed).wrapping_mul(31) % 1_000_003)
            });
            arrays.push(Arc::new(Int64Array::from_iter(values)));
        } else {
            fields.push(Field::new(format!("s{c}"), DataType::Utf8, true));
            let values = (0..rows as i64)
                .map(|i| (i % 13 != 7).then(|| format!("v{}-{}", seed, (i * 7919) % 100_003)));
            arrays.push(Arc::new(StringArray::from_iter(values)));
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
}

fn reader(bytes: &[u8], projection: Option<Vec<usize>>) -> IpcFileReader<Counting> {
    let counting = Counting {
        inner: Cursor::new(bytes.to_vec()),
        read: 0,
        reads: 0,
    };
    IpcFileReader::try_new(counting, Path::new("wide.arrow"), projection).unwrap()
}

/// Reads every batch; returns them and the bytes read in all (opening included).
fn read_all(bytes: &[u8], projection: Option<Vec<usize>>) -> (Vec<RecordBatch>, u64) {
    let mut r = reader(bytes, projection);
    let batches: Vec<RecordBatch> = (0..r.num_batches())
        .map(|i| r.read_batch(i).unwrap())
        .collect();
    (batches, r.into_inner().read)
}

#[test]
fn one_column_of_a_wide_file_reads_a_fraction_of_it() {
    for compression in [None, Some(CompressionType::ZSTD)] {
        let batches: Vec<RecordBatch> = (0..4).map(|b| wide_batch(b, 20_000)).collect();
        let bytes = file_bytes(&batches, compression);
        let name = compression_name(compression);

        let (full, full_read) = read_all(&bytes, None);
        assert_eq!(full, batches, "{name}");
        assert!(
            full_read as usize >= bytes.len() * 9 / 10,
            "{name}: {full_read}"
        );

        for column in [0, 5, 15] {
            let (one, one_read) = read_all(&bytes, Some(vec![column]));
            assert!(
                (one_read as usize) < bytes.len() / 4,
                "{name}: reading column {column} read {one_read} of {} bytes",
                bytes.len()
            );
            for (b, batch) in one.iter().enumerate() {
                assert_eq!(batch.num_columns(), 1);
                assert_eq!(
                    batch.column(0),
                    full[b].column(column),
                    "{name} column {column}"
                );
                assert_eq!(batch.schema().field(0), full[b].schema().field(column));
            }
            println!(
                "{name}: column {column} read {one_read} of {} bytes ({full_read} for all columns)",
                bytes.len()
            );
        }

        // Two columns far apart, in the order asked for; a duplicate decodes once.
        let (two, two_read) = read_all(&bytes, Some(vec![14, 1, 14]));
        assert!((two_read as usize) < bytes.len() / 4, "{name}: {two_read}");
        for (b, batch) in two.iter().enumerate() {
            assert_eq!(batch.column(0), full[b].column(14));
            assert_eq!(batch.column(1), full[b].column(1));
            assert_eq!(batch.column(2), full[b].column(14));
        }

        // Every column (in another order): whole batches, one read each.
        let all: Vec<usize> = (0..COLUMNS).rev().collect();
        let (reordered, all_read) = read_all(&bytes, Some(all.clone()));
        assert_eq!(all_read, full_read, "{name}");
        for (b, batch) in reordered.iter().enumerate() {
            for (i, &c) in all.iter().enumerate() {
                assert_eq!(batch.column(i), full[b].column(c));
            }
        }
    }
}

/// Reading one column reads one range per batch (its validity and values are adjacent), beside
/// the metadata: not one per buffer.
#[test]
fn adjacent_buffers_are_one_read() {
    let batches: Vec<RecordBatch> = (0..3).map(|b| wide_batch(b, 5_000)).collect();
    let bytes = file_bytes(&batches, None);
    let opened = {
        let r = reader(&bytes, Some(vec![3]));
        r.into_inner().reads
    };
    let mut r = reader(&bytes, Some(vec![3, 4, 5]));
    for i in 0..3 {
        r.read_batch(i).unwrap();
    }
    let reads = r.into_inner().reads - opened;
    // per batch: metadata, then the three columns' 8 buffers as one range
    assert_eq!(reads, 3 * 2, "{reads} reads");
}

/// The buffers of a column not read are never looked at: garbage there does not matter to a
/// projection without it, but its metadata (where its buffers lie) is still checked.
#[test]
fn unread_columns_bytes_are_not_trusted_nor_needed() {
    for compression in COMPRESSIONS {
        let name = compression_name(compression);
        let clean = file_bytes(&[simple_batch(300)], compression);
        let map = map_file(&clean);
        let batch = &map.batches[0];
        // name's buffers (validity, offsets, data) are buffers 2..5: fill their bytes with junk
        let mut bytes = clean.clone();
        for &(_, offset, length) in &batch.buffers[2..5] {
            let at = batch.body_start + offset as usize;
            bytes[at..at + length as usize].fill(0xEE);
        }
        let mut r = reader(&bytes, Some(vec![0]));
        let ids = r.read_batch(0).unwrap();
        assert_eq!(ids.column(0), simple_batch(300).column(0), "{name}");
        let mut r = reader(&bytes, Some(vec![1]));
        match r.read_batch(0) {
            // an uncompressed junk string column may still be rejected by arrow's validation
            Err(e) => assert_eq!(e.code, ErrorCode::CorruptFile, "{name}: {e}"),
            Ok(batch) => {
                assert!(compression.is_none(), "{name}: junk decompressed");
                assert_ne!(batch.column(0), simple_batch(300).column(1));
            }
        }

        // a buffer of the unread column outside the body is still refused
        let mut bytes = clean.clone();
        let (at, _, _) = batch.buffers[4];
        put_i64(&mut bytes, at, batch.body_len as i64 + 64);
        let mut r = reader(&bytes, Some(vec![0]));
        let e = r.read_batch(0).unwrap_err();
        assert_eq!(e.code, ErrorCode::CorruptFile, "{name}: {e}");
        assert!(e.message.contains("outside the"), "{name}: {e}");
    }
}

/// Every layout (validity, fixed width, offsets, booleans, dictionaries, lists, structs, maps)
/// read alone, in pairs and with its neighbours decodes as the full read does, in every
/// compression: each column's buffers are found where arrow reads them.
#[test]
fn every_type_family_reads_alone_as_in_full() {
    for compression in COMPRESSIONS {
        let name = compression_name(compression);
        let batches = [mixed_batch(90, 3), mixed_batch(33, 8), mixed_batch(7, 1)];
        let bytes = file_bytes(&batches, compression);
        let width = batches[0].num_columns();
        let (full, _) = read_all(&bytes, None);
        assert_eq!(full, batches, "{name}");
        let mut projections: Vec<Vec<usize>> = (0..width).map(|c| vec![c]).collect();
        projections.extend((0..width).map(|c| vec![c, (c + 5) % width]));
        projections.extend((1..width).map(|c| vec![c - 1, c]));
        for projection in projections {
            let (read, read_bytes) = read_all(&bytes, Some(projection.clone()));
            for (b, batch) in read.iter().enumerate() {
                assert_eq!(batch.num_rows(), full[b].num_rows());
                for (i, &c) in projection.iter().enumerate() {
                    assert_eq!(
                        batch.column(i),
                        full[b].column(c),
                        "{name}: batch {b}, column {c} of {projection:?}"
                    );
                }
            }
            assert!(read_bytes < bytes.len() as u64, "{name}: {projection:?}");
        }
    }
}

/// Big compressed buffers (whose most possible size, from their length alone, is capped) of the
/// columns not read do not trip the checks meant for the bytes read (found by the bench: an
/// unread offsets buffer's bound is not a whole number of offsets, and need not be).
#[test]
fn big_compressed_columns_read_alone() {
    let batches = [wide_batch(0, 160 * 1024)];
    let bytes = file_bytes(&batches, Some(CompressionType::ZSTD));
    let map = map_file(&bytes);
    let biggest = map.batches[0].buffers.iter().map(|b| b.2).max().unwrap();
    assert!(biggest > 128 * 1024, "{biggest}");
    for column in [0, 1, 2, 15] {
        let (read, _) = read_all(&bytes, Some(vec![column]));
        assert_eq!(
            read[0].column(0),
            batches[0].column(column),
            "column {column}"
        );
    }
}
