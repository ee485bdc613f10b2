//! Arrow → Presto conversion throughput, next to a plain memcpy of the same number of bytes.
//!
//! For each column type: `to_presto` plus one copy of every exposed slice into a fresh Vec (what
//! JNI's `Set<Type>ArrayRegion` does), against plain copies of byte buffers of the same sizes.
//! Best of a few runs; ratio = conversion throughput / memcpy throughput. Run with `cargo bench -p zkarrow-core --bench conversion`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::{ArrayRef, DictionaryArray, Float64Array, Int32Array, Int64Array, StringArray};
use arrow::datatypes::Int32Type;
use zkarrow_core::presto::layout::{PrestoColumn, PrestoValues};
use zkarrow_core::presto::to_presto::to_presto;

const ROWS: usize = 4 * 1024 * 1024;
const RUNS: usize = 5;
const NULL_PERCENT: u64 = 5;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn null(&mut self) -> bool {
        self.next() % 100 < NULL_PERCENT
    }
}

fn short_string(rng: &mut Rng) -> String {
    let len = (rng.next() % 16) as usize;
    (0..len)
        .map(|_| (b'a' + (rng.next() % 26) as u8) as char)
        .collect()
}

fn columns() -> Vec<(&'static str, ArrayRef)> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let bigint: Int64Array = (0..ROWS)
        .map(|_| (!rng.null()).then(|| rng.next() as i64))
        .collect();
    let double: Float64Array = (0..ROWS)
        .map(|_| (!rng.null()).then(|| rng.next() as f64 / 3.0))
        .collect();
    let integer: Int32Array = (0..ROWS)
        .map(|_| (!rng.null()).then(|| rng.next() as i32))
        .collect();
    let varchar: StringArray = (0..ROWS)
        .map(|_| (!rng.null()).then(|| short_string(&mut rng)))
        .collect();
    let words: Vec<String> = (0..1000).map(|_| short_string(&mut rng)).collect();
    let dict: DictionaryArray<Int32Type> = (0..ROWS)
        .map(|_| (!rng.null()).then(|| words[(rng.next() % 1000) as usize].as_str()))
        .collect();
    vec![
        ("bigint", Arc::new(bigint) as ArrayRef),
        ("double", Arc::new(double)),
        ("integer", Arc::new(integer)),
        ("varchar", Arc::new(varchar)),
        ("dictionary varchar", Arc::new(dict)),
    ]
}

fn copy<T: Copy>(src: &[T], sizes: &mut Vec<usize>) {
    let mut dst = Vec::with_capacity(src.len());
    dst.extend_from_slice(src);
    black_box(&dst);
    sizes.push(std::mem::size_of_val(src));
}

/// Copies every slice a column exposes into a fresh Vec, as JNI does; records the byte sizes.
fn copy_column(column: &PrestoColumn<'_>, sizes: &mut Vec<usize>) {
    if let Some(nulls) = &column.nulls {
        copy(nulls, sizes);
    }
    match &column.values {
        PrestoValues::Bytes(v) => copy(v, sizes),
        PrestoValues::Shorts(v) => copy(v, sizes),
        PrestoValues::Ints(v) => copy(v, sizes),
        PrestoValues::Longs(v) => copy(v, sizes),
        PrestoValues::Int128(v) => copy(v, sizes),
        PrestoValues::VarWidth { offsets, data } => {
            copy(offsets, sizes);
            copy(data, sizes);
        }
        PrestoValues::Dictionary { ids, dictionary } => {
            copy(ids, sizes);
            copy_column(dictionary, sizes);
        }
        PrestoValues::Array { offsets, elements } => {
            copy(offsets, sizes);
            copy_column(elements, sizes);
        }
        PrestoValues::Map {
            offsets,
            keys,
            values,
        } => {
            copy(offsets, sizes);
            copy_column(keys, sizes);
            copy_column(values, sizes);
        }
        PrestoValues::Row { fields } => {
            for field in fields {
                copy_column(field, sizes);
            }
        }
    }
}

fn best(mut f: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn main() {
    let columns = columns();
    println!("{ROWS} rows, {NULL_PERCENT}% nulls, best of {RUNS} runs; MB = bytes handed to JNI");
    println!(
        "{:<20} {:>10} {:>16} {:>14} {:>7}",
        "type", "MB", "convert MB/s", "memcpy MB/s", "ratio"
    );
    for (name, array) in &columns {
        let mut sizes = Vec::new();
        copy_column(&to_presto(array.as_ref()).expect("convert"), &mut sizes);
        let bytes: usize = sizes.iter().sum();
        let mut scratch = Vec::with_capacity(sizes.len());
        let convert = best(|| {
            scratch.clear();
            let column = to_presto(array.as_ref()).expect("convert");
            copy_column(&column, &mut scratch);
        });
        // The baseline copies buffers of the same sizes, so allocation effects match.
        let sources: Vec<Vec<u8>> = sizes.iter().map(|&n| vec![1u8; n]).collect();
        let memcpy = best(|| {
            scratch.clear();
            for source in &sources {
                copy(source, &mut scratch);
            }
        });
        let (c, m) = (mb_per_s(bytes, convert), mb_per_s(bytes, memcpy));
        println!(
            "{:<20} {:>10.1} {:>16.0} {:>14.0} {:>7.2}",
            name,
            bytes as f64 / 1e6,
            c,
            m,
            c / m
        );
    }
}
