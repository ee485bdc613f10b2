//! Files that lie: valid Arrow IPC files written by arrow, then patched so that a length, offset
//! or count says something the bytes do not hold. Reading them must end in a `CORRUPT_FILE`
//! error that names the file, never in a panic or an abort (before the guard, the 2^50 case made
//! arrow allocate a petabyte and killed the process).

#[path = "ipc_samples/mod.rs"]
mod samples;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use arrow::ipc::CompressionType;
use samples::*;
use zkarrow_core::storage::arrow_file::{self, BatchRangeReader, IpcFileReader};
use zkarrow_core::storage::ipc_stream::IpcStreamReader;
use zkarrow_core::{Error, ErrorCode};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// What registration (describe) and a scan of every batch (BatchRangeReader) say about a file.
fn read_both_ways(path: &Path) -> (Result<(), Error>, Result<(), Error>) {
    let described = arrow_file::describe(path).map(|_| ());
    let scanned = (|| {
        let mut r = BatchRangeReader::open(path, vec![0], 0, usize::MAX)?;
        while r.next_batch()?.is_some() {}
        Ok(())
    })();
    (described, scanned)
}

#[track_caller]
fn assert_corrupt(result: Result<(), Error>, path: &Path, says: &str) {
    let e = result.expect_err("a file that lies must be refused");
    assert_eq!(e.code, ErrorCode::CorruptFile, "{e}");
    assert!(e.message.contains(&path.display().to_string()), "{e}");
    assert!(e.message.contains(says), "expected '{says}' in: {e}");
}

/// Patches a valid file, writes it, and checks that both ways of reading it are refused.
#[track_caller]
fn assert_refused(name: &str, bytes: &[u8], says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), name, bytes);
    let (described, scanned) = read_both_ways(&path);
    assert_corrupt(described, &path, says);
    assert_corrupt(scanned, &path, says);
}

#[test]
fn valid_files_in_every_compression_read_back() {
    let dir = tempfile::tempdir().unwrap();
    for c in COMPRESSIONS {
        let batches = [mixed_batch(120, 3), mixed_batch(40, 7)];
        let path = write(
            dir.path(),
            &format!("{}.arrow", compression_name(c)),
            &file_bytes(&batches, c),
        );
        let (schema, file) = arrow_file::describe(&path).unwrap();
        assert_eq!(schema.fields().len(), 12);
        assert_eq!(file.batch_rows, vec![120, 40]);
        let mut r = BatchRangeReader::open(&path, vec![8, 11, 0], 1, 2).unwrap();
        let b = r.next_batch().unwrap().unwrap();
        assert_eq!(b.num_rows(), 40);
        assert_eq!(b.column(0), batches[1].column(8));
        assert!(r.next_batch().unwrap().is_none());

        let stream = stream_bytes(&batches, c);
        let reader =
            IpcStreamReader::try_new(Cursor::new(&stream), stream.len() as u64, &path).unwrap();
        let read: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
        assert_eq!(read, batches.to_vec());
    }
}

#[test]
fn a_buffer_declaring_2_pow_50_uncompressed_bytes_is_refused_not_allocated() {
    assert_refused(
        "lz4-2pow50.arrow",
        &lz4_file_declaring_2_pow_50(),
        "record batch 0 buffer",
    );
    assert_refused(
        "lz4-2pow50b.arrow",
        &lz4_file_declaring_2_pow_50(),
        "declares 1125899906842624 uncompressed bytes",
    );
    for c in [CompressionType::LZ4_FRAME, CompressionType::ZSTD] {
        let mut bytes = file_bytes(&[simple_batch(300)], Some(c));
        let map = map_file(&bytes);
        let at = first_compressed_prefix(&bytes, &map, 0);
        for declared in [i64::MAX, 1 << 40, 3 << 30] {
            put_i64(&mut bytes, at, declared);
            assert_refused("big.arrow", &bytes, "uncompressed bytes, more than");
        }
        put_i64(&mut bytes, at, -7);
        assert_refused("negative.arrow", &bytes, "negative uncompressed length -7");
    }
}

#[test]
fn buffers_outside_the_body_are_refused() {
    for c in COMPRESSIONS {
        let clean = file_bytes(&[simple_batch(100)], c);
        let map = map_file(&clean);
        let batch = &map.batches[0];
        let (at, _, _) = batch.buffers[1];
        let mut bytes = clean.clone();
        put_i64(&mut bytes, at, batch.body_len as i64 + 64);
        assert_refused("offset.arrow", &bytes, "outside the");
        let mut bytes = clean.clone();
        put_i64(&mut bytes, at + 8, -5);
        assert_refused("length.arrow", &bytes, "length -5");
        let mut bytes = clean.clone();
        put_i64(&mut bytes, at, i64::MAX - 2);
        put_i64(&mut bytes, at + 8, 16);
        assert_refused("overflow.arrow", &bytes, "outside the");
    }
}

