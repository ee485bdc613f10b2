//! Per-column statistics of a record batch or a file: null count, min and max.
//!
//! Min and max are expressed in Presto's native values, as JSON:
//! - boolean: JSON booleans;
//! - tinyint .. bigint (unsigned types widened), date (days), time (millis since midnight),
//!   timestamp and timestamp with time zone (millis since the epoch, UTC, not packed): JSON integers;
//! - real, double: JSON numbers, NaN ignored; an infinite bound is left out (`None`);
//! - short decimals (precision <= 18): the unscaled value as a JSON integer;
//! - long decimals: the unscaled value as a decimal string (`"-123456789012345678901"`);
//! - varchar: a JSON string; min is cut to at most [`MAX_STRING_BYTES`] bytes (a prefix is still a
//!   lower bound), max is left out when it is longer than that;
//! - everything else (varbinary, nested types): no min/max.
//!
//! `None` always means "no bound known": it is what a column of nulls or of unsupported type gets,
//! and it absorbs the other side when statistics are merged.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use arrow::array::{Array, ArrowPrimitiveType, AsArray, GenericStringArray, OffsetSizeTrait};
use arrow::compute;
use arrow::datatypes::{
    ArrowDictionaryKeyType, ArrowNativeType, DataType, Date32Type, Date64Type, Decimal128Type,
    Decimal256Type, Decimal32Type, Decimal64Type, Float32Type, Float64Type, Int16Type, Int32Type,
    Int64Type, Int8Type, Time32MillisecondType, Time32SecondType, Time64MicrosecondType,
    Time64NanosecondType, TimeUnit, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::storage::sketch::Sketch;

/// Longest string bound kept, in bytes.
pub const MAX_STRING_BYTES: usize = 64;

/// Statistics of one column.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ColumnStats {
    /// The table column's id, for files zkarrow wrote (absent for registered files and files
    /// written before protocol v2): how pruning finds a column's statistics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column_id: Option<u32>,
    pub null_count: u64,
    #[serde(default)]
    pub min: Option<Value>,
    #[serde(default)]
    pub max: Option<Value>,
    /// The column's buffer bytes in the file (uncompressed), absent in old manifests: how split
    /// planning weighs a projection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// The distinct values of the column in the file: computed by the writer and registration,
    /// carried to the commit (which folds it into the snapshot's table statistics), never kept
    /// in data manifests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sketch: Option<Sketch>,
}

impl ColumnStats {
    /// Statistics of one array (any offset).
    pub fn compute(array: &dyn Array) -> ColumnStats {
        compute(array)
    }

    /// Folds the statistics of another part of the same column into these.
    pub fn merge(&mut self, other: &ColumnStats) {
        self.null_count += other.null_count;
        self.bytes = match (self.bytes, other.bytes) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        self.column_id = self.column_id.or(other.column_id);
        self.min = merge_bound(&self.min, &other.min, Ordering::Less);
        self.max = merge_bound(&self.max, &other.max, Ordering::Greater);
        self.sketch = match (self.sketch.take(), &other.sketch) {
            (Some(mut a), Some(b)) => {
                a.merge(b);
                Some(a)
            }
            _ => None,
        };
    }

    /// These statistics with the distinct-value sketch of `array`.
    pub fn with_sketch(mut self, array: &dyn Array) -> ColumnStats {
        self.sketch = Some(Sketch::of_array(array));
        self
    }
}

/// Longest string bound kept per record batch, in bytes: shorter than a file's
/// ([`MAX_STRING_BYTES`]) because a file holds many batches; a cut min is still a lower bound, a
/// longer max is unknown.
pub const MAX_BATCH_STRING_BYTES: usize = 16;

/// Statistics of one column in each record batch of a file, in batch order, one array per field
/// (rather than one object per batch) to keep manifests lean. `nulls` is absent when no batch
/// holds a NULL; `min` / `max` hold `null` for an unknown bound and are absent when no batch has
/// one. An array whose length is not the file's batch count is not used.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct BatchStats {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nulls: Vec<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub min: Vec<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub max: Vec<Value>,
}

