//! Distinct-value sketches: a HyperLogLog of 2^12 registers (about 1.6 % standard error) over a
//! stable 64-bit hash of each value, so that sketches written by any version on any platform merge.
//!
//! The hash is XXH64 (seed 0) of the value's canonical bytes: integers of every width as 8
//! little-endian bytes of the value widened to i64 (u64 as its bits), real and double as the bits
//! of the f64 (-0.0 as 0.0, every NaN as one), decimals as 16 (32 for 256-bit) little-endian bytes
//! of the unscaled value, dates, times and timestamps as their stored integer, booleans as one
//! byte, strings and binaries as their bytes, dictionary values as the value they reference.
//! Nested types are not hashed: their sketch stays empty and no distinct count is reported.
//!
//! Serialized as base64 (standard alphabet, no padding) of `[precision, kind, body]`: kind 0 is
//! sparse (3 bytes per set register: index as u16 LE, rank), kind 1 dense (4 registers of 6 bits
//! in 3 bytes), whichever is shorter: a small table's sketch stays small, a large one is 4 KiB.

use arrow::array::{Array, AsArray};
use arrow::datatypes::{
    DataType, Date32Type, Date64Type, Decimal128Type, Decimal256Type, Decimal32Type, Decimal64Type,
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, Time32MillisecondType,
    Time32SecondType, Time64MicrosecondType, Time64NanosecondType, TimeUnit,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{err, Result};

/// log2 of the register count.
pub const PRECISION: u8 = 12;
const REGISTERS: usize = 1 << PRECISION;
/// The highest rank a register can hold (64 - precision leading zeros, plus one).
const MAX_RANK: u8 = 64 - PRECISION + 1;
const SPARSE: u8 = 0;
const DENSE: u8 = 1;
const DENSE_BYTES: usize = REGISTERS / 4 * 3;

/// A HyperLogLog sketch of the distinct values of a column.
#[derive(Clone, PartialEq, Eq)]
pub struct Sketch {
    registers: Box<[u8; REGISTERS]>,
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            registers: Box::new([0; REGISTERS]),
        }
    }
}

impl std::fmt::Debug for Sketch {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Sketch(~{} distinct)", self.estimate())
    }
}

impl Sketch {
    /// Counts a value by its 64-bit hash.
    pub fn add_hash(&mut self, hash: u64) {
        let index = (hash >> (64 - PRECISION)) as usize;
        // a sentinel bit bounds the rank when the remaining bits are all zero
        let rest = (hash << PRECISION) | (1 << (PRECISION - 1));
        let rank = rest.leading_zeros() as u8 + 1;
        if rank > self.registers[index] {
            self.registers[index] = rank;
        }
    }

    /// Counts a value by its canonical bytes.
    pub fn add_bytes(&mut self, bytes: &[u8]) {
        self.add_hash(xxh64(bytes));
    }

    /// Folds another sketch in: the result is the sketch of the union.
    pub fn merge(&mut self, other: &Sketch) {
        for (mine, theirs) in self.registers.iter_mut().zip(other.registers.iter()) {
            *mine = (*mine).max(*theirs);
        }
    }

