//! Tests of the Arrow-to-Presto conversion alone (the way back is in `round_trip_tests`).

use std::borrow::Cow;

use arrow::buffer::NullBuffer;
use arrow::datatypes::{ArrowPrimitiveType, DataType, Int32Type, Int64Type, Int8Type, UInt16Type};

use super::to_presto;
use crate::presto::layout::Kind::{
    Dictionary as KIND_DICTIONARY, Long as KIND_LONG, Map as KIND_MAP, Row as KIND_ROW,
    VarWidth as KIND_VARWIDTH,
};
use crate::presto::layout::{PrestoColumn, PrestoValues};
use crate::presto::test_arrays::{sample_map, sample_struct};
use arrow::array::*;
use arrow::buffer::{OffsetBuffer, ScalarBuffer};
use arrow::datatypes::{i256, Field, Fields};
use std::sync::Arc;

#[allow(clippy::ptr_arg)]
fn is_borrowed<T: Clone>(c: &Cow<'_, [T]>) -> bool {
    matches!(c, Cow::Borrowed(_))
}

fn longs(c: &PrestoColumn<'_>) -> Vec<i64> {
    match &c.values {
        PrestoValues::Longs(v) => v.to_vec(),
        other => panic!("expected longs, got kind {}", other.kind()),
    }
}

fn ints(c: &PrestoColumn<'_>) -> Vec<i32> {
    match &c.values {
        PrestoValues::Ints(v) => v.to_vec(),
        other => panic!("expected ints, got kind {}", other.kind()),
    }
}

/// (offsets, strings) of a VarWidth column.
fn strings(c: &PrestoColumn<'_>) -> (Vec<i32>, Vec<String>) {
    match &c.values {
        PrestoValues::VarWidth { offsets, data } => {
            assert_eq!(offsets.len(), c.positions + 1);
            assert_eq!(offsets[0], 0);
            assert_eq!(*offsets.last().unwrap() as usize, data.len());
            let s = offsets
                .windows(2)
                .map(|w| String::from_utf8_lossy(&data[w[0] as usize..w[1] as usize]).into_owned())
                .collect();
            (offsets.to_vec(), s)
        }
        other => panic!("expected varwidth, got kind {}", other.kind()),
    }
}

#[test]
fn kinds() {
    let a = Int64Array::from(vec![1]);
    assert_eq!(to_presto(&a).unwrap().kind(), KIND_LONG);
    let s = StringArray::from(vec!["a"]);
    assert_eq!(to_presto(&s).unwrap().kind(), KIND_VARWIDTH);
    assert_eq!(PrestoValues::Row { fields: vec![] }.kind(), 10);
    assert_eq!(PrestoValues::Bytes(Cow::Owned(vec![])).kind(), 1);
    assert_eq!(PrestoValues::Int128(vec![]).kind(), 5);
}

#[test]
fn integers_are_borrowed_with_nulls() {
    let a = Int64Array::from(vec![Some(1), None, Some(-3)]);
    let c = to_presto(&a).unwrap();
    assert_eq!(c.positions, 3);
    assert_eq!(c.nulls, Some(vec![false, true, false]));
    let PrestoValues::Longs(v) = &c.values else {
        panic!()
    };
    assert!(is_borrowed(v));
    assert_eq!((v[0], v[2]), (1, -3));
    assert_eq!(c.byte_size(), 3 * 8 + 3);

    let a = Int32Array::from(vec![5, 6, 7]);
    let c = to_presto(&a).unwrap();
    assert_eq!(c.nulls, None);
    assert_eq!(ints(&c), vec![5, 6, 7]);

    let a = Int16Array::from(vec![-1, 2]);
    let c = to_presto(&a).unwrap();
    let PrestoValues::Shorts(v) = &c.values else {
        panic!()
    };
    assert!(is_borrowed(v));
    assert_eq!(&v[..], &[-1, 2]);

    let a = Int8Array::from(vec![-1, 2]);
    let c = to_presto(&a).unwrap();
    let PrestoValues::Bytes(v) = &c.values else {
        panic!()
    };
    assert!(is_borrowed(v));
    assert_eq!(&v[..], &[-1, 2]);
}

