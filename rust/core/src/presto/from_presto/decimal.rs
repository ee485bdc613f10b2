//! Decimals: longs up to 18 digits, Presto's sign-magnitude 128-bit pairs up to 38.

use std::sync::Arc;

use arrow::array::{ArrayRef, Decimal128Array};
use arrow::buffer::NullBuffer;
use arrow::datatypes::DataType;

use super::{check_len, mismatch};
use crate::error::Result;
use crate::presto::layout::PrestoValues;

/// A decimal128 array.
pub(super) fn convert(
    positions: usize,
    valid: Option<NullBuffer>,
    values: PrestoValues<'_>,
    data_type: &DataType,
) -> Result<ArrayRef> {
    use PrestoValues as V;
    let array: ArrayRef = match (data_type, values) {
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
        (data_type, values) => return Err(mismatch(&values, data_type)),
    };
    Ok(array)
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