    /// The estimated number of distinct values counted.
    pub fn estimate(&self) -> u64 {
        let m = REGISTERS as f64;
        let mut sum = 0.0;
        let mut zeros = 0usize;
        for &r in self.registers.iter() {
            sum += 1.0 / (1u64 << r) as f64;
            zeros += usize::from(r == 0);
        }
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let raw = alpha * m * m / sum;
        // small range: linear counting is more accurate while registers are still empty
        let estimate = if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln()
        } else {
            raw
        };
        estimate.round() as u64
    }

    /// The sketch of the non-null values of `array` (empty for nested types).
    pub fn of_array(array: &dyn Array) -> Sketch {
        let mut sketch = Sketch::default();
        visit_hashes(array, &mut |_, h| sketch.add_hash(h));
        sketch
    }

    /// The compact serialized form (see the module documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let set: Vec<(usize, u8)> = self
            .registers
            .iter()
            .enumerate()
            .filter(|(_, &r)| r > 0)
            .map(|(i, &r)| (i, r))
            .collect();
        let mut out = vec![PRECISION];
        if set.len() * 3 < DENSE_BYTES {
            out.push(SPARSE);
            for (i, r) in set {
                out.extend_from_slice(&(i as u16).to_le_bytes());
                out.push(r);
            }
        } else {
            out.push(DENSE);
            for four in self.registers.chunks(4) {
                let packed = four
                    .iter()
                    .enumerate()
                    .fold(0u32, |acc, (k, &r)| acc | (u32::from(r) << (6 * k)));
                out.extend_from_slice(&packed.to_le_bytes()[..3]);
            }
        }
        out
    }

    /// Reads [`Sketch::to_bytes`]; anything else is a `CorruptMetadata` error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Sketch> {
        let corrupt = |why: &str| err!(CorruptMetadata, "distinct-value sketch is corrupt: {why}");
        let (&precision, rest) = bytes.split_first().ok_or_else(|| corrupt("empty"))?;
        if precision != PRECISION {
            return Err(corrupt(&format!(
                "precision {precision}, expected {PRECISION}"
            )));
        }
        let (&kind, body) = rest.split_first().ok_or_else(|| corrupt("no kind"))?;
        let mut sketch = Sketch::default();
        match kind {
            SPARSE => {
                if body.len() % 3 != 0 {
                    return Err(corrupt("sparse body is not whole entries"));
                }
                let mut last: Option<usize> = None;
                for entry in body.chunks(3) {
                    let index = u16::from_le_bytes([entry[0], entry[1]]) as usize;
                    let rank = entry[2];
                    if index >= REGISTERS || last.is_some_and(|l| l >= index) {
                        return Err(corrupt("sparse register indexes out of range or order"));
                    }
                    if rank == 0 || rank > MAX_RANK {
                        return Err(corrupt(&format!("register rank {rank}")));
                    }
                    sketch.registers[index] = rank;
                    last = Some(index);
                }
            }
            DENSE => {
                if body.len() != DENSE_BYTES {
                    return Err(corrupt(&format!(
                        "dense body of {} bytes, expected {DENSE_BYTES}",
                        body.len()
                    )));
                }
                for (k, three) in body.chunks(3).enumerate() {
                    let packed = u32::from_le_bytes([three[0], three[1], three[2], 0]);
                    for j in 0..4 {
                        let rank = ((packed >> (6 * j)) & 0x3f) as u8;
                        if rank > MAX_RANK {
                            return Err(corrupt(&format!("register rank {rank}")));
                        }
                        sketch.registers[4 * k + j] = rank;
                    }
                }
            }
            other => return Err(corrupt(&format!("unknown kind {other}"))),
        }
        Ok(sketch)
    }
}

impl Serialize for Sketch {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&base64_encode(&self.to_bytes()))
    }
}

impl<'de> Deserialize<'de> for Sketch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Sketch, D::Error> {
        let text = String::deserialize(d)?;
        let bytes = base64_decode(&text).map_err(serde::de::Error::custom)?;
        Sketch::from_bytes(&bytes).map_err(|e| serde::de::Error::custom(e.message))
    }
}