impl BatchStats {
    /// Null count, min and max of batch `index` of a file of `batches` batches; `None` when these
    /// statistics do not describe that many batches.
    pub fn batch(
        &self,
        index: usize,
        batches: usize,
    ) -> Option<(u64, Option<&Value>, Option<&Value>)> {
        let fits = |len: usize| len == 0 || len == batches;
        let lengths = [self.nulls.len(), self.min.len(), self.max.len()];
        if index >= batches || !lengths.into_iter().all(fits) {
            return None;
        }
        fn bound(values: &[Value], index: usize) -> Option<&Value> {
            values.get(index).filter(|v| !v.is_null())
        }
        let nulls = self.nulls.get(index).copied().unwrap_or(0);
        Some((nulls, bound(&self.min, index), bound(&self.max, index)))
    }
}

/// Collects the per-batch statistics of a file's columns as its batches are written or read.
#[derive(Debug, Default)]
pub struct BatchStatsBuilder {
    batches: usize,
    columns: BTreeMap<String, BatchStats>,
}

impl BatchStatsBuilder {
    /// Records the statistics `stats` of column `name` (of type `data_type`) in the current batch.
    pub fn add(&mut self, name: &str, data_type: &DataType, stats: &ColumnStats) {
        let lean = matches!(
            data_type,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(_, _)
        );
        let (min, max) = match (&stats.min, &stats.max) {
            (min, max) if lean => (
                min.as_ref().and_then(|v| v.as_str()).map(|s| {
                    let mut end = s.len().min(MAX_BATCH_STRING_BYTES);
                    while !s.is_char_boundary(end) {
                        end -= 1;
                    }
                    Value::String(s[..end].to_string())
                }),
                max.as_ref()
                    .filter(|v| {
                        v.as_str()
                            .is_some_and(|s| s.len() <= MAX_BATCH_STRING_BYTES)
                    })
                    .cloned(),
            ),
            (min, max) => (min.clone(), max.clone()),
        };
        let column = self.columns.entry(name.to_string()).or_default();
        let b = self.batches;
        column.nulls.resize(b, 0);
        column.min.resize(b, Value::Null);
        column.max.resize(b, Value::Null);
        column.nulls.push(stats.null_count);
        column.min.push(min.unwrap_or(Value::Null));
        column.max.push(max.unwrap_or(Value::Null));
    }

    /// Ends the current batch.
    pub fn end_batch(&mut self) {
        self.batches += 1;
    }

    /// The statistics per column name: none for a file of one batch (its file statistics say the
    /// same), arrays without information left out.
    pub fn finish(self) -> BTreeMap<String, BatchStats> {
        if self.batches <= 1 {
            return BTreeMap::new();
        }
        let b = self.batches;
        self.columns
            .into_iter()
            .filter_map(|(name, mut c)| {
                c.nulls.resize(b, 0);
                c.min.resize(b, Value::Null);
                c.max.resize(b, Value::Null);
                if c.nulls.iter().all(|&n| n == 0) {
                    c.nulls.clear();
                }
                for bounds in [&mut c.min, &mut c.max] {
                    if bounds.iter().all(Value::is_null) {
                        bounds.clear();
                    }
                }
                let empty = c.nulls.is_empty() && c.min.is_empty() && c.max.is_empty();
                (!empty).then_some((name, c))
            })
            .collect()
    }
}

/// Statistics of one array (any offset).
pub fn compute(array: &dyn Array) -> ColumnStats {
    let null_count = array.logical_null_count() as u64;
    let (min, max) = if null_count as usize == array.len() {
        (None, None)
    } else {
        min_max(array)
    };
    ColumnStats {
        column_id: None,
        null_count,
        min,
        max,
        bytes: Some(column_bytes(array)),
        sketch: None,
    }
}

