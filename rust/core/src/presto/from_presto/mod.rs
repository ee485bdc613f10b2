//! Presto blocks back into Arrow arrays: the way back of [`crate::presto_column::to_presto`], for
//! the Arrow types [`crate::presto_type::arrow_type`] stores Presto columns as (page sinks).
//!
//! [`into_arrow`] takes the column by value and moves every owned vector (what JNI fills from Java
//! arrays) into an Arrow buffer without copying, where the layouts agree (integers, float bits,
//! dates, millisecond timestamps, string offsets and data, dictionary ids); it copies borrowed
//! slices once. [`to_arrow`] takes the column by reference and therefore copies every buffer once.
//! Values that change (booleans, short decimals, times, zoned timestamps, long decimals) are
//! converted in one pass either way.
//!
//! Row fields hold only the non-null rows; they are expanded back to full length with Arrow's
//! `take` (null indices at null rows). Dictionary columns materialize with `take` on the
//! converted dictionary.

use std::borrow::Cow;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BinaryArray, BooleanArray, Decimal128Array, Float32Array, Float64Array,
    Int32Array, ListArray, MapArray, PrimitiveArray, StringArray, StructArray,
    Time32MillisecondArray, TimestampMillisecondArray, UInt32Array,
};
use arrow::buffer::{BooleanBuffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow::compute::take;
use arrow::datatypes::{ArrowNativeType, ArrowPrimitiveType, DataType, TimeUnit};

use crate::err;
use crate::error::{Error, Result};
use crate::presto_column::{PrestoColumn, PrestoValues, TIME_ZONE_SHIFT};

/// Converts one Presto column into an Arrow array of `data_type`, copying every buffer once.
pub fn to_arrow(column: &PrestoColumn<'_>, data_type: &DataType) -> Result<ArrayRef> {
    convert(
        column.positions,
        column.nulls.as_deref(),
        borrow_values(&column.values),
        data_type,
    )
}

/// Converts one Presto column into an Arrow array of `data_type`, moving owned buffers into the
/// array without copying them.
pub fn into_arrow(column: PrestoColumn<'_>, data_type: &DataType) -> Result<ArrayRef> {
    let PrestoColumn {
        positions,
        nulls,
        values,
    } = column;
    convert(positions, nulls.as_deref(), values, data_type)
}

/// A view of `values` whose slices borrow from it (vectors that are not `Cow` are cloned).
fn borrow_values<'b>(values: &'b PrestoValues<'_>) -> PrestoValues<'b> {
    use PrestoValues as V;
    fn b<T: Clone>(c: &[T]) -> Cow<'_, [T]> {
        Cow::Borrowed(c)
    }
    fn col<'b>(c: &'b PrestoColumn<'_>) -> Box<PrestoColumn<'b>> {
        Box::new(PrestoColumn {
            positions: c.positions,
            nulls: c.nulls.clone(),
            values: borrow_values(&c.values),
        })
    }
    match values {
        V::Bytes(v) => V::Bytes(b(v)),
        V::Shorts(v) => V::Shorts(b(v)),
        V::Ints(v) => V::Ints(b(v)),
        V::Longs(v) => V::Longs(b(v)),
        V::Int128(v) => V::Int128(v.clone()),
        V::VarWidth { offsets, data } => V::VarWidth {
            offsets: b(offsets),
            data: b(data),
        },
        V::Dictionary { ids, dictionary } => V::Dictionary {
            ids: ids.clone(),
            dictionary: col(dictionary),
        },
        V::Array { offsets, elements } => V::Array {
            offsets: b(offsets),
            elements: col(elements),
        },
        V::Map {
            offsets,
            keys,
            values,
        } => V::Map {
            offsets: b(offsets),
            keys: col(keys),
            values: col(values),
        },
        V::Row { fields } => V::Row {
            fields: fields.iter().map(|f| *col(f)).collect(),
        },
    }
}