/// Hands `sink` the row index and hash of each non-null row of `array`; false for types not
/// hashed (nested). Nothing is collected: a column of millions of rows costs no allocation.
fn visit_hashes(array: &dyn Array, sink: &mut dyn FnMut(usize, u64)) -> bool {
    fn each<T>(
        array: &dyn Array,
        sink: &mut dyn FnMut(usize, u64),
        values: impl Fn(usize) -> T,
        bytes: impl Fn(T) -> u64,
    ) {
        match array.logical_nulls() {
            None => (0..array.len()).for_each(|i| sink(i, bytes(values(i)))),
            Some(nulls) => nulls
                .valid_indices()
                .for_each(|i| sink(i, bytes(values(i)))),
        }
    }
    macro_rules! ints {
        ($t:ty) => {{
            let a = array.as_primitive::<$t>();
            each(
                array,
                sink,
                |i| a.value(i) as i64,
                |v| xxh64(&v.to_le_bytes()),
            )
        }};
    }
    macro_rules! floats {
        ($t:ty) => {{
            let a = array.as_primitive::<$t>();
            each(
                array,
                sink,
                |i| f64::from(a.value(i)),
                |v| xxh64(&canonical_f64(v).to_le_bytes()),
            )
        }};
    }
    macro_rules! decimals {
        ($t:ty) => {{
            let a = array.as_primitive::<$t>();
            each(
                array,
                sink,
                |i| i128::from(a.value(i)),
                |v| xxh64(&v.to_le_bytes()),
            )
        }};
    }
    match array.data_type() {
        DataType::Boolean => {
            let a = array.as_boolean();
            each(array, sink, |i| a.value(i), |v| xxh64(&[u8::from(v)]))
        }
        DataType::Int8 => ints!(Int8Type),
        DataType::Int16 => ints!(Int16Type),
        DataType::Int32 => ints!(Int32Type),
        DataType::Int64 => ints!(Int64Type),
        DataType::UInt8 => ints!(UInt8Type),
        DataType::UInt16 => ints!(UInt16Type),
        DataType::UInt32 => ints!(UInt32Type),
        DataType::UInt64 => ints!(UInt64Type),
        DataType::Float32 => floats!(Float32Type),
        DataType::Float64 => floats!(Float64Type),
        DataType::Date32 => ints!(Date32Type),
        DataType::Date64 => ints!(Date64Type),
        DataType::Time32(TimeUnit::Second) => ints!(Time32SecondType),
        DataType::Time32(_) => ints!(Time32MillisecondType),
        DataType::Time64(TimeUnit::Microsecond) => ints!(Time64MicrosecondType),
        DataType::Time64(_) => ints!(Time64NanosecondType),
        DataType::Timestamp(TimeUnit::Second, _) => ints!(TimestampSecondType),
        DataType::Timestamp(TimeUnit::Millisecond, _) => ints!(TimestampMillisecondType),
        DataType::Timestamp(TimeUnit::Microsecond, _) => ints!(TimestampMicrosecondType),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => ints!(TimestampNanosecondType),
        DataType::Decimal32(_, _) => decimals!(Decimal32Type),
        DataType::Decimal64(_, _) => decimals!(Decimal64Type),
        DataType::Decimal128(_, _) => decimals!(Decimal128Type),
        DataType::Decimal256(_, _) => {
            let a = array.as_primitive::<Decimal256Type>();
            each(array, sink, |i| a.value(i), |v| xxh64(&v.to_le_bytes()))
        }
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            each(array, sink, |i| a.value(i), |v| xxh64(v.as_bytes()))
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            each(array, sink, |i| a.value(i), |v| xxh64(v.as_bytes()))
        }
        DataType::Utf8View => {
            let a = array.as_string_view();
            each(array, sink, |i| a.value(i), |v| xxh64(v.as_bytes()))
        }
        DataType::Binary => {
            let a = array.as_binary::<i32>();
            each(array, sink, |i| a.value(i), xxh64)
        }
        DataType::LargeBinary => {
            let a = array.as_binary::<i64>();
            each(array, sink, |i| a.value(i), xxh64)
        }
        DataType::BinaryView => {
            let a = array.as_binary_view();
            each(array, sink, |i| a.value(i), xxh64)
        }
        DataType::FixedSizeBinary(_) => {
            let a = array.as_fixed_size_binary();
            each(array, sink, |i| a.value(i), xxh64)
        }
        DataType::Dictionary(_, _) => {
            let Some(dictionary) = array.as_any_dictionary_opt() else {
                return false;
            };
            let mut values = vec![None; dictionary.values().len()];
            if !visit_hashes(dictionary.values().as_ref(), &mut |i, h| {
                values[i] = Some(h)
            }) {
                return false;
            }
            let keys = dictionary.normalized_keys();
            each(
                array,
                sink,
                |i| keys[i],
                |k| values.get(k).copied().flatten().unwrap_or(0),
            )
        }
        _ => return false,
    }
    true
}