#[test]
fn sliced_primitives_respect_offset() {
    let a = Int64Array::from(vec![Some(0), Some(1), None, Some(3), Some(4)]);
    let s = a.slice(1, 3);
    let c = to_presto(&s).unwrap();
    assert_eq!(c.positions, 3);
    assert_eq!(c.nulls, Some(vec![false, true, false]));
    let v = longs(&c);
    assert_eq!((v[0], v[2]), (1, 3));
    // a slice without nulls has no null flags
    let arr = a.slice(3, 2);
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.nulls, None);
    assert_eq!(longs(&c), vec![3, 4]);
}

#[test]
fn unsigned_widen() {
    let arr = UInt8Array::from(vec![255u8, 0]);
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.values, PrestoValues::Shorts(Cow::Owned(vec![255, 0])));
    let arr = UInt16Array::from(vec![65535u16]);
    let c = to_presto(&arr).unwrap();
    assert_eq!(ints(&c), vec![65535]);
    let arr = UInt32Array::from(vec![u32::MAX]);
    let c = to_presto(&arr).unwrap();
    assert_eq!(longs(&c), vec![u32::MAX as i64]);
    assert!(to_presto(&UInt64Array::from(vec![1u64])).is_err());
}

#[test]
fn booleans_are_bytes() {
    let a = BooleanArray::from(vec![Some(true), None, Some(false), Some(true)]);
    let arr = a.slice(1, 3);
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.nulls, Some(vec![true, false, false]));
    let PrestoValues::Bytes(v) = &c.values else {
        panic!()
    };
    assert_eq!(&v[1..], &[0, 1]);
}

#[test]
fn floats_are_bit_patterns() {
    let a = Float32Array::from(vec![1.5f32, -0.0, f32::NAN]);
    let arr = a.slice(1, 2);
    let c = to_presto(&arr).unwrap();
    let PrestoValues::Ints(v) = &c.values else {
        panic!()
    };
    assert!(is_borrowed(v));
    assert_eq!(v[0], (-0.0f32).to_bits() as i32);
    assert!(f32::from_bits(v[1] as u32).is_nan());
    let a = Float64Array::from(vec![Some(2.25f64), None]);
    let c = to_presto(&a).unwrap();
    assert_eq!(c.nulls, Some(vec![false, true]));
    let PrestoValues::Longs(v) = &c.values else {
        panic!()
    };
    assert!(is_borrowed(v));
    assert_eq!(f64::from_bits(v[0] as u64), 2.25);
}

fn decode_int128(lo: i64, hi: i64) -> i128 {
    let negative = hi < 0;
    let mag = ((hi as u64 & !(1 << 63)) as u128) << 64 | lo as u64 as u128;
    if negative {
        -(mag as i128)
    } else {
        mag as i128
    }
}

