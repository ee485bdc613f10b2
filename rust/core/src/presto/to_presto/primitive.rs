//! Booleans, integers (unsigned ones widened) and floats (as bit patterns).

use std::borrow::Cow;

use arrow::array::{Array, ArrowPrimitiveType, AsArray};
use arrow::datatypes::{
    ArrowNativeType, DataType, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    UInt16Type, UInt32Type, UInt8Type,
};

use super::{expand_bits, map_prim, prim, unsupported};
use crate::error::Result;
use crate::presto::layout::PrestoValues;

/// Values of a boolean, integer or float array.
pub(super) fn values(array: &dyn Array, start: usize, len: usize) -> Result<PrestoValues<'_>> {
    use Cow::{Borrowed, Owned};
    use PrestoValues as V;
    Ok(match array.data_type() {
        DataType::Boolean => {
            let bits = array.as_boolean().values().slice(start, len);
            V::Bytes(Owned(expand_bits(&bits, i8::from)))
        }
        DataType::Int8 => V::Bytes(Borrowed(prim::<Int8Type>(array, start, len))),
        DataType::Int16 => V::Shorts(Borrowed(prim::<Int16Type>(array, start, len))),
        DataType::Int32 => V::Ints(Borrowed(prim::<Int32Type>(array, start, len))),
        DataType::Int64 => V::Longs(Borrowed(prim::<Int64Type>(array, start, len))),
        DataType::UInt8 => V::Shorts(Owned(map_prim::<UInt8Type, _>(
            array,
            start,
            len,
            i16::from,
        ))),
        DataType::UInt16 => V::Ints(Owned(map_prim::<UInt16Type, _>(
            array,
            start,
            len,
            i32::from,
        ))),
        DataType::UInt32 => V::Longs(Owned(map_prim::<UInt32Type, _>(
            array,
            start,
            len,
            i64::from,
        ))),
        DataType::Float32 => V::Ints(Borrowed(float_bits::<Float32Type, i32>(array, start, len))),
        DataType::Float64 => V::Longs(Borrowed(float_bits::<Float64Type, i64>(array, start, len))),
        other => return Err(unsupported(other)),
    })
}

/// The bit patterns of a float array, borrowed.
fn float_bits<T: ArrowPrimitiveType, B: ArrowNativeType>(
    array: &dyn Array,
    start: usize,
    len: usize,
) -> &[B] {
    // `Buffer::typed_data` reinterprets the bytes safely (ArrowNativeType is plain old data and
    // alignment is asserted; f32/f64 buffers are aligned for i32/i64 of the same width).
    let all: &[B] = array.as_primitive::<T>().values().inner().typed_data::<B>();
    &all[start..start + len]
}