/// -0.0 counts as 0.0 and every NaN as one value, as SQL compares them.
fn canonical_f64(v: f64) -> u64 {
    if v.is_nan() {
        f64::NAN.to_bits()
    } else {
        (v + 0.0).to_bits()
    }
}

const P1: u64 = 0x9E37_79B1_85EB_CA87;
const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const P3: u64 = 0x1656_67B1_9E37_79F9;
const P4: u64 = 0x85EB_CA77_C2B2_AE63;
const P5: u64 = 0x27D4_EB2F_1656_67C5;

fn round(acc: u64, input: u64) -> u64 {
    acc.wrapping_add(input.wrapping_mul(P2))
        .rotate_left(31)
        .wrapping_mul(P1)
}

fn merge_round(acc: u64, v: u64) -> u64 {
    (acc ^ round(0, v)).wrapping_mul(P1).wrapping_add(P4)
}

fn read_u64(b: &[u8]) -> u64 {
    u64::from_le_bytes(b[..8].try_into().expect("8 bytes"))
}

/// XXH64 with seed 0 (the published algorithm: its output never changes).
pub fn xxh64(input: &[u8]) -> u64 {
    let len = input.len() as u64;
    let mut rest = input;
    let mut h = if input.len() >= 32 {
        let mut v = [P1.wrapping_add(P2), P2, 0, 0u64.wrapping_sub(P1)];
        while rest.len() >= 32 {
            for (k, lane) in v.iter_mut().enumerate() {
                *lane = round(*lane, read_u64(&rest[8 * k..]));
            }
            rest = &rest[32..];
        }
        let mut h = v[0]
            .rotate_left(1)
            .wrapping_add(v[1].rotate_left(7))
            .wrapping_add(v[2].rotate_left(12))
            .wrapping_add(v[3].rotate_left(18));
        for lane in v {
            h = merge_round(h, lane);
        }
        h
    } else {
        P5
    };
    h = h.wrapping_add(len);
    while rest.len() >= 8 {
        h ^= round(0, read_u64(rest));
        h = h.rotate_left(27).wrapping_mul(P1).wrapping_add(P4);
        rest = &rest[8..];
    }
    if rest.len() >= 4 {
        let word = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes"));
        h ^= u64::from(word).wrapping_mul(P1);
        h = h.rotate_left(23).wrapping_mul(P2).wrapping_add(P3);
        rest = &rest[4..];
    }
    for &byte in rest {
        h ^= u64::from(byte).wrapping_mul(P5);
        h = h.rotate_left(11).wrapping_mul(P1);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^ (h >> 32)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (k, &b)| acc | (u32::from(b) << (16 - 8 * k)));
        for k in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * k)) & 0x3f) as usize] as char);
        }
    }
    out
}