#[test]
fn decimals_short_and_long() {
    let a = Decimal128Array::from(vec![Some(12345), None, Some(-987)])
        .with_precision_and_scale(10, 2)
        .unwrap();
    let c = to_presto(&a).unwrap();
    assert_eq!(c.nulls, Some(vec![false, true, false]));
    let v = longs(&c);
    assert_eq!((v[0], v[2]), (12345, -987));

    let big = 12345678901234567890123456789i128;
    let a = Decimal128Array::from(vec![Some(big), Some(-big), None, Some(-1), Some(0)])
        .with_precision_and_scale(38, 4)
        .unwrap();
    let arr = a.slice(0, 5);
    let c = to_presto(&arr).unwrap();
    let PrestoValues::Int128(v) = &c.values else {
        panic!()
    };
    assert_eq!(v.len(), 10);
    assert_eq!(decode_int128(v[0], v[1]), big);
    assert_eq!(decode_int128(v[2], v[3]), -big);
    assert_eq!(v[6], 1);
    assert_eq!(v[7] as u64, 1u64 << 63); // -1: magnitude 1, sign bit in the high word
    assert_eq!((v[8], v[9]), (0, 0));
    assert_eq!(v[1], (big >> 64) as i64);
    assert_eq!(v[0], big as u64 as i64);
    assert_eq!(v[3] as u64, (big >> 64) as u64 | 1 << 63);

    let sliced = a.slice(1, 1);
    let c = to_presto(&sliced).unwrap();
    let PrestoValues::Int128(v) = &c.values else {
        panic!()
    };
    assert_eq!(decode_int128(v[0], v[1]), -big);

    let a = Decimal32Array::from(vec![-5, 7])
        .with_precision_and_scale(9, 1)
        .unwrap();
    assert_eq!(longs(&to_presto(&a).unwrap()), vec![-5, 7]);
    let a = Decimal64Array::from(vec![-5, 7])
        .with_precision_and_scale(18, 1)
        .unwrap();
    let c = to_presto(&a).unwrap();
    let PrestoValues::Longs(v) = &c.values else {
        panic!()
    };
    assert!(is_borrowed(v));

    let a = Decimal256Array::from(vec![Some(i256::from_i128(-big)), None])
        .with_precision_and_scale(38, 0)
        .unwrap();
    let c = to_presto(&a).unwrap();
    let PrestoValues::Int128(v) = &c.values else {
        panic!()
    };
    assert_eq!(decode_int128(v[0], v[1]), -big);
    let a = Decimal256Array::from(vec![i256::from_i128(-42)])
        .with_precision_and_scale(10, 0)
        .unwrap();
    assert_eq!(longs(&to_presto(&a).unwrap()), vec![-42]);
}

#[test]
fn dates_times_timestamps() {
    let a = Date32Array::from(vec![19000, -1]);
    let c = to_presto(&a).unwrap();
    let PrestoValues::Ints(v) = &c.values else {
        panic!()
    };
    assert!(is_borrowed(v));
    let a = Date64Array::from(vec![86_400_000 * 3 + 5, -1]);
    assert_eq!(ints(&to_presto(&a).unwrap()), vec![3, -1]);

    let arr = Time32SecondArray::from(vec![3600]);
    let c = to_presto(&arr).unwrap();
    assert_eq!(longs(&c), vec![3_600_000]);
    let arr = Time32MillisecondArray::from(vec![1234]);
    let c = to_presto(&arr).unwrap();
    assert_eq!(longs(&c), vec![1234]);
    let arr = Time64MicrosecondArray::from(vec![1_234_567]);
    let c = to_presto(&arr).unwrap();
    assert_eq!(longs(&c), vec![1234]);
    let arr = Time64NanosecondArray::from(vec![1_234_567_890]);
    let c = to_presto(&arr).unwrap();
    assert_eq!(longs(&c), vec![1234]);

    let arr = TimestampSecondArray::from(vec![-2, 3]);
    let c = to_presto(&arr).unwrap();
    assert_eq!(longs(&c), vec![-2000, 3000]);
    let a = TimestampMillisecondArray::from(vec![Some(5), None]);
    let c = to_presto(&a).unwrap();
    let PrestoValues::Longs(v) = &c.values else {
        panic!()
    };
    assert!(is_borrowed(v));
    assert_eq!(c.nulls, Some(vec![false, true]));
    let arr = TimestampMicrosecondArray::from(vec![-1, 1999]);
    let c = to_presto(&arr).unwrap();
    assert_eq!(longs(&c), vec![-1, 1]);
    let arr = TimestampNanosecondArray::from(vec![-1, 2_000_000]);
    let c = to_presto(&arr).unwrap();
    assert_eq!(longs(&c), vec![-1, 2]);

    let a = TimestampMicrosecondArray::from(vec![1_500_000, -1_000]).with_timezone("Europe/Paris");
    let c = to_presto(&a).unwrap();
    assert_eq!(longs(&c), vec![1500 << 12, -1 << 12]);
    assert_eq!(longs(&c)[1] >> 12, -1);
}

