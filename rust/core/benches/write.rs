//! Presto → Arrow conversion throughput (the write path), next to a plain memcpy of the same bytes.
//!
//! For 4M bigints and 4M short varchars with 5% nulls, held as Presto columns with owned buffers
//! (what JNI fills from Java arrays): `to_arrow` (by reference: every buffer copied once) and
//! `into_arrow` (by value: owned buffers moved into Arrow, only the null flags become a bitmap),
//! against plain copies of byte buffers of the same sizes. MB = bytes of the Presto column (values,
//! offsets, data and one byte per null flag). Best of a few runs; ratio = conversion throughput /
//! memcpy throughput. Run with `cargo bench -p zkarrow-core --bench write`.

use std::borrow::Cow;
use std::hint::black_box;
use std::time::{Duration, Instant};

use arrow::datatypes::DataType;
use zkarrow_core::presto::from_presto::{into_arrow, to_arrow};
use zkarrow_core::presto::layout::{PrestoColumn, PrestoValues};

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
}

fn columns() -> Vec<(&'static str, DataType, PrestoColumn<'static>)> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let nulls: Vec<bool> = (0..ROWS).map(|_| rng.next() % 100 < NULL_PERCENT).collect();
    let longs: Vec<i64> = nulls
        .iter()
        .map(|&null| if null { 0 } else { rng.next() as i64 })
        .collect();
    let bigint = PrestoColumn {
        positions: ROWS,
        nulls: Some(nulls.clone()),
        values: PrestoValues::Longs(Cow::Owned(longs)),
    };
    let mut offsets = Vec::with_capacity(ROWS + 1);
    let mut data = Vec::new();
    offsets.push(0i32);
    for &null in &nulls {
        if !null {
            let len = rng.next() % 16;
            data.extend((0..len).map(|_| b'a' + (rng.next() % 26) as u8));
        }
        offsets.push(data.len() as i32);
    }
    let varchar = PrestoColumn {
        positions: ROWS,
        nulls: Some(nulls),
        values: PrestoValues::VarWidth {
            offsets: Cow::Owned(offsets),
            data: Cow::Owned(data),
        },
    };
    vec![
        ("bigint", DataType::Int64, bigint),
        ("varchar", DataType::Utf8, varchar),
    ]
}

/// The byte sizes of a (flat) column's buffers.
fn buffer_sizes(column: &PrestoColumn<'_>) -> Vec<usize> {
    let mut sizes = vec![column.nulls.as_ref().map_or(0, Vec::len)];
    match &column.values {
        PrestoValues::Longs(v) => sizes.push(std::mem::size_of_val(&v[..])),
        PrestoValues::VarWidth { offsets, data } => {
            sizes.push(std::mem::size_of_val(&offsets[..]));
            sizes.push(data.len());
        }
        _ => unreachable!("only flat columns are benchmarked"),
    }
    sizes
}

fn best(mut f: impl FnMut() -> Duration) -> Duration {
    (0..RUNS).map(|_| f()).min().unwrap()
}

fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn main() {
    println!(
        "{ROWS} rows, {NULL_PERCENT}% nulls, best of {RUNS} runs; MB = bytes of the Presto column"
    );
    println!(
        "{:<9} {:<10} {:>8} {:>16} {:>14} {:>7}",
        "type", "call", "MB", "convert MB/s", "memcpy MB/s", "ratio"
    );
    for (name, data_type, column) in columns() {
        let sizes = buffer_sizes(&column);
        let bytes: usize = sizes.iter().sum();
        // The baseline copies buffers of the same sizes into fresh Vecs.
        let sources: Vec<Vec<u8>> = sizes.iter().map(|&n| vec![1u8; n]).collect();
        let memcpy = best(|| {
            timed(|| {
                for source in &sources {
                    let mut dst = Vec::with_capacity(source.len());
                    dst.extend_from_slice(source);
                    black_box(&dst);
                }
            })
        });
        let by_ref = best(|| {
            timed(|| {
                black_box(to_arrow(&column, &data_type).expect("convert"));
            })
        });
        let by_value = best(|| {
            let owned = column.clone();
            timed(|| {
                black_box(into_arrow(owned, &data_type).expect("convert"));
            })
        });
        let m = mb_per_s(bytes, memcpy);
        for (call, d) in [("to_arrow", by_ref), ("into_arrow", by_value)] {
            let c = mb_per_s(bytes, d);
            println!(
                "{:<9} {:<10} {:>8.1} {:>16.0} {:>14.0} {:>7.2}",
                name,
                call,
                bytes as f64 / 1e6,
                c,
                m,
                c / m
            );
        }
    }
}
