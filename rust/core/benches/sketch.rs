//! What distinct-value sketches add to a write: time of `Sketch::of_array` next to the null /
//! min / max statistics (`ColumnStats::compute`) the writer already computes, for 4M bigints and
//! 4M short varchars. Best of a few runs, in million values per second. Run with
//! `cargo bench -p zkarrow-core --bench sketch`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use arrow::array::{Array, Int64Array, StringArray};
use zkarrow_core::storage::sketch::Sketch;
use zkarrow_core::storage::stats::ColumnStats;

const ROWS: usize = 4 * 1024 * 1024;
const RUNS: usize = 5;

fn best(mut f: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn report(name: &str, array: &dyn Array) {
    let stats = best(|| {
        black_box(ColumnStats::compute(array));
    });
    let mut estimate = 0;
    let sketch = best(|| {
        estimate = black_box(Sketch::of_array(array)).estimate();
    });
    let rate = |d: Duration| ROWS as f64 / d.as_secs_f64() / 1e6;
    println!(
        "{name:8} stats {:7.1} Mvalues/s   sketch {:7.1} Mvalues/s   (estimate {estimate} of {ROWS})",
        rate(stats),
        rate(sketch)
    );
}

fn main() {
    let ints = Int64Array::from_iter_values((0..ROWS as i64).map(|i| i.wrapping_mul(7919)));
    report("bigint", &ints);
    let strings: StringArray = (0..ROWS).map(|i| Some(format!("name-{i}"))).collect();
    report("varchar", &strings);
}