#[test]
fn strings_borrowed_and_rebased() {
    let a = StringArray::from(vec![Some("ab"), None, Some(""), Some("cde")]);
    let c = to_presto(&a).unwrap();
    assert_eq!(c.nulls, Some(vec![false, true, false, false]));
    let PrestoValues::VarWidth { offsets, data } = &c.values else {
        panic!()
    };
    assert!(is_borrowed(offsets) && is_borrowed(data));
    assert_eq!(strings(&c).1, vec!["ab", "", "", "cde"]);

    let s = a.slice(2, 2);
    let c = to_presto(&s).unwrap();
    assert_eq!(c.nulls, None);
    let PrestoValues::VarWidth { offsets, data } = &c.values else {
        panic!()
    };
    assert!(!is_borrowed(offsets) && is_borrowed(data));
    assert_eq!(strings(&c), (vec![0, 0, 3], vec!["".into(), "cde".into()]));

    let b = BinaryArray::from(vec![&b"xy"[..], b"z"]);
    assert_eq!(strings(&to_presto(&b.slice(1, 1)).unwrap()).1, vec!["z"]);

    let l = LargeStringArray::from(vec![Some("q"), None, Some("rs")]);
    let arr = l.slice(1, 2);
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.nulls, Some(vec![true, false]));
    assert_eq!(strings(&c).1, vec!["", "rs"]);
    let lb = LargeBinaryArray::from(vec![&b"abc"[..]]);
    assert_eq!(strings(&to_presto(&lb).unwrap()).1, vec!["abc"]);

    let v = StringViewArray::from(vec![
        Some("short"),
        None,
        Some("a string longer than twelve"),
    ]);
    let arr = v.slice(0, 3);
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.nulls, Some(vec![false, true, false]));
    assert_eq!(
        strings(&c).1,
        vec!["short", "", "a string longer than twelve"]
    );
    let bv = BinaryViewArray::from(vec![&b"k"[..], b"lm"]);
    assert_eq!(strings(&to_presto(&bv.slice(1, 1)).unwrap()).1, vec!["lm"]);

    let f = FixedSizeBinaryArray::try_from_sparse_iter_with_size(
        vec![Some(b"ab".to_vec()), None, Some(b"cd".to_vec())].into_iter(),
        2,
    )
    .unwrap();
    let arr = f.slice(1, 2);
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.nulls, Some(vec![true, false]));
    assert_eq!(
        strings(&c),
        (vec![0, 2, 4], vec!["\0\0".into(), "cd".into()])
    );
}

fn dict_of<'c>(c: &'c PrestoColumn<'_>) -> (Vec<i32>, &'c PrestoColumn<'c>) {
    let PrestoValues::Dictionary { ids, dictionary } = &c.values else {
        panic!()
    };
    (ids.clone(), dictionary)
}

#[test]
fn dictionary_without_and_with_nulls() {
    let a: DictionaryArray<Int8Type> = vec!["x", "y", "x", "z"].into_iter().collect();
    let c = to_presto(&a).unwrap();
    assert_eq!(c.kind(), KIND_DICTIONARY);
    assert_eq!(c.nulls, None);
    let (ids, d) = dict_of(&c);
    assert_eq!(ids, vec![0, 1, 0, 2]);
    assert_eq!(strings(d).1, vec!["x", "y", "z"]);
    assert_eq!(d.nulls, None);

    let a: DictionaryArray<UInt16Type> = vec![Some("x"), None, Some("y"), None, Some("x")]
        .into_iter()
        .collect();
    let s = a.slice(1, 4);
    let c = to_presto(&s).unwrap();
    assert_eq!(c.positions, 4);
    assert_eq!(c.nulls, None);
    let (ids, d) = dict_of(&c);
    assert_eq!(ids, vec![2, 1, 2, 0]);
    assert_eq!(d.positions, 3);
    assert_eq!(d.nulls, Some(vec![false, false, true]));
    assert_eq!(strings(d).1, vec!["x", "y", ""]);

    // a slice of the same array without nulls needs no null entry
    let arr = a.slice(2, 1);
    let c = to_presto(&arr).unwrap();
    let (ids, d) = dict_of(&c);
    assert_eq!((ids, d.positions), (vec![1], 2));

    let keys = Int32Array::from(vec![0, 5]);
    let bad = DictionaryArray::<Int32Type>::new_unchecked_for_test(keys);
    assert!(to_presto(&bad).is_err());
    let keys = Int32Array::new(
        ScalarBuffer::from(vec![-7, 0]),
        Some(NullBuffer::from(vec![false, true])),
    );
    let junk_at_null = DictionaryArray::<Int32Type>::new_unchecked_for_test(keys);
    let c = to_presto(&junk_at_null).unwrap();
    let (ids, d) = dict_of(&c);
    assert_eq!(ids, vec![1, 0]);
    assert_eq!(d.nulls, Some(vec![false, true]));
}