/// The bytes of the buffers an array (any offset) uses, children and nulls included.
pub fn column_bytes(array: &dyn Array) -> u64 {
    let data = array.to_data();
    data.get_slice_memory_size()
        .unwrap_or_else(|_| array.get_buffer_memory_size()) as u64
}

type Bounds = (Option<Value>, Option<Value>);

fn ints<T>(array: &dyn Array, f: impl Fn(T::Native) -> i64) -> Bounds
where
    T: ArrowPrimitiveType,
{
    let a = array.as_primitive::<T>();
    (
        compute::min(a).map(|v| Value::from(f(v))),
        compute::max(a).map(|v| Value::from(f(v))),
    )
}

fn floats<T>(array: &dyn Array) -> Bounds
where
    T: ArrowPrimitiveType,
    T::Native: Into<f64>,
{
    let a = array.as_primitive::<T>();
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let mut any = false;
    for v in a.iter().flatten() {
        let v: f64 = v.into();
        if v.is_nan() {
            continue;
        }
        any = true;
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !any {
        return (None, None);
    }
    let finite = |v: f64| v.is_finite().then(|| Value::from(v));
    (finite(lo), finite(hi))
}

fn long_decimals(min: Option<i128>, max: Option<i128>) -> Bounds {
    (
        min.map(|v| Value::String(v.to_string())),
        max.map(|v| Value::String(v.to_string())),
    )
}

fn timestamps(array: &dyn Array, unit: &TimeUnit) -> Bounds {
    match unit {
        TimeUnit::Second => ints::<TimestampSecondType>(array, |v| v.saturating_mul(1000)),
        TimeUnit::Millisecond => ints::<TimestampMillisecondType>(array, |v| v),
        TimeUnit::Microsecond => ints::<TimestampMicrosecondType>(array, |v| v.div_euclid(1000)),
        TimeUnit::Nanosecond => ints::<TimestampNanosecondType>(array, |v| v.div_euclid(1_000_000)),
    }
}

/// The min bound of a string: cut to at most MAX_STRING_BYTES on a char boundary.
fn string_min(s: &str) -> Value {
    let mut end = s.len().min(MAX_STRING_BYTES);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    Value::String(s[..end].to_string())
}

/// The max bound of a string: left out when longer than MAX_STRING_BYTES.
fn string_max(s: &str) -> Option<Value> {
    (s.len() <= MAX_STRING_BYTES).then(|| Value::String(s.to_string()))
}

fn strings<'s>(min: Option<&'s str>, max: Option<&'s str>) -> Bounds {
    (min.map(string_min), max.and_then(string_max))
}

/// Min and max of the strings a dictionary's valid keys point at.
fn dictionary_strings<K: ArrowDictionaryKeyType>(array: &dyn Array) -> Bounds {
    let dict = array.as_dictionary::<K>();
    let values = dict.values();
    match values.data_type() {
        DataType::Utf8 => dictionary_strings_of(dict.keys(), values.as_string::<i32>()),
        DataType::LargeUtf8 => dictionary_strings_of(dict.keys(), values.as_string::<i64>()),
        _ => (None, None),
    }
}

fn dictionary_strings_of<K: ArrowPrimitiveType, O: OffsetSizeTrait>(
    keys: &arrow::array::PrimitiveArray<K>,
    values: &GenericStringArray<O>,
) -> Bounds {
    let mut used = vec![false; values.len()];
    for k in keys.iter().flatten() {
        match k.to_usize() {
            Some(i) if i < used.len() => used[i] = true,
            _ => return (None, None),
        }
    }
    let mut lo: Option<&str> = None;
    let mut hi: Option<&str> = None;
    for (i, _) in used.iter().enumerate().filter(|(_, u)| **u) {
        if values.is_null(i) {
            continue;
        }
        let v = values.value(i);
        if lo.is_none_or(|l| v < l) {
            lo = Some(v);
        }
        if hi.is_none_or(|h| v > h) {
            hi = Some(v);
        }
    }
    strings(lo, hi)
}

