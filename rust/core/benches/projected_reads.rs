//! Projected reads of a wide Arrow IPC file: bytes read and time for one column, four columns
//! and every column, uncompressed and zstd. A projection reads only its columns' buffers (and
//! each batch's message metadata), so its cost tracks the columns read, not the file's size.
//! Best of a few runs (the file is in the page cache after the first). Run with
//! `cargo bench -p zkarrow-core --bench projected_reads`.

use std::fs::File;
use std::hint::black_box;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::ipc::writer::{FileWriter, IpcWriteOptions};
use arrow::ipc::CompressionType;
use zkarrow_core::storage::arrow_file::IpcFileReader;

const COLUMNS: usize = 16;
const BATCHES: usize = 8;
const ROWS: usize = 128 * 1024;
const RUNS: usize = 3;

/// A file that counts the bytes read from it.
struct Counting {
    file: File,
    read: u64,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl Seek for Counting {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.file.seek(pos)
    }
}

/// 16 columns, bigint and varchar in turn.
fn batch(index: usize) -> RecordBatch {
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for c in 0..COLUMNS {
        let seed = (index * COLUMNS + c) as i64;
        if c % 2 == 0 {
            fields.push(Field::new(format!("n{c}"), DataType::Int64, true));
            let values = (0..ROWS as i64)
                .map(|i| Some((i * 2_654_435_761 + seed).wrapping_mul(31) % 1_000_003));
            arrays.push(Arc::new(Int64Array::from_iter(values)));
        } else {
            fields.push(Field::new(format!("s{c}"), DataType::Utf8, true));
            let values =
                (0..ROWS as i64).map(|i| Some(format!("v{seed}-{}", (i * 7919) % 100_003)));
            arrays.push(Arc::new(StringArray::from_iter(values)));
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).expect("batch")
}

fn write(path: &Path, compression: Option<CompressionType>) {
    let first = batch(0);
    let options = IpcWriteOptions::default()
        .try_with_compression(compression)
        .expect("options");
    let file = File::create(path).expect("create");
    let mut w = FileWriter::try_new_with_options(file, &first.schema(), options).expect("writer");
    w.write(&first).expect("write");
    for b in 1..BATCHES {
        w.write(&batch(b)).expect("write");
    }
    w.finish().expect("finish");
}

/// Reads every batch of `path` with `projection`: bytes read and the best time.
fn read(path: &Path, projection: Option<Vec<usize>>) -> (u64, Duration) {
    let mut best = Duration::MAX;
    let mut bytes = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let file = File::open(path).expect("open");
        let counting = Counting { file, read: 0 };
        let mut r = IpcFileReader::try_new(counting, path, projection.clone()).expect("reader");
        for i in 0..r.num_batches() {
            black_box(r.read_batch(i).expect("batch"));
        }
        best = best.min(start.elapsed());
        bytes = r.into_inner().read;
    }
    (bytes, best)
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    println!("{COLUMNS} columns (bigint, varchar), {BATCHES} batches of {ROWS} rows; best of {RUNS} runs");
    println!(
        "{:<6} {:<14} {:>10} {:>10} {:>8} {:>10}",
        "codec", "projection", "file MB", "read MB", "read %", "ms"
    );
    for compression in [None, Some(CompressionType::ZSTD)] {
        let name = if compression.is_some() {
            "zstd"
        } else {
            "none"
        };
        let path = dir.path().join(format!("{name}.arrow"));
        write(&path, compression);
        let file_bytes = std::fs::metadata(&path).expect("stat").len();
        let projections: [(&str, Option<Vec<usize>>); 4] = [
            ("1 bigint", Some(vec![0])),
            ("1 varchar", Some(vec![1])),
            ("4 columns", Some(vec![0, 5, 10, 15])),
            ("all", None),
        ];
        for (label, projection) in projections {
            let (bytes, time) = read(&path, projection);
            println!(
                "{:<6} {:<14} {:>10.1} {:>10.1} {:>7.1}% {:>10.1}",
                name,
                label,
                file_bytes as f64 / 1e6,
                bytes as f64 / 1e6,
                bytes as f64 * 100.0 / file_bytes as f64,
                time.as_secs_f64() * 1e3
            );
        }
    }
}