#[test]
fn node_lengths_and_null_counts_that_lie_are_refused() {
    let clean = file_bytes(&[simple_batch(100)], None);
    let map = map_file(&clean);
    let node = map.batches[0].nodes[0];
    let mut bytes = clean.clone();
    put_i64(&mut bytes, node, -1);
    assert_refused("neg-node.arrow", &bytes, "node 0 declares length -1");
    let mut bytes = clean.clone();
    put_i64(&mut bytes, node, 1 << 40);
    assert_refused(
        "huge-node.arrow",
        &bytes,
        "node 0 declares length 1099511627776",
    );
    // More values than the buffers hold: in range, but unbacked by bytes.
    let mut bytes = clean.clone();
    put_i64(&mut bytes, node, 1 << 28);
    assert_refused("long-node.arrow", &bytes, "the node's length needs");
    let mut bytes = clean.clone();
    put_i64(&mut bytes, node + 8, 101);
    assert_refused("nulls.arrow", &bytes, "101 nulls in 100 values");
}

#[test]
fn footers_and_blocks_that_lie_are_refused() {
    let clean = file_bytes(
        &[simple_batch(100), simple_batch(50)],
        Some(CompressionType::ZSTD),
    );
    let map = map_file(&clean);
    let len = clean.len() as i64;

    let mut bytes = clean.clone();
    put_i32(&mut bytes, map.footer_len_at, len as i32 + 100);
    assert_refused("footer.arrow", &bytes, "its footer declares");
    put_i32(&mut bytes, map.footer_len_at, i32::MAX);
    assert_refused("footer-max.arrow", &bytes, "its footer declares");
    put_i32(&mut bytes, map.footer_len_at, -1);
    assert_refused("footer-neg.arrow", &bytes, "its footer declares -1");

    let block = map.blocks[1];
    let mut bytes = clean.clone();
    put_i64(&mut bytes, block, len);
    assert_refused("block-offset.arrow", &bytes, "record batch 1 at offset");
    let mut bytes = clean.clone();
    put_i64(&mut bytes, block, -8);
    assert_refused(
        "block-neg.arrow",
        &bytes,
        "record batch 1 starts at negative offset -8",
    );
    let mut bytes = clean.clone();
    put_i32(&mut bytes, block + 8, -16);
    assert_refused("meta-neg.arrow", &bytes, "negative metadata length -16");
    let mut bytes = clean.clone();
    put_i32(&mut bytes, block + 8, i32::MAX);
    assert_refused("meta-huge.arrow", &bytes, "past the end of the data");
    let mut bytes = clean.clone();
    put_i64(&mut bytes, block + 16, -1);
    assert_refused("body-neg.arrow", &bytes, "negative body length -1");
    let mut bytes = clean.clone();
    put_i64(&mut bytes, block + 16, i64::MAX);
    assert_refused("body-huge.arrow", &bytes, "past the end of the data");
}

#[test]
fn dictionary_batches_that_lie_are_refused_at_open() {
    let clean = file_bytes(&[mixed_batch(60, 2)], Some(CompressionType::LZ4_FRAME));
    let map = map_file(&clean);
    assert!(!map.dictionary_blocks.is_empty());
    let mut bytes = clean.clone();
    put_i64(&mut bytes, map.dictionary_blocks[0] + 16, 1 << 40);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "dict.arrow", &bytes);
    let e = arrow_file::open(&path, None).err().expect("refused");
    assert_eq!(e.code, ErrorCode::CorruptFile, "{e}");
    assert!(e.message.contains("dictionary batch 0"), "{e}");
}

#[test]
fn truncated_files_are_refused_at_every_length() {
    let clean = file_bytes(
        &[mixed_batch(30, 1), mixed_batch(10, 5)],
        Some(CompressionType::ZSTD),
    );
    let dir = tempfile::tempdir().unwrap();
    for cut in (0..clean.len()).step_by(7) {
        let path = write(dir.path(), "cut.arrow", &clean[..cut]);
        let (described, scanned) = read_both_ways(&path);
        for result in [described, scanned] {
            let e = result.expect_err("a truncated file is refused");
            let expected = if cut < 6 {
                ErrorCode::InvalidArgument
            } else {
                ErrorCode::CorruptFile
            };
            assert_eq!(e.code, expected, "cut at {cut}: {e}");
        }
    }
}