trait BadDict {
    fn new_unchecked_for_test(keys: Int32Array) -> DictionaryArray<Int32Type>;
}
impl BadDict for DictionaryArray<Int32Type> {
    fn new_unchecked_for_test(keys: Int32Array) -> DictionaryArray<Int32Type> {
        let values: ArrayRef = Arc::new(StringArray::from(vec!["only"]));
        // SAFETY: deliberately invalid keys, only read through the bounds-checked conversion.
        unsafe { DictionaryArray::new_unchecked(keys, values) }
    }
}

fn list_array(rows: Vec<Option<Vec<Option<i64>>>>) -> ListArray {
    ListArray::from_iter_primitive::<Int64Type, _, _>(rows)
}

#[test]
fn lists_with_nulls_at_both_levels_and_slices() {
    let a = list_array(vec![
        Some(vec![Some(1), None]),
        None,
        Some(vec![]),
        Some(vec![Some(4), Some(5), Some(6)]),
    ]);
    let c = to_presto(&a).unwrap();
    assert_eq!(c.nulls, Some(vec![false, true, false, false]));
    let PrestoValues::Array { offsets, elements } = &c.values else {
        panic!()
    };
    assert!(is_borrowed(offsets));
    assert_eq!(&offsets[..], &[0, 2, 2, 2, 5]);
    assert_eq!(elements.positions, 5);
    assert_eq!(elements.nulls, Some(vec![false, true, false, false, false]));
    let PrestoValues::Longs(v) = &elements.values else {
        panic!()
    };
    assert!(is_borrowed(v));

    let s = a.slice(2, 2);
    let c = to_presto(&s).unwrap();
    assert_eq!(c.nulls, None);
    let PrestoValues::Array { offsets, elements } = &c.values else {
        panic!()
    };
    assert_eq!(&offsets[..], &[0, 0, 3]);
    assert_eq!(elements.nulls, None);
    assert_eq!(longs(elements), vec![4, 5, 6]);

    let large = LargeListArray::from_iter_primitive::<Int64Type, _, _>(vec![
        Some(vec![Some(1)]),
        Some(vec![Some(2), Some(3)]),
    ]);
    let arr = large.slice(1, 1);
    let c = to_presto(&arr).unwrap();
    let PrestoValues::Array { offsets, elements } = &c.values else {
        panic!()
    };
    assert_eq!(&offsets[..], &[0, 2]);
    assert_eq!(longs(elements), vec![2, 3]);
}

#[test]
fn null_list_with_entries_is_emptied() {
    let values = Int64Array::from(vec![1, 2, 3, 4, 5]);
    let field = Arc::new(Field::new("item", DataType::Int64, true));
    let a = ListArray::new(
        field,
        OffsetBuffer::new(ScalarBuffer::from(vec![0, 2, 4, 5])),
        Arc::new(values),
        Some(NullBuffer::from(vec![true, false, true])),
    );
    let c = to_presto(&a).unwrap();
    assert_eq!(c.nulls, Some(vec![false, true, false]));
    let PrestoValues::Array { offsets, elements } = &c.values else {
        panic!()
    };
    assert_eq!(&offsets[..], &[0, 2, 2, 3]);
    assert_eq!(longs(elements), vec![1, 2, 5]);
}