fn min_max(array: &dyn Array) -> Bounds {
    use DataType::*;
    match array.data_type() {
        Boolean => {
            let a = array.as_boolean();
            (
                compute::min_boolean(a).map(Value::from),
                compute::max_boolean(a).map(Value::from),
            )
        }
        Int8 => ints::<Int8Type>(array, i64::from),
        Int16 => ints::<Int16Type>(array, i64::from),
        Int32 => ints::<Int32Type>(array, i64::from),
        Int64 => ints::<Int64Type>(array, |v| v),
        UInt8 => ints::<UInt8Type>(array, i64::from),
        UInt16 => ints::<UInt16Type>(array, i64::from),
        UInt32 => ints::<UInt32Type>(array, i64::from),
        // Not a Presto type (see types.rs); no bounds rather than wrong ones.
        UInt64 => (None, None),
        Float32 => floats::<Float32Type>(array),
        Float64 => floats::<Float64Type>(array),
        Decimal32(_, _) => ints::<Decimal32Type>(array, i64::from),
        Decimal64(_, _) => ints::<Decimal64Type>(array, |v| v),
        Decimal128(p, _) if *p <= 18 => ints::<Decimal128Type>(array, |v| v as i64),
        Decimal128(_, _) => {
            let a = array.as_primitive::<Decimal128Type>();
            long_decimals(compute::min(a), compute::max(a))
        }
        Decimal256(p, _) if *p <= 38 => {
            let a = array.as_primitive::<Decimal256Type>();
            let (lo, hi) = (
                compute::min(a).and_then(|v| v.to_i128()),
                compute::max(a).and_then(|v| v.to_i128()),
            );
            if *p <= 18 {
                (
                    lo.map(|v| Value::from(v as i64)),
                    hi.map(|v| Value::from(v as i64)),
                )
            } else {
                long_decimals(lo, hi)
            }
        }
        Date32 => ints::<Date32Type>(array, i64::from),
        Date64 => ints::<Date64Type>(array, |v| v.div_euclid(86_400_000)),
        Time32(TimeUnit::Second) => ints::<Time32SecondType>(array, |v| i64::from(v) * 1000),
        Time32(TimeUnit::Millisecond) => ints::<Time32MillisecondType>(array, i64::from),
        Time64(TimeUnit::Microsecond) => {
            ints::<Time64MicrosecondType>(array, |v| v.div_euclid(1000))
        }
        Time64(TimeUnit::Nanosecond) => {
            ints::<Time64NanosecondType>(array, |v| v.div_euclid(1_000_000))
        }
        Timestamp(unit, _) => timestamps(array, unit),
        Utf8 => {
            let a = array.as_string::<i32>();
            strings(compute::min_string(a), compute::max_string(a))
        }
        LargeUtf8 => {
            let a = array.as_string::<i64>();
            strings(compute::min_string(a), compute::max_string(a))
        }
        Utf8View => {
            let a = array.as_string_view();
            strings(compute::min_string_view(a), compute::max_string_view(a))
        }
        Dictionary(key, _) => match key.as_ref() {
            Int8 => dictionary_strings::<Int8Type>(array),
            Int16 => dictionary_strings::<Int16Type>(array),
            Int32 => dictionary_strings::<Int32Type>(array),
            Int64 => dictionary_strings::<Int64Type>(array),
            UInt8 => dictionary_strings::<UInt8Type>(array),
            UInt16 => dictionary_strings::<UInt16Type>(array),
            UInt32 => dictionary_strings::<UInt32Type>(array),
            UInt64 => dictionary_strings::<UInt64Type>(array),
            _ => (None, None),
        },
        _ => (None, None),
    }
}

