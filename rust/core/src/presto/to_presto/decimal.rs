//! Decimals: up to 18 digits as longs, up to 38 as Presto's sign-magnitude 128-bit pairs.

use std::borrow::Cow;

use arrow::array::Array;
use arrow::datatypes::{DataType, Decimal128Type, Decimal256Type, Decimal32Type, Decimal64Type};

use super::{map_prim, prim, unsupported};
use crate::err;
use crate::error::Result;
use crate::presto::layout::PrestoValues;

/// Values of a decimal array; `nulls` excuses decimal256 values that do not fit at null positions.
pub(super) fn values<'a>(
    array: &'a dyn Array,
    start: usize,
    len: usize,
    nulls: Option<&[bool]>,
) -> Result<PrestoValues<'a>> {
    use Cow::{Borrowed, Owned};
    use PrestoValues as V;
    Ok(match array.data_type() {
        DataType::Decimal32(_, _) => V::Longs(Owned(map_prim::<Decimal32Type, _>(
            array,
            start,
            len,
            i64::from,
        ))),
        DataType::Decimal64(_, _) => V::Longs(Borrowed(prim::<Decimal64Type>(array, start, len))),
        DataType::Decimal128(p, _) if *p <= 18 => V::Longs(Owned(map_prim::<Decimal128Type, _>(
            array,
            start,
            len,
            |v| v as i64,
        ))),
        DataType::Decimal128(p, _) if *p <= 38 => {
            let raw = prim::<Decimal128Type>(array, start, len);
            V::Int128(int128_values(raw.iter().copied(), len))
        }
        DataType::Decimal256(p, _) if *p <= 38 => {
            let raw = prim::<Decimal256Type>(array, start, len);
            let mut wide = Vec::with_capacity(len);
            for (i, v) in raw.iter().enumerate() {
                let null = nulls.is_some_and(|n| n[i]);
                match v.to_i128() {
                    Some(x) => wide.push(x),
                    None if null => wide.push(0),
                    None => {
                        return Err(err!(
                            InvalidArgument,
                            "decimal256 value {v} does not fit in 38 digits"
                        ))
                    }
                }
            }
            if *p <= 18 {
                V::Longs(Owned(wide.into_iter().map(|v| v as i64).collect()))
            } else {
                V::Int128(int128_values(wide.into_iter(), len))
            }
        }
        other => return Err(unsupported(other)),
    })
}

fn push_int128(out: &mut Vec<i64>, v: i128) {
    let magnitude = v.unsigned_abs();
    let low = magnitude as u64;
    let mut high = (magnitude >> 64) as u64;
    if v < 0 {
        high |= 1 << 63;
    }
    out.push(low as i64);
    out.push(high as i64);
}

fn int128_values(values: impl Iterator<Item = i128>, len: usize) -> Vec<i64> {
    let mut out = Vec::with_capacity(2 * len);
    for v in values {
        push_int128(&mut out, v);
    }
    out
}