fn kind_name(values: &PrestoValues<'_>) -> &'static str {
    match values {
        PrestoValues::Bytes(_) => "BYTE",
        PrestoValues::Shorts(_) => "SHORT",
        PrestoValues::Ints(_) => "INT",
        PrestoValues::Longs(_) => "LONG",
        PrestoValues::Int128(_) => "INT128",
        PrestoValues::VarWidth { .. } => "VARWIDTH",
        PrestoValues::Dictionary { .. } => "DICTIONARY",
        PrestoValues::Array { .. } => "ARRAY",
        PrestoValues::Map { .. } => "MAP",
        PrestoValues::Row { .. } => "ROW",
    }
}

/// The Arrow types zkarrow stores Presto columns as (what `presto_type::arrow_type` produces).
fn is_supported(data_type: &DataType) -> bool {
    use DataType::*;
    match data_type {
        Boolean | Int8 | Int16 | Int32 | Int64 | Float32 | Float64 | Date32 | Utf8 | Binary => true,
        Decimal128(p, _) => *p <= 38,
        Time32(TimeUnit::Millisecond) | Timestamp(TimeUnit::Millisecond, _) => true,
        List(f) => is_supported(f.data_type()),
        Map(f, _) => match f.data_type() {
            Struct(kv) => kv.len() == 2 && kv.iter().all(|f| is_supported(f.data_type())),
            _ => false,
        },
        Struct(fields) => fields.iter().all(|f| is_supported(f.data_type())),
        _ => false,
    }
}

fn mismatch(values: &PrestoValues<'_>, data_type: &DataType) -> Error {
    if !is_supported(data_type) {
        return err!(
            UnsupportedType,
            "Arrow type {data_type} is not one zkarrow writes Presto columns as"
        );
    }
    err!(
        InvalidArgument,
        "a Presto {} block cannot be stored as Arrow type {data_type}",
        kind_name(values)
    )
}

fn check_len(what: &str, positions: usize, got: usize, want: usize) -> Result<()> {
    if got != want {
        return Err(err!(
            InvalidArgument,
            "a Presto {what} block of {positions} positions holds {got} values, expected {want}"
        ));
    }
    Ok(())
}

/// Presto's `isNull` flags as an Arrow validity bitmap (`None` when no position is null).
fn validity(positions: usize, nulls: Option<&[bool]>) -> Result<Option<NullBuffer>> {
    let Some(nulls) = nulls else {
        return Ok(None);
    };
    if nulls.len() != positions {
        return Err(err!(
            InvalidArgument,
            "a Presto block of {positions} positions has {} null flags",
            nulls.len()
        ));
    }
    let valid = NullBuffer::new(BooleanBuffer::collect_bool(positions, |i| !nulls[i]));
    Ok((valid.null_count() > 0).then_some(valid))
}

/// An Arrow buffer of `values`: moved when owned, copied once when borrowed.
fn scalar<T: ArrowNativeType>(values: Cow<'_, [T]>) -> ScalarBuffer<T> {
    match values {
        Cow::Owned(v) => ScalarBuffer::from(v),
        Cow::Borrowed(s) => ScalarBuffer::from(s.to_vec()),
    }
}

fn primitive<T: ArrowPrimitiveType>(
    values: Cow<'_, [T::Native]>,
    positions: usize,
    valid: Option<NullBuffer>,
    what: &str,
) -> Result<PrimitiveArray<T>> {
    check_len(what, positions, values.len(), positions)?;
    Ok(PrimitiveArray::<T>::new(scalar(values), valid))
}

/// Checks Presto offsets (`positions + 1` entries, non-negative, non-decreasing, ending within
/// `child_len`) and makes them an Arrow offset buffer.
fn offsets(
    offsets: Cow<'_, [i32]>,
    positions: usize,
    child_len: usize,
    what: &str,
) -> Result<OffsetBuffer<i32>> {
    check_len(what, positions, offsets.len(), positions + 1)?;
    let monotonic = offsets.windows(2).all(|w| w[0] <= w[1]);
    let (first, last) = (offsets[0], offsets[positions]);
    if first < 0 || !monotonic || last as usize > child_len {
        return Err(err!(
            InvalidArgument,
            "a Presto {what} block has invalid offsets (from {first} to {last}, {} decreasing, over {child_len} entries)",
            if monotonic { "not" } else { "some" }
        ));
    }
    // SAFETY: non-empty, non-negative and monotonically increasing, as checked above.
    Ok(unsafe { OffsetBuffer::new_unchecked(scalar(offsets)) })
}

/// Checks that the bytes `offsets` span are UTF-8 and that every offset is on a char boundary
/// (always true for ASCII, the common case, which skips that pass).
fn check_utf8(offsets: &OffsetBuffer<i32>, data: &[u8]) -> Result<()> {
    let (start, end) = (offsets[0] as usize, offsets[offsets.len() - 1] as usize);
    let text = std::str::from_utf8(&data[start..end])
        .map_err(|e| err!(InvalidArgument, "a varchar column is not valid UTF-8: {e}"))?;
    if !text.is_ascii() {
        if let Some(o) = offsets
            .iter()
            .find(|&&o| !text.is_char_boundary(o as usize - start))
        {
            return Err(err!(
                InvalidArgument,
                "a varchar column is not valid UTF-8: offset {o} splits a character"
            ));
        }
    }
    Ok(())
}

/// Presto's sign-magnitude 128-bit words (low, then high with the sign in bit 63) as i128.
fn decode_int128(words: &[i64]) -> Vec<i128> {
    words
        .chunks_exact(2)
        .map(|w| {
            let high = w[1] as u64;
            let magnitude = (((high & !(1u64 << 63)) as u128) << 64 | w[0] as u64 as u128) as i128;
            if high >> 63 == 1 {
                -magnitude
            } else {
                magnitude
            }
        })
        .collect()
}

fn convert(
    positions: usize,
    nulls: Option<&[bool]>,
    values: PrestoValues<'_>,
    data_type: &DataType,
) -> Result<ArrayRef> {
    use PrestoValues as V;
    if let V::Dictionary { ids, dictionary } = values {
        return from_dictionary(positions, nulls, ids, *dictionary, data_type);
    }
    let valid = validity(positions, nulls)?;
    let array: ArrayRef = match (data_type, values) {
        (DataType::Boolean, V::Bytes(v)) => {
            check_len("BYTE", positions, v.len(), positions)?;
            let bits = BooleanBuffer::collect_bool(positions, |i| v[i] != 0);
            Arc::new(BooleanArray::new(bits, valid))
        }
        (DataType::Int8, V::Bytes(v)) => Arc::new(primitive::<arrow::datatypes::Int8Type>(
            v, positions, valid, "BYTE",
        )?) as ArrayRef,
        (DataType::Int16, V::Shorts(v)) => Arc::new(primitive::<arrow::datatypes::Int16Type>(
            v, positions, valid, "SHORT",
        )?),
        (DataType::Int32, V::Ints(v)) => Arc::new(primitive::<arrow::datatypes::Int32Type>(
            v, positions, valid, "INT",
        )?),
        (DataType::Date32, V::Ints(v)) => Arc::new(primitive::<arrow::datatypes::Date32Type>(
            v, positions, valid, "INT",
        )?),
        (DataType::Float32, V::Ints(v)) => {
            check_len("INT", positions, v.len(), positions)?;
            let bits = scalar(v).into_inner();
            Arc::new(Float32Array::new(ScalarBuffer::from(bits), valid))
        }
        (DataType::Int64, V::Longs(v)) => Arc::new(primitive::<arrow::datatypes::Int64Type>(
            v, positions, valid, "LONG",
        )?),
        (DataType::Float64, V::Longs(v)) => {
            check_len("LONG", positions, v.len(), positions)?;
            let bits = scalar(v).into_inner();
            Arc::new(Float64Array::new(ScalarBuffer::from(bits), valid))
        }
        (DataType::Decimal128(p, s), V::Longs(v)) if *p <= 18 => {
            check_len("LONG", positions, v.len(), positions)?;
            let wide: Vec<i128> = v.iter().map(|&x| i128::from(x)).collect();
            Arc::new(Decimal128Array::new(wide.into(), valid).with_precision_and_scale(*p, *s)?)
        }
        (DataType::Decimal128(p, s), V::Int128(v)) if *p > 18 && *p <= 38 => {
            check_len("INT128", positions, v.len(), 2 * positions)?;
            let wide = decode_int128(&v);
            Arc::new(Decimal128Array::new(wide.into(), valid).with_precision_and_scale(*p, *s)?)
        }
        (DataType::Time32(TimeUnit::Millisecond), V::Longs(v)) => {
            check_len("LONG", positions, v.len(), positions)?;
            if let Some(bad) = v.iter().find(|&&x| i32::try_from(x).is_err()) {
                return Err(err!(
                    InvalidArgument,
                    "time value {bad} ms is out of range for Arrow time32(ms)"
                ));
            }
            let narrow: Vec<i32> = v.iter().map(|&x| x as i32).collect();
            Arc::new(Time32MillisecondArray::new(narrow.into(), valid))
        }
        (DataType::Timestamp(TimeUnit::Millisecond, None), V::Longs(v)) => {
            Arc::new(primitive::<arrow::datatypes::TimestampMillisecondType>(
                v, positions, valid, "LONG",
            )?)
        }
        (DataType::Timestamp(TimeUnit::Millisecond, Some(tz)), V::Longs(v)) => {
            check_len("LONG", positions, v.len(), positions)?;
            // Packed `millis << 12 | zone key`: the millis are UTC whatever the zone.
            let millis: Vec<i64> = match v {
                Cow::Owned(mut packed) => {
                    packed.iter_mut().for_each(|x| *x >>= TIME_ZONE_SHIFT);
                    packed
                }
                Cow::Borrowed(packed) => packed.iter().map(|&x| x >> TIME_ZONE_SHIFT).collect(),
            };
            Arc::new(
                TimestampMillisecondArray::new(millis.into(), valid).with_timezone(Arc::clone(tz)),
            )
        }
        (DataType::Utf8, V::VarWidth { offsets: o, data }) => {
            let o = offsets(o, positions, data.len(), "VARWIDTH")?;
            check_utf8(&o, &data)?;
            // SAFETY: offsets checked by `offsets`, UTF-8 and boundaries by `check_utf8`.
            Arc::new(unsafe { StringArray::new_unchecked(o, scalar(data).into_inner(), valid) })
        }
        (DataType::Binary, V::VarWidth { offsets: o, data }) => {
            let o = offsets(o, positions, data.len(), "VARWIDTH")?;
            Arc::new(BinaryArray::try_new(o, scalar(data).into_inner(), valid)?)
        }
        (
            DataType::List(field),
            V::Array {
                offsets: o,
                elements,
            },
        ) => {
            let elements = into_arrow(*elements, field.data_type())?;
            let o = offsets(o, positions, elements.len(), "ARRAY")?;
            Arc::new(ListArray::try_new(Arc::clone(field), o, elements, valid)?)
        }
        (
            DataType::Map(field, ordered),
            V::Map {
                offsets: o,
                keys,
                values,
            },
        ) => {
            let DataType::Struct(entry_fields) = field.data_type() else {
                return Err(err!(
                    UnsupportedType,
                    "Arrow type {data_type} is not a valid map"
                ));
            };
            if entry_fields.len() != 2 {
                return Err(err!(
                    UnsupportedType,
                    "Arrow type {data_type} is not a valid map"
                ));
            }
            if keys.positions != values.positions {
                return Err(err!(
                    InvalidArgument,
                    "a Presto MAP block has {} keys and {} values",
                    keys.positions,
                    values.positions
                ));
            }
            let entries = keys.positions;
            let keys = into_arrow(*keys, entry_fields[0].data_type())?;
            let values = into_arrow(*values, entry_fields[1].data_type())?;
            let entries_array = StructArray::try_new_with_length(
                entry_fields.clone(),
                vec![keys, values],
                None,
                entries,
            )
            .map_err(|e| err!(InvalidArgument, "invalid Presto MAP block: {e}"))?;
            let o = offsets(o, positions, entries, "MAP")?;
            Arc::new(MapArray::try_new(
                Arc::clone(field),
                o,
                entries_array,
                valid,
                *ordered,
            )?)
        }
        (DataType::Struct(fields), V::Row { fields: columns }) => {
            if columns.len() != fields.len() {
                return Err(err!(
                    InvalidArgument,
                    "a Presto ROW block has {} fields, Arrow type {data_type} has {}",
                    columns.len(),
                    fields.len()
                ));
            }
            let present = positions - valid.as_ref().map_or(0, NullBuffer::null_count);
            // Row fields hold only the non-null rows: index i of a non-null row is its rank.
            let expand = valid.as_ref().map(|v| {
                let mut rank = 0u32;
                let ranks: Vec<u32> = v
                    .iter()
                    .map(|is_valid| {
                        let r = rank;
                        rank += u32::from(is_valid);
                        r
                    })
                    .collect();
                UInt32Array::new(ranks.into(), Some(v.clone()))
            });
            let mut arrays = Vec::with_capacity(columns.len());
            for (field, column) in fields.iter().zip(columns) {
                check_len("ROW field", present, column.positions, present)?;
                let compact = into_arrow(column, field.data_type())?;
                arrays.push(match &expand {
                    Some(indices) => take(compact.as_ref(), indices, None)?,
                    None => compact,
                });
            }
            Arc::new(
                StructArray::try_new_with_length(fields.clone(), arrays, valid, positions)
                    .map_err(|e| err!(InvalidArgument, "invalid Presto ROW block: {e}"))?,
            )
        }
        (data_type, values) => return Err(mismatch(&values, data_type)),
    };
    Ok(array)
}

fn from_dictionary(
    positions: usize,
    nulls: Option<&[bool]>,
    ids: Vec<i32>,
    dictionary: PrestoColumn<'_>,
    data_type: &DataType,
) -> Result<ArrayRef> {
    check_len("DICTIONARY", positions, ids.len(), positions)?;
    let valid = validity(positions, nulls)?;
    let entries = dictionary.positions;
    let dictionary = into_arrow(dictionary, data_type)?;
    let out_of_range = |id: i32| id < 0 || id as usize >= entries;
    let bad = (0..positions)
        .find(|&i| out_of_range(ids[i]) && valid.as_ref().is_none_or(|v| v.is_valid(i)));
    if let Some(i) = bad {
        return Err(err!(
            InvalidArgument,
            "dictionary id {} at position {i} is outside the dictionary of {entries} entries",
            ids[i]
        ));
    }
    let mut ids = ids;
    if valid.is_some() {
        // ids at null positions are not looked at by Presto; make them harmless for `take`.
        ids.iter_mut()
            .filter(|id| out_of_range(**id))
            .for_each(|id| *id = 0);
    }
    let indices = Int32Array::new(ids.into(), valid);
    Ok(take(dictionary.as_ref(), &indices, None)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::presto_column::to_presto;
    use crate::presto_type::arrow_type;
    use arrow::array::*;
    use arrow::compute::cast;
    use arrow::datatypes::{Field, Fields, Int32Type, Int64Type, UInt16Type};

    /// to_presto -> to_arrow / into_arrow gives back `array` (cast to `stored` where it differs),
    /// whole and sliced.
    fn round_trip(array: &dyn Array, stored: &DataType) {
        let expected = if array.data_type() == stored {
            make_array(array.to_data())
        } else {
            cast(array, stored).unwrap()
        };
        let column = to_presto(array).unwrap();
        let back = to_arrow(&column, stored).unwrap();
        assert_eq!(back.data_type(), stored);
        assert_eq!(back.to_data(), expected.to_data(), "{stored}");
        let back = into_arrow(column.into_owned(), stored).unwrap();
        assert_eq!(back.to_data(), expected.to_data(), "{stored} (owned)");
        if array.len() >= 3 {
            let sliced = array.slice(1, array.len() - 2);
            let column = to_presto(sliced.as_ref()).unwrap();
            let back = to_arrow(&column, stored).unwrap();
            assert_eq!(
                back.to_data(),
                expected.slice(1, array.len() - 2).to_data(),
                "{stored} sliced"
            );
        }
    }

    fn same(array: &dyn Array) {
        round_trip(array, &array.data_type().clone());
    }

    fn sig(s: &str) -> DataType {
        arrow_type(s).unwrap()
    }

    #[test]
    fn primitives_with_nulls() {
        same(&BooleanArray::from(vec![
            Some(true),
            None,
            Some(false),
            Some(true),
        ]));
        same(&Int8Array::from(vec![Some(-128), None, Some(127), Some(0)]));
        same(&Int16Array::from(vec![Some(i16::MIN), None, Some(7), None]));
        same(&Int32Array::from(vec![
            Some(i32::MAX),
            None,
            Some(-1),
            Some(3),
        ]));
        same(&Int64Array::from(vec![
            Some(i64::MIN),
            Some(i64::MAX),
            None,
            Some(0),
        ]));
        same(&Float32Array::from(vec![
            Some(1.5),
            None,
            Some(-0.0),
            Some(f32::INFINITY),
        ]));
        same(&Float64Array::from(vec![
            Some(-2.25),
            None,
            Some(f64::MAX),
            Some(1e-300),
        ]));
        same(&Date32Array::from(vec![
            Some(-719_162),
            None,
            Some(19_000),
            Some(0),
        ]));
        same(&Time32MillisecondArray::from(vec![
            Some(0),
            None,
            Some(86_399_999),
            Some(5),
        ]));
        same(&TimestampMillisecondArray::from(vec![
            Some(-1),
            None,
            Some(1_700_000_000_123),
            Some(0),
        ]));
        let zoned = TimestampMillisecondArray::from(vec![
            Some(-86_400_001),
            None,
            Some(1_700_000_000_123),
            Some(-1),
        ])
        .with_timezone("UTC");
        same(&zoned);
        assert_eq!(zoned.data_type(), &sig("timestamp with time zone"));
        // no nulls at all
        same(&Int64Array::from(vec![1, 2, 3, 4]));
    }

    #[test]
    fn decimals_short_and_long() {
        let short = Decimal128Array::from(vec![
            Some(-999_999_999_999_999_999),
            None,
            Some(12_345),
            Some(999_999_999_999_999_999),
        ])
        .with_precision_and_scale(18, 2)
        .unwrap();
        same(&short);
        let max = 10i128.pow(38) - 1;
        let long = Decimal128Array::from(vec![
            Some(-max),
            None,
            Some(max),
            Some(-1),
            Some(0),
            Some(1),
            Some(i64::MIN as i128 - 1),
            Some(u64::MAX as i128 + 7),
            Some(-(1i128 << 64)),
        ])
        .with_precision_and_scale(38, 5)
        .unwrap();
        same(&long);
        assert_eq!(long.data_type(), &sig("decimal(38,5)"));
        same(
            &Decimal128Array::from(vec![Some(-123_456_789_012_345_678_901), None])
                .with_precision_and_scale(30, 0)
                .unwrap(),
        );
    }

    #[test]
    fn strings_and_binary() {
        same(&StringArray::from(vec![
            Some("héllo"),
            None,
            Some(""),
            Some("zkarrow"),
        ]));
        same(&BinaryArray::from(vec![
            Some(&b"\x00\xff"[..]),
            None,
            Some(b""),
            Some(b"abc"),
        ]));
        // stored types that differ from the original
        let large = LargeStringArray::from(vec![Some("a"), None, Some("bcd"), Some("")]);
        round_trip(&large, &DataType::Utf8);
        let view = StringViewArray::from(vec![Some("short"), None, Some("a longer string view")]);
        round_trip(&view, &DataType::Utf8);
        let micros =
            TimestampMicrosecondArray::from(vec![Some(1_700_000_000_123_000), None, Some(5_000)]);
        round_trip(&micros, &sig("timestamp"));
    }

    #[test]
    fn dictionaries_materialize() {
        let d: DictionaryArray<Int32Type> = vec![Some("x"), None, Some("y"), Some("x"), None]
            .into_iter()
            .collect();
        round_trip(&d, &DataType::Utf8);
        let d: DictionaryArray<UInt16Type> = vec!["p", "q", "p"].into_iter().collect();
        round_trip(&d, &DataType::Utf8);
        let all_null: DictionaryArray<Int32Type> = vec![None::<&str>, None].into_iter().collect();
        round_trip(&all_null, &DataType::Utf8);
        let ints = DictionaryArray::<Int32Type>::new(
            Int32Array::from(vec![Some(1), None, Some(0)]),
            Arc::new(Int64Array::from(vec![10, 20])),
        );
        round_trip(&ints, &DataType::Int64);

        // a dictionary column with nulls of its own, and junk ids at those null positions
        let column = PrestoColumn {
            positions: 3,
            nulls: Some(vec![false, true, false]),
            values: PrestoValues::Dictionary {
                ids: vec![1, -5, 0],
                dictionary: Box::new(PrestoColumn {
                    positions: 2,
                    nulls: None,
                    values: PrestoValues::Longs(Cow::Owned(vec![7, 8])),
                }),
            },
        };
        let back = to_arrow(&column, &DataType::Int64).unwrap();
        assert_eq!(
            back.as_primitive::<Int64Type>(),
            &Int64Array::from(vec![Some(8), None, Some(7)])
        );
    }

    fn sample_struct() -> StructArray {
        let ints = Arc::new(Int32Array::from(vec![Some(1), Some(2), None, Some(4)])) as ArrayRef;
        let strs = Arc::new(StringArray::from(vec![
            Some("a"),
            Some("b"),
            Some("c"),
            None,
        ]));
        StructArray::new(
            Fields::from(vec![
                Field::new("i", DataType::Int32, true),
                Field::new("s", DataType::Utf8, true),
            ]),
            vec![ints, strs],
            Some(NullBuffer::from(vec![true, false, true, true])),
        )
    }

    #[test]
    fn structs_with_null_rows_and_nested_structs() {
        let st = sample_struct();
        assert_eq!(st.data_type(), &sig("row(i integer, s varchar)"));
        same(&st);
        // a struct without null rows, a struct of only null rows
        let (fields, columns, _) = sample_struct().into_parts();
        same(&StructArray::new(fields.clone(), columns.clone(), None));
        same(&StructArray::new(
            fields,
            columns,
            Some(NullBuffer::new_null(4)),
        ));

        // row(inner row(i, s), n bigint): inner null where outer is valid, outer null rows
        let inner = sample_struct();
        let n = Int64Array::from(vec![Some(1), None, Some(3), Some(4)]);
        let outer = StructArray::new(
            Fields::from(vec![
                Field::new("inner", inner.data_type().clone(), true),
                Field::new("n", DataType::Int64, true),
            ]),
            vec![Arc::new(inner), Arc::new(n)],
            Some(NullBuffer::from(vec![true, true, false, true])),
        );
        same(&outer);
    }

    #[test]
    fn lists_of_structs_and_maps() {
        let list = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
            Some(vec![Some(1), None]),
            None,
            Some(vec![]),
            Some(vec![Some(4), Some(5), Some(6)]),
        ]);
        assert_eq!(list.data_type(), &sig("array(bigint)"));
        same(&list);

        let st = sample_struct();
        let field = Arc::new(Field::new("item", st.data_type().clone(), true));
        let list = ListArray::new(
            field,
            OffsetBuffer::new(ScalarBuffer::from(vec![0, 1, 1, 4, 4])),
            Arc::new(st),
            Some(NullBuffer::from(vec![true, false, true, true])),
        );
        same(&list);

        // map(varchar, array(double)) built to the stored type
        let map_type = sig("map(varchar, array(double))");
        let DataType::Map(entries_field, _) = &map_type else {
            panic!()
        };
        let DataType::Struct(entry_fields) = entries_field.data_type() else {
            panic!()
        };
        let keys = Arc::new(StringArray::from(vec!["a", "b", "c", "d"])) as ArrayRef;
        let values = Arc::new(ListArray::from_iter_primitive::<
            arrow::datatypes::Float64Type,
            _,
            _,
        >(vec![
            Some(vec![Some(1.0)]),
            None,
            Some(vec![None, Some(2.5)]),
            Some(vec![]),
        ])) as ArrayRef;
        let entries = StructArray::new(entry_fields.clone(), vec![keys, values], None);
        let map = MapArray::new(
            Arc::clone(entries_field),
            OffsetBuffer::new(ScalarBuffer::from(vec![0, 2, 2, 3, 4])),
            entries,
            Some(NullBuffer::from(vec![true, false, true, true])),
            false,
        );
        assert_eq!(map.data_type(), &map_type);
        same(&map);

        // a struct holding a list and a dictionary, with a null row: stored with varchar
        let inner = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
            Some(vec![Some(1)]),
            None,
            Some(vec![Some(2), None]),
        ]);
        let dict: DictionaryArray<Int32Type> =
            vec![Some("u"), Some("v"), None].into_iter().collect();
        let fields = |d: DataType| {
            Fields::from(vec![
                Field::new("l", inner.data_type().clone(), true),
                Field::new("d", d, true),
            ])
        };
        let nulls = Some(NullBuffer::from(vec![false, true, true]));
        let st = StructArray::new(
            fields(dict.data_type().clone()),
            vec![Arc::new(inner.clone()), Arc::new(dict.clone())],
            nulls.clone(),
        );
        let stored = StructArray::new(
            fields(DataType::Utf8),
            vec![Arc::new(inner), cast(&dict, &DataType::Utf8).unwrap()],
            nulls,
        );
        let back = to_arrow(&to_presto(&st).unwrap(), stored.data_type()).unwrap();
        assert_eq!(back.to_data(), stored.to_data());
    }

    #[test]
    fn empty_arrays() {
        same(&Int64Array::from(Vec::<i64>::new()));
        same(&StringArray::from(Vec::<&str>::new()));
        same(&StructArray::from(sample_struct().slice(0, 0).to_data()));
    }

    #[test]
    fn owned_buffers_are_moved_not_copied() {
        let longs: Vec<i64> = vec![1, 2, 3];
        let at = longs.as_ptr();
        let column = PrestoColumn {
            positions: 3,
            nulls: Some(vec![false, true, false]),
            values: PrestoValues::Longs(Cow::Owned(longs)),
        };
        let back = into_arrow(column, &DataType::Float64).unwrap();
        let back = back.as_primitive::<arrow::datatypes::Float64Type>();
        assert_eq!(back.values().inner().as_ptr() as *const i64, at);
        assert!(back.is_null(1));

        let data = b"abcdef".to_vec();
        let at = data.as_ptr();
        let column = PrestoColumn {
            positions: 2,
            nulls: None,
            values: PrestoValues::VarWidth {
                offsets: Cow::Owned(vec![0, 2, 6]),
                data: Cow::Owned(data),
            },
        };
        let back = into_arrow(column, &DataType::Utf8).unwrap();
        assert_eq!(back.as_string::<i32>().values().as_ptr(), at);
        assert_eq!(back.as_string::<i32>().value(1), "cdef");
    }

    fn longs(v: Vec<i64>) -> PrestoColumn<'static> {
        PrestoColumn {
            positions: v.len(),
            nulls: None,
            values: PrestoValues::Longs(Cow::Owned(v)),
        }
    }

    #[test]
    fn errors() {
        let e = to_arrow(&longs(vec![1]), &DataType::Utf8).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument);
        assert!(
            e.message.contains("LONG") && e.message.contains("Utf8"),
            "{e}"
        );
        let e = to_arrow(&longs(vec![1]), &sig("decimal(30,2)")).unwrap_err();
        assert!(
            e.message.contains("LONG") && e.message.contains("Decimal128(30, 2)"),
            "{e}"
        );
        let e = to_arrow(&longs(vec![1]), &DataType::LargeUtf8).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnsupportedType);

        let bad_utf8 = PrestoColumn {
            positions: 1,
            nulls: None,
            values: PrestoValues::VarWidth {
                offsets: Cow::Owned(vec![0, 2]),
                data: Cow::Owned(vec![0xc3, 0x28]),
            },
        };
        let e = to_arrow(&bad_utf8, &DataType::Utf8).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument);
        assert!(e.message.contains("UTF-8"), "{e}");
        assert!(to_arrow(&bad_utf8, &DataType::Binary).is_ok());
        let split = PrestoColumn {
            positions: 2,
            nulls: None,
            values: PrestoValues::VarWidth {
                offsets: Cow::Owned(vec![0, 1, 2]),
                data: Cow::Owned("é".as_bytes().to_vec()),
            },
        };
        let e = to_arrow(&split, &DataType::Utf8).unwrap_err();
        assert!(e.message.contains("splits a character"), "{e}");

        let bad_offsets = PrestoColumn {
            positions: 2,
            nulls: None,
            values: PrestoValues::VarWidth {
                offsets: Cow::Owned(vec![0, 3, 1]),
                data: Cow::Owned(b"abc".to_vec()),
            },
        };
        assert_eq!(
            to_arrow(&bad_offsets, &DataType::Binary).unwrap_err().code,
            ErrorCode::InvalidArgument
        );
        let mut short = longs(vec![1, 2]);
        short.positions = 3;
        assert!(to_arrow(&short, &DataType::Int64).is_err());
        let mut wrong_nulls = longs(vec![1, 2]);
        wrong_nulls.nulls = Some(vec![true]);
        assert!(to_arrow(&wrong_nulls, &DataType::Int64).is_err());

        let dict = PrestoColumn {
            positions: 1,
            nulls: None,
            values: PrestoValues::Dictionary {
                ids: vec![2],
                dictionary: Box::new(longs(vec![1, 2])),
            },
        };
        let e = to_arrow(&dict, &DataType::Int64).unwrap_err();
        assert!(e.message.contains("outside the dictionary"), "{e}");

        // a row whose fields do not hold one entry per non-null row
        let row = PrestoColumn {
            positions: 2,
            nulls: Some(vec![true, false]),
            values: PrestoValues::Row {
                fields: vec![longs(vec![1, 2])],
            },
        };
        let e = to_arrow(&row, &sig("row(a bigint)")).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument);
        let e = to_arrow(&longs(vec![1 << 40]), &sig("time")).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument);
    }
}