/// Orders two bounds of the same column, or `None` when their order is uncertain.
///
/// Two strings that both read as integers may be varchar values (ordered as text) or long
/// decimals (ordered as numbers); when the two orders disagree the result is uncertain.
fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => x.as_f64()?.partial_cmp(&y.as_f64()?),
        },
        (Value::String(x), Value::String(y)) => {
            let text = x.as_str().cmp(y.as_str());
            match (canonical_integer(x), canonical_integer(y)) {
                (Some(nx), Some(ny)) if nx.cmp(&ny) != text => None,
                _ => Some(text),
            }
        }
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn canonical_integer(s: &str) -> Option<i128> {
    let v: i128 = s.parse().ok()?;
    (v.to_string() == s).then_some(v)
}

/// The bound that wins (`Less` for min, `Greater` for max); unknown when either is unknown.
pub(crate) fn merge_bound(a: &Option<Value>, b: &Option<Value>, wins: Ordering) -> Option<Value> {
    let (a, b) = (a.as_ref()?, b.as_ref()?);
    match order(b, a)? {
        o if o == wins => Some(b.clone()),
        _ => Some(a.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::*;
    use arrow::datatypes::i256;
    use serde_json::json;

    fn bounds(array: &dyn Array) -> (u64, Option<Value>, Option<Value>) {
        let s = compute(array);
        (s.null_count, s.min, s.max)
    }

    #[test]
    fn integers_with_nulls_and_slices() {
        let a = Int64Array::from(vec![Some(5), None, Some(-7), Some(100)]);
        assert_eq!(bounds(&a), (1, Some(json!(-7)), Some(json!(100))));
        assert_eq!(
            bounds(&a.slice(1, 2)),
            (1, Some(json!(-7)), Some(json!(-7)))
        );
        assert_eq!(
            bounds(&Int8Array::from(vec![-3i8, 4])),
            (0, Some(json!(-3)), Some(json!(4)))
        );
        assert_eq!(
            bounds(&UInt32Array::from(vec![u32::MAX, 1])),
            (0, Some(json!(1)), Some(json!(u32::MAX)))
        );
        assert_eq!(bounds(&UInt64Array::from(vec![1u64])), (0, None, None));
        let all_null = Int32Array::from(vec![None, None]);
        assert_eq!(bounds(&all_null), (2, None, None));
        assert_eq!(
            bounds(&Int32Array::from(Vec::<i32>::new())),
            (0, None, None)
        );
    }

    #[test]
    fn batch_statistics_are_lean() {
        let mut b = BatchStatsBuilder::default();
        let ints = Int64Array::from(vec![Some(1), Some(2)]);
        let long = "a string far longer than sixteen bytes";
        let texts = StringArray::from(vec![Some(long), None]);
        let blobs = BinaryArray::from(vec![Some(b"x".as_ref())]);
        for batch in 0..3 {
            let text = if batch == 1 {
                StringArray::from(vec!["b", "c"])
            } else {
                texts.clone()
            };
            b.add("i", &DataType::Int64, &compute(&ints));
            b.add("s", &DataType::Utf8, &compute(&text));
            b.add("v", &DataType::Binary, &compute(&blobs));
            b.end_batch();
        }
        let stats = b.finish();
        assert_eq!(
            stats["i"].nulls,
            Vec::<u64>::new(),
            "no NULL anywhere: left out"
        );
        assert_eq!(stats["i"].min, vec![json!(1); 3]);
        assert!(!stats.contains_key("v"), "nothing known: left out");
        let s = &stats["s"];
        assert_eq!(s.nulls, vec![1, 0, 1]);
        assert_eq!(s.min[0], json!(&long[..MAX_BATCH_STRING_BYTES]));
        assert_eq!(s.max, vec![Value::Null, json!("c"), Value::Null]);
        assert_eq!(
            s.batch(1, 3),
            Some((0, Some(&json!("b")), Some(&json!("c"))))
        );
        assert_eq!(s.batch(0, 4), None, "another batch count");
        // one batch: the file's statistics say the same
        let mut one = BatchStatsBuilder::default();
        one.add("i", &DataType::Int64, &compute(&ints));
        one.end_batch();
        assert!(one.finish().is_empty());
    }

    #[test]
    fn booleans() {
        let a = BooleanArray::from(vec![Some(true), None, Some(false)]);
        assert_eq!(bounds(&a), (1, Some(json!(false)), Some(json!(true))));
    }

    #[test]
    fn floats_skip_nan_and_infinity() {
        let a = Float64Array::from(vec![Some(1.5), Some(f64::NAN), None, Some(-2.0)]);
        assert_eq!(bounds(&a), (1, Some(json!(-2.0)), Some(json!(1.5))));
        let a = Float32Array::from(vec![f32::NAN, 0.25]);
        assert_eq!(bounds(&a), (0, Some(json!(0.25)), Some(json!(0.25))));
        let a = Float64Array::from(vec![f64::NAN]);
        assert_eq!(bounds(&a), (0, None, None));
        let a = Float64Array::from(vec![f64::NEG_INFINITY, 3.0]);
        assert_eq!(bounds(&a), (0, None, Some(json!(3.0))));
    }

    #[test]
    fn decimals() {
        let a = Decimal128Array::from(vec![Some(-12345), None, Some(999)])
            .with_precision_and_scale(10, 2)
            .unwrap();
        assert_eq!(bounds(&a), (1, Some(json!(-12345)), Some(json!(999))));
        let big = 123456789012345678901234567890i128;
        let a = Decimal128Array::from(vec![big, -big, 7])
            .with_precision_and_scale(38, 3)
            .unwrap();
        assert_eq!(
            bounds(&a),
            (
                0,
                Some(json!((-big).to_string())),
                Some(json!(big.to_string()))
            )
        );
        let a = Decimal256Array::from(vec![i256::from_i128(-big), i256::from_i128(5)])
            .with_precision_and_scale(38, 0)
            .unwrap();
        assert_eq!(bounds(&a).1, Some(json!((-big).to_string())));
        let a = Decimal64Array::from(vec![3, -4])
            .with_precision_and_scale(18, 0)
            .unwrap();
        assert_eq!(bounds(&a), (0, Some(json!(-4)), Some(json!(3))));
        let a = Decimal32Array::from(vec![3, -4])
            .with_precision_and_scale(9, 0)
            .unwrap();
        assert_eq!(bounds(&a), (0, Some(json!(-4)), Some(json!(3))));
    }

    #[test]
    fn dates_times_timestamps() {
        let a = Date32Array::from(vec![19000, -5]);
        assert_eq!(bounds(&a), (0, Some(json!(-5)), Some(json!(19000))));
        let a = Date64Array::from(vec![-1, 86_400_000 * 2]);
        assert_eq!(bounds(&a), (0, Some(json!(-1)), Some(json!(2))));
        let a = Time64MicrosecondArray::from(vec![5_000, 1_999]);
        assert_eq!(bounds(&a), (0, Some(json!(1)), Some(json!(5))));
        let a = Time32SecondArray::from(vec![2]);
        assert_eq!(bounds(&a).1, Some(json!(2000)));
        let a = TimestampNanosecondArray::from(vec![Some(-1), None, Some(3_000_000)])
            .with_timezone("UTC");
        assert_eq!(bounds(&a), (1, Some(json!(-1)), Some(json!(3))));
        let a = TimestampSecondArray::from(vec![10]);
        assert_eq!(bounds(&a).2, Some(json!(10_000)));
    }

    #[test]
    fn strings_truncate() {
        let a = StringArray::from(vec![Some("pear"), None, Some("apple")]);
        assert_eq!(bounds(&a), (1, Some(json!("apple")), Some(json!("pear"))));
        let long_min = format!("a{}", "é".repeat(40)); // 81 bytes
        let long_max = format!("z{}", "x".repeat(70));
        let a = LargeStringArray::from(vec![long_min.as_str(), long_max.as_str()]);
        let (_, min, max) = bounds(&a);
        let min = min.unwrap();
        let min = min.as_str().unwrap();
        assert!(min.len() <= MAX_STRING_BYTES && long_min.starts_with(min));
        assert_eq!(min.len(), 63);
        assert_eq!(max, None);
        let v = StringViewArray::from(vec!["b", "a long string in a view"]);
        assert_eq!(bounds(&v).1, Some(json!("a long string in a view")));
        assert_eq!(bounds(&BinaryArray::from(vec![&b"x"[..]])), (0, None, None));
    }

    #[test]
    fn dictionaries_use_referenced_values() {
        let a: DictionaryArray<Int32Type> = vec![Some("m"), None, Some("c"), Some("z")]
            .into_iter()
            .collect();
        assert_eq!(bounds(&a), (1, Some(json!("c")), Some(json!("z"))));
        // the slice references only "c"
        assert_eq!(
            bounds(&a.slice(1, 2)),
            (1, Some(json!("c")), Some(json!("c")))
        );
    }

    #[test]
    fn nested_have_no_bounds() {
        let a = ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(1)]), None]);
        assert_eq!(bounds(&a), (1, None, None));
    }

    #[test]
    fn merge_rules() {
        let mut s = compute(&Int64Array::from(vec![Some(3), None]));
        s.merge(&compute(&Int64Array::from(vec![-1, 2])));
        assert_eq!(
            s,
            ColumnStats {
                column_id: None,
                null_count: 1,
                min: Some(json!(-1)),
                max: Some(json!(3)),
                bytes: s.bytes,
                sketch: None,
            }
        );
        assert_eq!(
            s.bytes,
            Some(16 + 16 + 1),
            "values of both parts and a validity byte"
        );
        // an unknown bound absorbs the other
        s.merge(&compute(&Int64Array::from(vec![None, None])));
        assert_eq!((s.null_count, s.min, s.max), (3, None, None));

        let mut f = compute(&Float64Array::from(vec![1.5]));
        f.merge(&compute(&Float64Array::from(vec![-0.5])));
        assert_eq!((f.min, f.max), (Some(json!(-0.5)), Some(json!(1.5))));

        let mut t = compute(&StringArray::from(vec!["b"]));
        t.merge(&compute(&StringArray::from(vec!["a", "c"])));
        assert_eq!((t.min, t.max), (Some(json!("a")), Some(json!("c"))));

        // long decimals as strings: numeric and text order agree here, so the bound is kept
        let big = 10i128.pow(30);
        let dec = |v: Vec<i128>| {
            Decimal128Array::from(v)
                .with_precision_and_scale(38, 0)
                .unwrap()
        };
        let mut d = compute(&dec(vec![big, big + 1]));
        d.merge(&compute(&dec(vec![big + 2])));
        assert_eq!(d.max, Some(json!((big + 2).to_string())));
        // "9" < "10" as numbers but not as text: uncertain, so no bound
        let mut d = compute(&dec(vec![10]));
        d.merge(&compute(&dec(vec![9])));
        assert_eq!((d.min, d.max), (None, None));

        let mut b = compute(&BooleanArray::from(vec![true]));
        b.merge(&compute(&BooleanArray::from(vec![false])));
        assert_eq!((b.min, b.max), (Some(json!(false)), Some(json!(true))));
    }

    #[test]
    fn serde_round_trip() {
        let s = compute(&StringArray::from(vec![Some("x"), None]));
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(text, r#"{"null_count":1,"min":"x","max":"x","bytes":14}"#);
        let back: ColumnStats = serde_json::from_str(&text).unwrap();
        assert_eq!(back, s);
        let sparse: ColumnStats = serde_json::from_str(r#"{"null_count":4}"#).unwrap();
        assert_eq!(sparse.min, None);
    }
}
