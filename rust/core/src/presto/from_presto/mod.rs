//! Presto blocks back into Arrow arrays: the way back of [`crate::presto::to_presto::to_presto`], for
//! the Arrow types [`crate::presto::types::arrow_type`] stores Presto columns as (page sinks).
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
//!
//! This module checks the column's shape and dispatches on the Arrow type; each family
//! (primitive, decimal, temporal, binary, dictionary, nested) converts in its own file.

mod binary;
mod decimal;
mod dictionary;
mod nested;
mod primitive;
mod temporal;

use std::borrow::Cow;

use arrow::array::ArrayRef;
use arrow::buffer::{BooleanBuffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow::datatypes::{ArrowNativeType, DataType, TimeUnit};

use crate::err;
use crate::error::{Error, Result};
use crate::presto::layout::{PrestoColumn, PrestoValues};

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
        values.kind().name()
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

fn convert(
    positions: usize,
    nulls: Option<&[bool]>,
    values: PrestoValues<'_>,
    data_type: &DataType,
) -> Result<ArrayRef> {
    use DataType::*;
    if let PrestoValues::Dictionary { ids, dictionary } = values {
        return dictionary::convert(positions, nulls, ids, *dictionary, data_type);
    }
    let valid = validity(positions, nulls)?;
    match data_type {
        Boolean | Int8 | Int16 | Int32 | Int64 | Float32 | Float64 => {
            primitive::convert(positions, valid, values, data_type)
        }
        Decimal128(..) => decimal::convert(positions, valid, values, data_type),
        Date32 | Time32(_) | Timestamp(..) => {
            temporal::convert(positions, valid, values, data_type)
        }
        Utf8 | Binary => binary::convert(positions, valid, values, data_type),
        List(_) | Map(..) | Struct(_) => nested::convert(positions, valid, values, data_type),
        _ => Err(mismatch(&values, data_type)),
    }
}
