//! Booleans, integers and floats (from their bit patterns).

use std::borrow::Cow;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Float32Array, Float64Array, PrimitiveArray};
use arrow::buffer::{BooleanBuffer, NullBuffer, ScalarBuffer};
use arrow::datatypes::{ArrowPrimitiveType, DataType};

use super::{check_len, mismatch, scalar};
use crate::error::Result;
use crate::presto::layout::PrestoValues;

/// A boolean, integer or float array.
pub(super) fn convert(
    positions: usize,
    valid: Option<NullBuffer>,
    values: PrestoValues<'_>,
    data_type: &DataType,
) -> Result<ArrayRef> {
    use PrestoValues as V;
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
        (data_type, values) => return Err(mismatch(&values, data_type)),
    };
    Ok(array)
}

pub(super) fn primitive<T: ArrowPrimitiveType>(
    values: Cow<'_, [T::Native]>,
    positions: usize,
    valid: Option<NullBuffer>,
    what: &str,
) -> Result<PrimitiveArray<T>> {
    check_len(what, positions, values.len(), positions)?;
    Ok(PrimitiveArray::<T>::new(scalar(values), valid))
}