fn base64_decode(text: &str) -> std::result::Result<Vec<u8>, String> {
    if text.len() % 4 == 1 {
        return Err("distinct-value sketch is corrupt: bad base64 length".into());
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (k, &c) in chunk.iter().enumerate() {
            let v = ALPHABET.iter().position(|&a| a == c).ok_or_else(|| {
                format!(
                    "distinct-value sketch is corrupt: '{}' is not base64",
                    c as char
                )
            })?;
            n |= (v as u32) << (18 - 6 * k);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{DictionaryArray, Int64Array, StringArray};
    use arrow::datatypes::Int32Type as Key;

    fn sketch_of(range: std::ops::Range<u64>) -> Sketch {
        let mut s = Sketch::default();
        for v in range {
            s.add_bytes(&(v as i64).to_le_bytes());
        }
        s
    }

    fn assert_close(estimate: u64, truth: u64, tolerance: f64) {
        let error = (estimate as f64 - truth as f64).abs() / truth as f64;
        assert!(
            error <= tolerance,
            "estimate {estimate} for {truth} distinct values is off by {:.2} %",
            error * 100.0
        );
    }

    #[test]
    fn xxh64_matches_the_published_algorithm() {
        assert_eq!(xxh64(b""), 0xEF46_DB37_51D8_E999);
        assert_eq!(xxh64(b"abc"), 0x44BC_2CF5_AD77_0999);
        // the 32-byte stripe path and every tail length give distinct, repeatable values
        let long: Vec<u8> = (0..100u8).collect();
        let all: std::collections::HashSet<u64> = (0..=100).map(|n| xxh64(&long[..n])).collect();
        assert_eq!(all.len(), 101);
    }

    #[test]
    fn estimates_are_within_a_few_percent() {
        assert_eq!(Sketch::default().estimate(), 0);
        assert_eq!(sketch_of(0..1).estimate(), 1);
        for n in [1_000u64, 100_000, 1_000_000] {
            let s = sketch_of(0..n);
            println!("{n} distinct values: estimate {}", s.estimate());
            assert_close(s.estimate(), n, 0.05);
        }
        // repeats do not count
        let mut s = sketch_of(0..1_000);
        s.merge(&sketch_of(0..1_000));
        assert_close(s.estimate(), 1_000, 0.05);
    }

    #[test]
    fn merge_is_the_sketch_of_the_union() {
        let mut a = sketch_of(0..60_000);
        let b = sketch_of(40_000..100_000);
        a.merge(&b);
        assert_eq!(a, sketch_of(0..100_000));
        assert_close(a.estimate(), 100_000, 0.05);
    }

    #[test]
    fn serialization_round_trips_sparse_and_dense() {
        for n in [0u64, 1, 50, 5_000, 1_000_000] {
            let s = sketch_of(0..n);
            let bytes = s.to_bytes();
            assert_eq!(bytes[1], if n < 1000 { SPARSE } else { DENSE }, "{n}");
            assert!(bytes.len() <= 2 + DENSE_BYTES);
            assert_eq!(Sketch::from_bytes(&bytes).unwrap(), s);
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<Sketch>(&json).unwrap(), s, "{n}");
        }
        assert!(serde_json::to_string(&sketch_of(0..3)).unwrap().len() < 20);
    }

    #[test]
    fn corrupt_sketches_are_errors() {
        let good = sketch_of(0..10).to_bytes();
        let dense = sketch_of(0..100_000).to_bytes();
        let mut bad: Vec<Vec<u8>> = vec![
            vec![],
            vec![PRECISION],
            vec![11, SPARSE],
            vec![PRECISION, 7],
            good[..good.len() - 1].to_vec(),
            dense[..dense.len() - 1].to_vec(),
            vec![PRECISION, SPARSE, 0xff, 0xff, 1],
            vec![PRECISION, SPARSE, 5, 0, 1, 4, 0, 1],
            vec![PRECISION, SPARSE, 5, 0, 0],
            vec![PRECISION, SPARSE, 5, 0, 60],
        ];
        let mut high = dense.clone();
        high[2] = 0x3f;
        bad.push(high);
        for b in bad {
            let e = Sketch::from_bytes(&b).unwrap_err();
            assert_eq!(e.code, crate::error::ErrorCode::CorruptMetadata, "{b:?}");
        }
        for text in ["\"@@@@\"", "\"A\"", "\"AAAA\"", "12"] {
            assert!(serde_json::from_str::<Sketch>(text).is_err(), "{text}");
        }
    }

    #[test]
    fn arrays_hash_values_not_representations() {
        let plain = Sketch::of_array(&StringArray::from(vec![
            Some("a"),
            None,
            Some("b"),
            Some("a"),
        ]));
        assert_eq!(plain.estimate(), 2);
        let dictionary: DictionaryArray<Key> = vec![Some("b"), Some("a"), None, Some("b")]
            .into_iter()
            .collect();
        assert_eq!(Sketch::of_array(&dictionary), plain);
        // integers of any width count the same values
        let wide = Sketch::of_array(&Int64Array::from(vec![1, 2, 3]));
        let narrow = Sketch::of_array(&arrow::array::Int8Array::from(vec![3, 2, 1]));
        assert_eq!(wide, narrow);
        let doubles = Sketch::of_array(&arrow::array::Float64Array::from(vec![0.0, -0.0, 1.5]));
        assert_eq!(doubles.estimate(), 2);
    }
}