#[test]
fn streams_that_lie_are_refused() {
    let path = Path::new("/data/in.arrows");
    let read = |bytes: &[u8]| -> Result<usize, Error> {
        let r = IpcStreamReader::try_new(Cursor::new(bytes), bytes.len() as u64, path)?;
        let mut n = 0;
        for b in r {
            b?;
            n += 1;
        }
        Ok(n)
    };
    for c in [CompressionType::LZ4_FRAME, CompressionType::ZSTD] {
        let clean = stream_bytes(&[simple_batch(300)], Some(c));
        assert_eq!(read(&clean).unwrap(), 1);
        // Find the batch's prefix by the file layout: same batch, same body bytes.
        let file = file_bytes(&[simple_batch(300)], Some(c));
        let map = map_file(&file);
        let at = first_compressed_prefix(&file, &map, 0);
        let window = &file[at..at + 24];
        let in_stream = clean.windows(24).position(|w| w == window).unwrap();
        let mut bytes = clean.clone();
        put_i64(&mut bytes, in_stream, 1 << 50);
        let e = read(&bytes).unwrap_err();
        assert_eq!(e.code, ErrorCode::CorruptFile, "{e}");
        assert!(e.message.contains("/data/in.arrows"), "{e}");
        assert!(e.message.contains("1125899906842624"), "{e}");
        for cut in (8..clean.len() - 8).step_by(5) {
            let e = read(&clean[..cut]).unwrap_err();
            assert!(
                matches!(e.code, ErrorCode::CorruptFile | ErrorCode::InvalidArgument),
                "{e}"
            );
        }
    }
}

