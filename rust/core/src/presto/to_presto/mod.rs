//! Arrow arrays in the layout of Presto blocks (see `rust/jni/PROTOCOL.md`, "Pages").
//!
//! A [`PrestoColumn`] exposes, for every buffer of the Presto block it describes, a slice that JNI
//! copies once into a Java array. Where Arrow's bytes already have Presto's layout (integers,
//! float bit patterns, dates, millisecond timestamps, string offsets starting at 0 and string data)
//! the slice borrows the Arrow buffer, so that single JNI copy is the only one. Where the values
//! must change (widening, unit conversion, boolean bytes, decimal encoding, null suppression) the
//! conversion produces an owned vector.
//!
//! Null suppression (struct fields hold only the rows where the struct is not null; null arrays and
//! maps hold no entries) goes through Arrow's `filter` kernel and then converts the filtered array
//! into owned vectors: that case costs one extra copy.
//!
//! This module dispatches on the Arrow type; each family (primitive, decimal, temporal, binary,
//! dictionary, nested) converts in its own file.

mod binary;
mod decimal;
mod dictionary;
mod nested;
mod primitive;
mod temporal;
#[cfg(test)]
mod tests;

use arrow::array::{Array, ArrowPrimitiveType, AsArray};
use arrow::buffer::{BooleanBuffer, NullBuffer};
use arrow::datatypes::DataType;

use crate::err;
use crate::error::Result;
use crate::presto::layout::PrestoColumn;

/// Converts one Arrow array (any offset) into the layout of a Presto block.
pub fn to_presto(array: &dyn Array) -> Result<PrestoColumn<'_>> {
    convert(array, 0, array.len())
}

/// Presto `isNull` flags for positions `start..start + len`, `None` when none is null.
fn null_flags(array: &dyn Array, start: usize, len: usize) -> Option<Vec<bool>> {
    let nulls = array.nulls()?.slice(start, len);
    if nulls.null_count() == 0 {
        return None;
    }
    Some(expand_bits(nulls.inner(), |bit| !bit))
}

/// One value per bit, 64 bits at a time.
fn expand_bits<T>(bits: &BooleanBuffer, f: impl Fn(bool) -> T) -> Vec<T> {
    let mut out = Vec::with_capacity(bits.len());
    let chunks = bits.bit_chunks();
    for word in chunks.iter() {
        out.extend((0..64).map(|i| f(word >> i & 1 == 1)));
    }
    let rest = chunks.remainder_bits();
    out.extend((0..chunks.remainder_len()).map(|i| f(rest >> i & 1 == 1)));
    out
}

fn valid_window(array: &dyn Array, start: usize, len: usize) -> Option<NullBuffer> {
    let nulls = array.nulls()?.slice(start, len);
    (nulls.null_count() > 0).then_some(nulls)
}

fn prim<T: ArrowPrimitiveType>(array: &dyn Array, start: usize, len: usize) -> &[T::Native] {
    &array.as_primitive::<T>().values()[start..start + len]
}

fn map_prim<T: ArrowPrimitiveType, U>(
    array: &dyn Array,
    start: usize,
    len: usize,
    f: impl Fn(T::Native) -> U,
) -> Vec<U> {
    prim::<T>(array, start, len).iter().map(|&v| f(v)).collect()
}

fn unsupported(data_type: &DataType) -> crate::error::Error {
    err!(
        UnsupportedType,
        "Arrow type {data_type} cannot be converted to a Presto block"
    )
}

/// Converts positions `start..start + len` of `array`.
fn convert(array: &dyn Array, start: usize, len: usize) -> Result<PrestoColumn<'_>> {
    use DataType::*;
    let data_type = array.data_type();
    if let Dictionary(key, _) = data_type {
        return dictionary::convert(array, key, start, len);
    }
    let nulls = null_flags(array, start, len);
    let values =
        match data_type {
            Boolean | Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | Float32
            | Float64 => primitive::values(array, start, len),
            Decimal32(..) | Decimal64(..) | Decimal128(..) | Decimal256(..) => {
                decimal::values(array, start, len, nulls.as_deref())
            }
            Date32 | Date64 | Time32(_) | Time64(_) | Timestamp(..) => {
                temporal::values(array, start, len)
            }
            Utf8 | Binary | LargeUtf8 | LargeBinary | Utf8View | BinaryView
            | FixedSizeBinary(_) => binary::values(array, start, len),
            List(_) | LargeList(_) | FixedSizeList(..) | Map(..) | Struct(_) => {
                nested::values(array, start, len, nulls.as_deref())
            }
            other => Err(unsupported(other)),
        }?;
    Ok(PrestoColumn {
        positions: len,
        nulls,
        values,
    })
}