#[test]
fn fixed_size_lists() {
    let a = FixedSizeListArray::from_iter_primitive::<Int32Type, _, _>(
        vec![
            Some(vec![Some(1), Some(2)]),
            None,
            Some(vec![Some(5), None]),
        ],
        2,
    );
    let arr = a.slice(1, 2);
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.nulls, Some(vec![true, false]));
    let PrestoValues::Array { offsets, elements } = &c.values else {
        panic!()
    };
    assert_eq!(&offsets[..], &[0, 0, 2]);
    assert_eq!(elements.nulls, Some(vec![false, true]));
    assert_eq!(ints(elements)[0], 5);
    let arr = a.slice(0, 1);
    let c = to_presto(&arr).unwrap();
    let PrestoValues::Array { offsets, elements } = &c.values else {
        panic!()
    };
    assert_eq!(&offsets[..], &[0, 2]);
    assert_eq!(ints(elements), vec![1, 2]);
}

#[test]
fn maps() {
    let m = sample_map();
    let c = to_presto(&m).unwrap();
    assert_eq!(c.kind(), KIND_MAP);
    assert_eq!(c.nulls, Some(vec![false, true, false]));
    let PrestoValues::Map {
        offsets,
        keys,
        values,
    } = &c.values
    else {
        panic!()
    };
    assert_eq!(&offsets[..], &[0, 2, 2, 3]);
    assert_eq!(strings(keys).1, vec!["a", "b", "c"]);
    assert_eq!(values.nulls, Some(vec![false, true, false]));
    assert_eq!(ints(values)[2], 3);

    let arr = m.slice(2, 1);
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.nulls, None);
    let PrestoValues::Map {
        offsets,
        keys,
        values,
    } = &c.values
    else {
        panic!()
    };
    assert_eq!(&offsets[..], &[0, 1]);
    assert_eq!(strings(keys).1, vec!["c"]);
    assert_eq!(ints(values), vec![3]);
}

#[test]
fn null_map_with_entries_is_emptied() {
    let m = sample_map();
    let (fields, offsets, entries, _, ordered) = m.into_parts();
    // row 0 (two entries) becomes null: its entries must disappear from keys and values
    let m = MapArray::new(
        fields,
        offsets,
        entries,
        Some(NullBuffer::from(vec![false, true, true])),
        ordered,
    );
    let c = to_presto(&m).unwrap();
    assert_eq!(c.nulls, Some(vec![true, false, false]));
    let PrestoValues::Map {
        offsets,
        keys,
        values,
    } = &c.values
    else {
        panic!()
    };
    assert_eq!(&offsets[..], &[0, 0, 0, 1]);
    assert_eq!(strings(keys).1, vec!["c"]);
    assert_eq!(ints(values), vec![3]);
}

#[test]
fn structs_suppress_null_rows() {
    let st = sample_struct(StringArray::from(vec!["a", "b", "c", "d"]));
    let c = to_presto(&st).unwrap();
    assert_eq!(c.kind(), KIND_ROW);
    assert_eq!(c.positions, 4);
    assert_eq!(c.nulls, Some(vec![false, true, false, false]));
    let PrestoValues::Row { fields } = &c.values else {
        panic!()
    };
    assert_eq!(fields.len(), 2);
    assert_eq!(fields[0].positions, 3);
    assert_eq!(fields[0].nulls, Some(vec![false, true, false]));
    assert_eq!(ints(&fields[0])[0], 1);
    assert_eq!(ints(&fields[0])[2], 4);
    assert_eq!(strings(&fields[1]).1, vec!["a", "c", "d"]);

    // sliced past the null row: fields are borrowed windows
    let arr = st.slice(2, 2);
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.nulls, None);
    let PrestoValues::Row { fields } = &c.values else {
        panic!()
    };
    assert_eq!(fields[0].nulls, Some(vec![true, false]));
    assert_eq!(strings(&fields[1]).1, vec!["c", "d"]);
    let PrestoValues::VarWidth { data, .. } = &fields[1].values else {
        panic!()
    };
    assert!(is_borrowed(data));

    // sliced over the null row
    let arr = st.slice(1, 2);
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.nulls, Some(vec![true, false]));
    let PrestoValues::Row { fields } = &c.values else {
        panic!()
    };
    assert_eq!(fields[0].positions, 1);
    assert_eq!(fields[0].nulls, Some(vec![true]));
    assert_eq!(strings(&fields[1]).1, vec!["c"]);
}