#[test]
fn the_reader_works_on_any_seekable_input() {
    let bytes = file_bytes(&[mixed_batch(20, 4)], Some(CompressionType::LZ4_FRAME));
    let r =
        IpcFileReader::try_new(Cursor::new(&bytes), Path::new("mem.arrow"), Some(vec![3])).unwrap();
    assert_eq!(r.schema().field(0).name(), "strings");
    assert_eq!(r.map(|b| b.unwrap().num_rows()).sum::<usize>(), 20);
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const JAVA_FIXTURES: &str = "java/src/test/resources/corrupt";

/// The checked-in fixtures (the Java test's files, the fuzz seed corpus) are what the functions
/// above make: the hostile one is refused, every seed reads.
#[test]
fn checked_in_fixtures_and_seeds_are_current() {
    if std::env::var_os("ZKARROW_WRITE_FIXTURES").is_some() {
        write_fixtures();
    }
    let fixtures = repo().join(JAVA_FIXTURES);
    let hostile = fixtures.join("lz4-declares-2pow50.arrow");
    assert_eq!(
        std::fs::read(&hostile).unwrap(),
        lz4_file_declaring_2_pow_50()
    );
    assert_eq!(
        std::fs::read(fixtures.join("lz4-valid.arrow")).unwrap(),
        lz4_file_valid()
    );
    let (described, scanned) = read_both_ways(&hostile);
    assert_corrupt(
        described,
        &hostile,
        "declares 1125899906842624 uncompressed bytes",
    );
    assert_corrupt(
        scanned,
        &hostile,
        "declares 1125899906842624 uncompressed bytes",
    );

    let corpus = repo().join("rust/fuzz/corpus");
    let mut seeds = 0;
    for entry in std::fs::read_dir(corpus.join("file_reader")).unwrap() {
        arrow_file::describe(&entry.unwrap().path()).unwrap();
        seeds += 1;
    }
    for entry in std::fs::read_dir(corpus.join("stream_reader")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let r = IpcStreamReader::try_new(Cursor::new(&bytes), bytes.len() as u64, &path).unwrap();
        r.collect::<Result<Vec<_>, _>>().unwrap();
        seeds += 1;
    }
    assert!(seeds >= 6);

    // Inputs the fuzzer found (each made the reader panic before it was fixed): refused now.
    let regressions = repo().join("rust/fuzz/regressions");
    for entry in std::fs::read_dir(regressions.join("file_reader")).unwrap() {
        let path = entry.unwrap().path();
        let (described, scanned) = read_both_ways(&path);
        assert_corrupt(described, &path, "");
        assert!(scanned.is_err());
    }
    for entry in std::fs::read_dir(regressions.join("stream_reader")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let result = IpcStreamReader::try_new(Cursor::new(&bytes), bytes.len() as u64, &path)
            .and_then(|r| r.collect::<Result<Vec<_>, _>>());
        assert_eq!(result.unwrap_err().code, ErrorCode::CorruptFile);
    }
}

/// Writes the fixtures and the fuzz seed corpus; the test above calls it first when
/// `ZKARROW_WRITE_FIXTURES=1` (`ZKARROW_WRITE_FIXTURES=1 cargo test --release -p zkarrow-core
/// --test corrupt_files checked_in`), then checks them as always.
fn write_fixtures() {
    let fixtures = repo().join(JAVA_FIXTURES);
    std::fs::create_dir_all(&fixtures).unwrap();
    std::fs::write(
        fixtures.join("lz4-declares-2pow50.arrow"),
        lz4_file_declaring_2_pow_50(),
    )
    .unwrap();
    std::fs::write(fixtures.join("lz4-valid.arrow"), lz4_file_valid()).unwrap();
    for (target, ext) in [("file_reader", "arrow"), ("stream_reader", "arrows")] {
        let dir = repo().join("rust/fuzz/corpus").join(target);
        std::fs::create_dir_all(&dir).unwrap();
        for c in COMPRESSIONS {
            let name = compression_name(c);
            let write = |kind: &str, batches: &[arrow::array::RecordBatch]| {
                let bytes = if ext == "arrow" {
                    file_bytes(batches, c)
                } else {
                    stream_bytes(batches, c)
                };
                std::fs::write(dir.join(format!("{kind}-{name}.{ext}")), bytes).unwrap();
            };
            write("simple", &[simple_batch(64)]);
            write("mixed", &[mixed_batch(24, 3), mixed_batch(7, 11)]);
        }
    }
}

#[test]
fn rows_that_no_column_holds_are_bounded() {
    use arrow::array::{NullArray, RecordBatch};
    use arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;
    let schema = Arc::new(Schema::new(vec![Field::new(
        "nothing",
        DataType::Null,
        true,
    )]));
    let batch = RecordBatch::try_new(schema, vec![Arc::new(NullArray::new(100))]).unwrap();
    let clean = file_bytes(&[batch], None);
    let map = map_file(&clean);
    // The batch's length, its node's length and null count: every i64 100 of the metadata.
    let mut bytes = clean.clone();
    let meta_start = map.batches[0].body_start.saturating_sub(400);
    for at in meta_start..map.batches[0].body_start - 7 {
        if bytes[at..at + 8] == 100i64.to_le_bytes() {
            put_i64(&mut bytes, at, 1 << 30);
        }
    }
    assert_refused(
        "nulls.arrow",
        &bytes,
        "declares 1073741824 rows that no column holds data for",
    );
}

/// Found by the fuzzer: an offsets buffer one byte longer than whole offsets made arrow's
/// validation panic (`typed_data` asserts the length is a multiple of the offset width).
#[test]
fn offsets_that_are_not_whole_integers_are_refused() {
    let clean = file_bytes(&[simple_batch(101)], None);
    let map = map_file(&clean);
    // name's buffers: validity, offsets, data (after id's validity and values).
    let (at, _, length) = map.batches[0].buffers[3];
    assert_eq!(length, 102 * 4);
    let mut bytes = clean.clone();
    put_i64(&mut bytes, at + 8, length + 1);
    assert_refused(
        "offsets.arrow",
        &bytes,
        "not a whole number of 4-byte values",
    );
}

/// Patches every i64 equal to `from` in the metadata of batch 0 (its row count, its nodes'
/// lengths) to `to`; with `nodes_too` false, the row count alone (every match not in a node).
fn patch_rows(clean: &[u8], from: i64, to: i64, nodes_too: bool) -> Vec<u8> {
    let map = map_file(clean);
    let batch = &map.batches[0];
    let block = map.blocks[0];
    let meta_start = i64::from_le_bytes(clean[block..block + 8].try_into().unwrap()) as usize;
    let mut bytes = clean.to_vec();
    let mut patched = 0;
    for at in meta_start..batch.body_start - 7 {
        let in_node = batch.nodes.contains(&at);
        if bytes[at..at + 8] == from.to_le_bytes() && (nodes_too || !in_node) {
            put_i64(&mut bytes, at, to);
            patched += 1;
        }
    }
    assert!(patched >= 1, "found no {from} to patch");
    bytes
}

/// What a column-less scan (count(*)) asks: the row counts of every batch, from the footer and
/// the message metadata alone.
fn count_rows(path: &Path) -> Result<u64, Error> {
    let mut reader = arrow_file::open_footer(path)?;
    (0..reader.num_batches()).try_fold(0, |sum, i| Ok(sum + reader.batch_rows(i)?))
}

/// A batch declaring 2^62 rows made count(*) count for hours: row counts are checked against
/// the metadata (nodes as long as the batch, buffers big enough for them, at most what a Presto
/// page can count) before a scan believes them.
#[test]
fn row_counts_that_lie_are_refused_when_counting() {
    let dir = tempfile::tempdir().unwrap();
    let rows = 12_345;
    for c in COMPRESSIONS {
        let name = compression_name(c);
        let clean = file_bytes(&[simple_batch(rows)], c);
        let path = write(dir.path(), &format!("{name}.arrow"), &clean);
        assert_eq!(count_rows(&path).unwrap(), rows as u64, "{name}");

        let cases = [
            (
                1i64 << 62,
                true,
                "declares 4611686018427387904 rows (at most 2147483647",
            ),
            (
                i32::MAX as i64 + 1,
                true,
                "declares 2147483648 rows (at most 2147483647",
            ),
            (1 << 30, true, "the node's length needs"),
            (1 << 62, false, "declares 4611686018427387904 rows"),
            (
                rows as i64 + 1,
                false,
                "declares 12345 values in a batch of 12346 rows",
            ),
        ];
        for (declared, nodes_too, says) in cases {
            let bytes = patch_rows(&clean, rows as i64, declared, nodes_too);
            let path = write(dir.path(), "rows.arrow", &bytes);
            let e = count_rows(&path).expect_err("a row count that lies is refused");
            assert_eq!(e.code, ErrorCode::CorruptFile, "{name}: {e}");
            assert!(e.message.contains(&path.display().to_string()), "{e}");
            assert!(
                e.message.contains(says),
                "{name}: expected '{says}' in: {e}"
            );
            // reading the batch says the same
            assert_refused("rows.arrow", &bytes, says);
        }
    }
}

/// A batch whose only columns hold no bytes (null-typed) proves no rows: counting it is
/// bounded by MAX_UNBACKED_ROWS.
#[test]
fn unbacked_row_counts_are_bounded_when_counting() {
    use arrow::array::{NullArray, RecordBatch};
    use arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;
    let schema = Arc::new(Schema::new(vec![Field::new(
        "nothing",
        DataType::Null,
        true,
    )]));
    let batch = RecordBatch::try_new(schema, vec![Arc::new(NullArray::new(12_345))]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let clean = file_bytes(&[batch], None);
    let path = write(dir.path(), "nulls.arrow", &clean);
    assert_eq!(count_rows(&path).unwrap(), 12_345);
    let bytes = patch_rows(&clean, 12_345, 1 << 24, true);
    let path = write(dir.path(), "nulls-16m.arrow", &bytes);
    assert_eq!(count_rows(&path).unwrap(), 1 << 24);
    let bytes = patch_rows(&clean, 12_345, (1 << 24) + 1, true);
    let path = write(dir.path(), "nulls-big.arrow", &bytes);
    let e = count_rows(&path).unwrap_err();
    assert_eq!(e.code, ErrorCode::CorruptFile, "{e}");
    assert!(
        e.message
            .contains("declares 16777217 rows that no column holds data for"),
        "{e}"
    );
}

/// A footer naming the same batch twice would count its rows twice (a footer of a million such
/// blocks, a million times): blocks that share bytes are refused when the file opens.
#[test]
fn footers_naming_a_batch_twice_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let clean = file_bytes(&[simple_batch(100), simple_batch(50)], None);
    let path = write(dir.path(), "clean.arrow", &clean);
    assert_eq!(count_rows(&path).unwrap(), 150);
    let map = map_file(&clean);
    let mut bytes = clean.clone();
    let first: Vec<u8> = clean[map.blocks[0]..map.blocks[0] + 24].to_vec();
    bytes[map.blocks[1]..map.blocks[1] + 24].copy_from_slice(&first);
    let path = write(dir.path(), "twice.arrow", &bytes);
    let e = count_rows(&path).unwrap_err();
    assert_eq!(e.code, ErrorCode::CorruptFile, "{e}");
    assert!(e.message.contains("overlaps record batch"), "{e}");
    assert_refused("twice.arrow", &bytes, "overlaps record batch");
}