#[test]
fn nested_list_of_structs_with_nulls_everywhere() {
    // list<struct<i: int, s: string>> with null lists, null structs and null fields
    let st = sample_struct(StringArray::from(vec!["a", "b", "c", "d"]));
    let field = Arc::new(Field::new("item", st.data_type().clone(), true));
    let list = ListArray::new(
        field,
        OffsetBuffer::new(ScalarBuffer::from(vec![0, 1, 1, 4])),
        Arc::new(st),
        Some(NullBuffer::from(vec![true, false, true])),
    );
    let arr = list.slice(1, 2);
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.nulls, Some(vec![true, false]));
    let PrestoValues::Array { offsets, elements } = &c.values else {
        panic!()
    };
    assert_eq!(&offsets[..], &[0, 0, 3]);
    assert_eq!(elements.positions, 3);
    assert_eq!(elements.nulls, Some(vec![true, false, false]));
    let PrestoValues::Row { fields } = &elements.values else {
        panic!()
    };
    assert_eq!(fields[0].positions, 2);
    assert_eq!(fields[0].nulls, Some(vec![true, false]));
    assert_eq!(strings(&fields[1]).1, vec!["c", "d"]);
    assert!(c.byte_size() > 0);

    // struct containing a list and a dictionary
    let inner = list_array(vec![Some(vec![Some(1)]), None, Some(vec![Some(2), None])]);
    let dict: DictionaryArray<Int32Type> = vec![Some("u"), Some("v"), None].into_iter().collect();
    let st = StructArray::new(
        Fields::from(vec![
            Field::new("l", inner.data_type().clone(), true),
            Field::new("d", dict.data_type().clone(), true),
        ]),
        vec![Arc::new(inner), Arc::new(dict)],
        Some(NullBuffer::from(vec![false, true, true])),
    );
    let c = to_presto(&st).unwrap();
    let PrestoValues::Row { fields } = &c.values else {
        panic!()
    };
    assert_eq!(fields[0].nulls, Some(vec![true, false]));
    let PrestoValues::Array { offsets, elements } = &fields[0].values else {
        panic!()
    };
    assert_eq!(&offsets[..], &[0, 0, 2]);
    assert_eq!(elements.nulls, Some(vec![false, true]));
    let (ids, d) = dict_of(&fields[1]);
    assert_eq!(ids.len(), 2);
    assert!(d.nulls.as_ref().unwrap()[ids[1] as usize]);
    assert_eq!(strings(d).1[ids[0] as usize], "v");
}

#[test]
fn unsupported_types_fail() {
    let e = to_presto(&Float16Array::from(vec![half_one()])).unwrap_err();
    assert_eq!(e.code, crate::error::ErrorCode::UnsupportedType);
    assert!(to_presto(&NullArray::new(2)).is_err());
}

fn half_one() -> <arrow::datatypes::Float16Type as ArrowPrimitiveType>::Native {
    <arrow::datatypes::Float16Type as ArrowPrimitiveType>::Native::from_f32(1.0)
}

#[test]
fn empty_arrays() {
    let arr = StringArray::from(Vec::<&str>::new());
    let c = to_presto(&arr).unwrap();
    assert_eq!(strings(&c).0, vec![0]);
    let arr = Int64Array::from(Vec::<i64>::new());
    let c = to_presto(&arr).unwrap();
    assert_eq!(c.positions, 0);
}

#[test]
fn into_owned_keeps_values() {
    let a = StringArray::from(vec!["a", "bc"]);
    let owned: PrestoColumn<'static> = to_presto(&a).unwrap().into_owned();
    drop(a);
    assert_eq!(strings(&owned).1, vec!["a", "bc"]);
}
